#include "server/http/http_connection.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "server/http/json_response.hpp"

namespace stagehand {

namespace beast = boost::beast;
namespace http = beast::http;
using clock_type = std::chrono::steady_clock;

namespace {

/// How long a rejected connection may keep sending before it is cut off.
constexpr auto drain_timeout = std::chrono::seconds(5);

/// Bytes read at once while a kept-alive connection waits for its next
/// request; the parser takes over from the first byte.
constexpr std::size_t first_read_size = 512;

} // namespace

http_connection::http_connection(boost::asio::ip::tcp::socket socket,
                                 request_handler& handler,
                                 http_metrics& metrics, limits lim,
                                 open_count open)
  : stream_(std::move(socket)), handler_(handler), metrics_(metrics),
    limits_(lim), open_(std::move(open)), started_(clock_type::now()) {}

http_connection::~http_connection() {
  if (open_)
    --*open_;
}

void http_connection::start() {
  boost::asio::dispatch(stream_.get_executor(),
                        [self = shared_from_this()] { self->read_header(); });
}

void http_connection::refuse() {
  refused_ = true;
  boost::asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
    auto res = error_response(http::status::service_unavailable,
                              "ServiceUnavailable",
                              "The server has as many connections open as "
                              "stagehand.http-max-connections allows; try "
                              "again later.");
    res.set(http::field::retry_after, "1");
    res.keep_alive(false);
    self->metrics_.record(http_route::other, 503,
                          clock_type::now() - self->started_);
    self->write(std::move(res));
  });
}

void http_connection::read() {
  // Bytes of a pipelined request are already here; its header clock starts
  // now. Otherwise the connection is idle until the next request's first
  // byte, which starts it.
  if (buffer_.size() > 0) {
    started_ = clock_type::now();
    return read_header();
  }
  stream_.expires_after(idle_timeout);
  stream_.async_read_some(buffer_.prepare(first_read_size),
                          [self = shared_from_this()](beast::error_code ec,
                                                      std::size_t n) {
                            if (ec)
                              return self->close();
                            self->buffer_.commit(n);
                            self->started_ = clock_type::now();
                            self->read_header();
                          });
}

void http_connection::read_header() {
  parser_.emplace();
  parser_->header_limit(header_limit);
  parser_->body_limit(body_limit);
  // A deadline for the whole header, not for each read: a client that sends
  // a byte every few seconds must not hold the connection for ever.
  stream_.expires_at(started_ + limits_.header_timeout);
  http::async_read_header(
    stream_, buffer_, *parser_,
    [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec)
        return self->on_read(ec);
      self->stream_.expires_after(idle_timeout);
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code ec, std::size_t) {
                         self->on_read(ec);
                       });
    });
}

void http_connection::on_read(beast::error_code ec) {
  if (ec == http::error::body_limit)
    return reject(413, "PayloadTooLarge",
                  "The request body is larger than 1 MiB.");
  if (ec == http::error::header_limit)
    return reject(431, "RequestHeaderFieldsTooLarge",
                  "The request header is larger than 8 KiB.");
  if (ec == http::error::bad_content_length)
    return reject(400, "BadRequest",
                  "The Content-Length header is not valid: it must be one "
                  "decimal number of bytes from 0 to 18446744073709551615, "
                  "its copies must agree, and it cannot come with "
                  "Transfer-Encoding: chunked.");
  if (ec == http::error::end_of_stream || ec == beast::error::timeout
      || ec == boost::asio::error::connection_reset
      || ec == boost::asio::error::operation_aborted
      || ec == boost::asio::error::eof)
    return close();
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
                        return self->drain(self->refused_
                                             ? refused_drain_timeout
                                             : drain_timeout);
                      self->read();
                    });
}

void http_connection::reject(unsigned status, const char* code,
                             const char* message) {
  auto res = error_response(static_cast<http::status>(status), code, message);
  res.keep_alive(false);
  metrics_.record(http_route::other, status, clock_type::now() - started_);
  write(std::move(res));
}

void http_connection::drain(clock_type::duration timeout) {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send,
                            ignored);
  stream_.expires_after(timeout);
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

void http_connection::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both,
                            ignored);
}

} // namespace stagehand
