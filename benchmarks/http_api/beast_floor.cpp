// The floor under http_api: a minimal Boost.Beast server built like
// Stagehand's http_server (asynchronous, a strand per keep-alive connection,
// the same number of io threads) that answers every POST with 202 and every
// GET with 200 and a fixed small JSON body, with no routing, authentication,
// JSON parsing or database. The same client drives it with the same
// requests, so the ratio is what Stagehand adds on top of HTTP on loopback.
// The one-client figures (end to end, round trip, $batch) all compare with
// one run of submits on one connection, each awaited: the fastest any
// server could answer that client.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "server/http/http_settings.hpp"

namespace stagehand::bench {

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// Shaped like Stagehand's answers, so that both write as many bytes.
constexpr const char* fixed_id = "0f8fad5b-d9cb-469f-a165-70867728950e";

const std::string accepted_body
  = std::string{R"({"backgroundOperationId":")"} + fixed_id
    + R"(","backgroundOperationStateCode":0,"backgroundOperationStatusCode":0,)"
      R"("location":"http://127.0.0.1/api/backgroundoperation/)"
    + fixed_id + "\"}";

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
      res->set("x-ms-dyn-backgroundoperationid", fixed_id);
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

/// The floor listening on a free loopback port until it goes.
class floor_server {
public:
  floor_server() {
    accept(acceptor_, ioc_);
    for (std::size_t i = 0; i < http_settings{}.threads; ++i)
      threads_.emplace_back([this] { ioc_.run(); });
  }

  floor_server(const floor_server&) = delete;
  floor_server& operator=(const floor_server&) = delete;

  ~floor_server() {
    ioc_.stop();
    for (auto& t : threads_)
      t.join();
  }

  std::uint16_t port() const {
    return acceptor_.local_endpoint().port();
  }

private:
  net::io_context ioc_;
  tcp::acceptor acceptor_{ioc_, {net::ip::make_address("127.0.0.1"), 0}};
  std::vector<std::thread> threads_;
};

} // namespace

// -- the scenario -------------------------------------------------------------------

http_api_result http_api_beast_floor(const http_api_counts& n) {
  floor_server server;
  http_load load{server.port(), n.connections};
  http_api_result result;
  result.submits = load.run(n.submits, http_api_submit, 202);
  result.gets = load.run(
    n.gets, [](std::int64_t) { return http_api_status(fixed_id); }, 200);
  return result;
}

http_load::result http_api_sequential_beast_floor(std::int64_t requests) {
  floor_server server;
  http_load load{server.port(), 1};
  return load.run(requests, http_api_submit, 202);
}

} // namespace stagehand::bench
