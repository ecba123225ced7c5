#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "server/http_metrics.hpp"
#include "server/request_handler.hpp"

namespace stagehand {

/// One keep-alive HTTP/1.1 connection: reads requests within the size
/// limits, hands each to the handler and writes its answer, one request at
/// a time. A request over a limit gets its JSON error (413 for a body over
/// 1 MiB, 431 for a header over 8 KiB) and the connection closes.
class http_connection : public std::enable_shared_from_this<http_connection> {
public:
  static constexpr std::size_t body_limit = 1024 * 1024;
  static constexpr std::size_t header_limit = 8 * 1024;

  http_connection(boost::asio::ip::tcp::socket socket,
                  request_handler& handler, http_metrics& metrics);

  void start();

private:
  void read();

  void on_read(boost::beast::error_code ec);

  void write(http_response res);

  /// Answers a request the parser refused, then closes.
  void reject(unsigned status, const char* code, const char* message);

  /// Half-closes and reads until the peer closes, so that unread request
  /// bytes do not turn the close into a reset that loses the answer.
  void drain();

  void discard();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>>
    parser_;
  request_handler& handler_;
  http_metrics& metrics_;
  std::array<char, 4096> discard_;
};

} // namespace stagehand
