#include "server/http/http_client.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <caf/make_message.hpp>

#include "server/http/delivery_errc.hpp"

namespace stagehand {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

http_client::http_client(timeouts t) : timeouts_(t) {}

caf::expected<unsigned>
http_client::post(const url& location,
                  const std::vector<asio::ip::address>& addresses,
                  std::string_view body, const header_list& headers) {
  beast::tcp_stream stream{ioc_};
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (cancelled_)
      return make_error(delivery_errc::cancelled,
                        caf::make_message(location.str()));
    ioc_.restart();
    abort_ = [&stream] {
      stream.close();
    };
  }
  std::vector<asio::ip::tcp::endpoint> endpoints;
  for (const auto& addr : addresses)
    endpoints.emplace_back(addr, location.port);
  http::request<http::string_body> req{http::verb::post, location.target, 11};
  req.set(http::field::host, location.authority());
  req.set(http::field::user_agent, "stagehand");
  req.set(http::field::content_type, "application/json");
  req.set(http::field::connection, "close");
  for (const auto& [name, value] : headers)
    req.set(name, value);
  req.body() = std::string{body};
  req.prepare_payload();
  // Only the status line and headers are read: the response body means
  // nothing to a delivery, and skipping it bounds what a receiver can send.
  http::response_parser<http::empty_body> parser;
  beast::flat_buffer buffer;
  std::string stage = "connecting";
  beast::error_code failure;
  bool answered = false;
  stream.expires_after(timeouts_.connect);
  stream.async_connect(endpoints, [&](beast::error_code ec, const auto&) {
    if (ec) {
      failure = ec;
      return;
    }
    stage = "sending";
    stream.expires_after(timeouts_.response);
    http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
      if (ec) {
        failure = ec;
        return;
      }
      stage = "waiting for the response";
      http::async_read_header(stream, buffer, parser,
                              [&](beast::error_code ec, std::size_t) {
                                failure = ec;
                                answered = !ec;
                              });
    });
  });
  ioc_.run();
  {
    std::lock_guard<std::mutex> guard{mtx_};
    abort_ = nullptr;
  }
  if (answered)
    return parser.get().result_int();
  if (cancelled_)
    return make_error(delivery_errc::cancelled,
                      caf::make_message(location.str()));
  std::string why;
  if (failure == beast::error::timeout) {
    auto limit = stage == "connecting" ? timeouts_.connect : timeouts_.response;
    why = "no answer within " + std::to_string(limit.count()) + " ms while "
          + stage;
  } else {
    why = stage + ": " + failure.message();
  }
  return make_error(delivery_errc::http_failed,
                    caf::make_message(location.str(), std::move(why)));
}

void http_client::cancel() {
  std::lock_guard<std::mutex> guard{mtx_};
  cancelled_ = true;
  // Run on the I/O thread, because a Beast stream is not thread-safe. If the
  // request has just finished, the job stays queued and is never run: a
  // cancelled client does not run its context again.
  if (abort_)
    asio::post(ioc_, abort_);
}

} // namespace stagehand
