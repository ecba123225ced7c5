#include "benchmarks/common/beast_floor_server.hpp"

#include <memory>

#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "server/http/http_settings.hpp"

namespace stagehand::bench {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// Shaped like Stagehand's answers, so that both write as many bytes.
const std::string accepted_body
  = std::string{R"({"backgroundOperationId":")"} + beast_floor_id
    + R"(","backgroundOperationStateCode":0,"backgroundOperationStatusCode":0,)"
      R"("location":"http://127.0.0.1/api/backgroundoperation/)"
    + beast_floor_id + "\"}";

const std::string status_body
  = R"({"Number":"1","Text":"bench","backgroundOperationStateCode":3,)"
    R"("backgroundOperationStatusCode":30})";

// -- one keep-alive connection ----------------------------------------------------

class floor_connection
  : public std::enable_shared_from_this<floor_connection> {
public:
  explicit floor_connection(tcp::socket socket) : stream_(std::move(socket)) {}

  void read() {
    req_ = {};
    http::async_read(stream_, buffer_, req_,
                     [self = shared_from_this()](beast::error_code ec,
                                                 std::size_t) {
                       if (!ec)
                         self->answer();
                     });
  }

private:
  void answer() {
    auto post = req_.method() == http::verb::post;
    auto res = std::make_shared<http::response<http::string_body>>(
      post ? http::status::accepted : http::status::ok, req_.version());
    res->set(http::field::content_type, "application/json");
    if (post)
      res->set("x-ms-dyn-backgroundoperationid", beast_floor_id);
    res->keep_alive(req_.keep_alive());
    res->body() = post ? accepted_body : status_body;
    res->prepare_payload();
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res](beast::error_code ec,
                                                       std::size_t) {
                        if (!ec && !res->need_eof())
                          self->read();
                      });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> req_;
};

void accept(tcp::acceptor& acceptor, net::io_context& ioc) {
  acceptor.async_accept(net::make_strand(ioc),
                        [&](beast::error_code ec, tcp::socket socket) {
                          if (ec)
                            return;
                          std::make_shared<floor_connection>(std::move(socket))
                            ->read();
                          accept(acceptor, ioc);
                        });
}

} // namespace

beast_floor_server::beast_floor_server()
  : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
  accept(acceptor_, ioc_);
  for (std::size_t i = 0; i < http_settings{}.threads; ++i)
    threads_.emplace_back([this] { ioc_.run(); });
}

beast_floor_server::~beast_floor_server() {
  ioc_.stop();
  for (auto& t : threads_)
    t.join();
}

} // namespace stagehand::bench
