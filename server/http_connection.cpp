#include "server/http_connection.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "server/json_response.hpp"

namespace stagehand {

namespace beast = boost::beast;
namespace http = beast::http;

namespace {

/// How long a keep-alive connection may sit idle, or take to send a request.
constexpr auto idle_timeout = std::chrono::seconds(60);

/// How long a rejected connection may keep sending before it is cut off.
constexpr auto drain_timeout = std::chrono::seconds(5);

} // namespace

http_connection::http_connection(boost::asio::ip::tcp::socket socket,
                                 request_handler& handler,
                                 http_metrics& metrics)
  : stream_(std::move(socket)), handler_(handler), metrics_(metrics) {}

void http_connection::start() {
  boost::asio::dispatch(stream_.get_executor(),
                        [self = shared_from_this()] { self->read(); });
}

void http_connection::read() {
  parser_.emplace();
  parser_->header_limit(header_limit);
  parser_->body_limit(body_limit);
  stream_.expires_after(idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec,
                                               std::size_t) {
                     self->on_read(ec);
                   });
}

void http_connection::on_read(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return reject(413, "PayloadTooLarge",
                  "The request body is larger than 1 MiB.");
  if (ec == http::error::header_limit)
    return reject(431, "RequestHeaderFieldsTooLarge",
                  "The request header is larger than 8 KiB.");
  if (ec == http::error::end_of_stream || ec == beast::error::timeout
      || ec == boost::asio::error::connection_reset
      || ec == boost::asio::error::operation_aborted
      || ec == boost::asio::error::eof) {
    beast::error_code ignored;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                              ignored);
    return;
  }
  if (ec)
    return reject(400, "BadRequest", "The request is not valid HTTP/1.1.");
  stream_.expires_never();
  auto keep_alive = parser_->get().keep_alive();
  auto version = parser_->get().version();
  auto reply = [self = shared_from_this(), keep_alive,
                version](http_response res) {
    res.version(version);
    if (!keep_alive)
      res.keep_alive(false);
    boost::asio::post(self->stream_.get_executor(),
                      [self, res = std::move(res)]() mutable {
                        self->write(std::move(res));
                      });
  };
  handler_.handle(parser_->release(), std::move(reply));
}

void http_connection::write(http_response res) {
  auto msg = std::make_shared<http_response>(std::move(res));
  stream_.expires_after(idle_timeout);
  http::async_write(stream_, *msg,
                    [self = shared_from_this(), msg](beast::error_code ec,
                                                     std::size_t) {
                      if (ec)
                        return;
                      if (msg->need_eof())
                        return self->drain();
                      self->read();
                    });
}

void http_connection::reject(unsigned status, const char* code,
                             const char* message) {
  auto started = std::chrono::steady_clock::now();
  auto res = error_response(static_cast<http::status>(status), code, message);
  res.keep_alive(false);
  metrics_.record(http_route::other, status,
                  std::chrono::steady_clock::now() - started);
  write(std::move(res));
}

void http_connection::drain() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send,
                            ignored);
  stream_.expires_after(drain_timeout);
  discard();
}

void http_connection::discard() {
  stream_.async_read_some(boost::asio::buffer(discard_),
                          [self = shared_from_this()](beast::error_code ec,
                                                      std::size_t) {
                            if (!ec)
                              self->discard();
                          });
}

} // namespace stagehand
