#include "tests/support/http_receiver.hpp"

#include <algorithm>
#include <cctype>
#include <type_traits>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/test/unit_test.hpp>

namespace stagehand::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::unique_ptr<asio::ssl::context> server_tls(const tls_files& identity) {
  auto ctx
    = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  beast::error_code ec;
  ctx->use_certificate_chain_file(identity.certificate, ec);
  BOOST_REQUIRE_MESSAGE(!ec, identity.certificate << ": " << ec.message());
  ctx->use_private_key_file(identity.key, asio::ssl::context::pem, ec);
  BOOST_REQUIRE_MESSAGE(!ec, identity.key << ": " << ec.message());
  return ctx;
}

} // namespace

/// One connection: the TLS handshake if `Stream` has one, then one request.
template <class Stream>
struct http_receiver::session : std::enable_shared_from_this<session<Stream>> {
  static constexpr bool secure = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... Args>
  session(http_receiver& owner, Args&&... args)
    : stream(std::forward<Args>(args)...), owner(owner) {}

  void start() {
    if constexpr (secure)
      stream.async_handshake(
        asio::ssl::stream_base::server,
        [self = this->shared_from_this()](beast::error_code ec) {
          if (!ec)
            self->read();
        });
    else
      read();
  }

  void read() {
    http::async_read(
      stream, buffer, req,
      [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
        if (!ec)
          self->respond();
      });
  }

  std::string server_name() {
    if constexpr (secure) {
      auto* name
        = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
      return name != nullptr ? name : "";
    } else {
      return {};
    }
  }

  void respond() {
    request copy{std::string{req.method_string()},
                 std::string{req.target()},
                 {},
                 req.body(),
                 server_name()};
    for (const auto& field : req) {
      std::string name{field.name_string()};
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) {
                       return static_cast<char>(std::tolower(c));
                     });
      copy.headers[name] = std::string{field.value()};
    }
    auto status = owner.record(std::move(copy));
    if (status == no_answer) {
      owner.held_.push_back(this->shared_from_this());
      return;
    }
    res.result(status);
    res.version(11);
    res.set(http::field::content_type, "text/plain");
    res.body() = "answered " + std::to_string(status);
    res.keep_alive(false);
    res.prepare_payload();
    // The client reads the header and closes, so a TLS session ends without
    // its close_notify, as a plain one ends with a half-close.
    http::async_write(
      stream, res,
      [self = this->shared_from_this()](beast::error_code, std::size_t) {
        beast::error_code ignored;
        beast::get_lowest_layer(self->stream)
          .socket()
          .shutdown(tcp::socket::shutdown_send, ignored);
      });
  }

  Stream stream;
  http_receiver& owner;
  beast::flat_buffer buffer;
  http::request<http::string_body> req;
  http::response<http::string_body> res;
};

std::string http_receiver::request::header(const std::string& name) const {
  auto i = headers.find(name);
  return i == headers.end() ? std::string{} : i->second;
}

http_receiver::http_receiver() : http_receiver(nullptr) {}

http_receiver::http_receiver(const tls_files& identity)
  : http_receiver(server_tls(identity)) {}

http_receiver::http_receiver(std::unique_ptr<asio::ssl::context> tls)
  : tls_(std::move(tls)),
    acceptor_(ioc_, tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}) {
  port_ = acceptor_.local_endpoint().port();
  accept();
  thread_ = std::thread{[this] {
    ioc_.run();
  }};
}

http_receiver::~http_receiver() {
  ioc_.stop();
  thread_.join();
  // Before the context goes, as the sockets need it.
  held_.clear();
}

std::string http_receiver::url(const std::string& path) const {
  return url_at("127.0.0.1", path);
}

std::string http_receiver::url_at(const std::string& host,
                                  const std::string& path) const {
  return (tls_ ? "https://" : "http://") + host + ":" + std::to_string(port_)
         + path;
}

void http_receiver::answer(std::vector<unsigned> statuses) {
  std::lock_guard<std::mutex> guard{mtx_};
  script_.assign(statuses.begin(), statuses.end());
}

bool http_receiver::wait_for_requests(std::size_t n,
                                      std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> guard{mtx_};
  return cv_.wait_for(guard, timeout, [&] {
    return requests_.size() >= n;
  });
}

std::vector<http_receiver::request> http_receiver::requests() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return requests_;
}

std::uint16_t http_receiver::unused_port() {
  asio::io_context ioc;
  tcp::acceptor probe{ioc,
                      tcp::endpoint{asio::ip::make_address("127.0.0.1"), 0}};
  return probe.local_endpoint().port();
}

void http_receiver::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec)
      return;
    if (tls_)
      std::make_shared<session<beast::ssl_stream<beast::tcp_stream>>>(
        *this, std::move(socket), *tls_)
        ->start();
    else
      std::make_shared<session<beast::tcp_stream>>(*this, std::move(socket))
        ->start();
    accept();
  });
}

unsigned http_receiver::record(request req) {
  std::lock_guard<std::mutex> guard{mtx_};
  requests_.push_back(std::move(req));
  cv_.notify_all();
  if (script_.empty())
    return 200;
  auto status = script_.front();
  script_.pop_front();
  return status;
}

} // namespace stagehand::test
