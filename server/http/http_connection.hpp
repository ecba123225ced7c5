#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "server/http/http_metrics.hpp"
#include "server/http/request_handler.hpp"

namespace stagehand {

/// One keep-alive HTTP/1.1 connection: reads requests within the size and
/// time limits, hands each to the handler and writes its answer, one request
/// at a time. A request over a size limit gets its JSON error (413 for a
/// body over 1 MiB, 431 for a header over 8 KiB) and the connection closes;
/// so does a connection whose request header does not arrive in time (a
/// slow-loris client that sends a byte now and then), without an answer.
class http_connection : public std::enable_shared_from_this<http_connection> {
public:
  // -- member types -----------------------------------------------------------

  struct limits {
    /// From a request's first byte (from the accept, for the first request)
    /// until its header is complete.
    std::chrono::milliseconds header_timeout{10000};
  };

  /// Counts the connections being served; each decrements it on its end.
  using open_count = std::shared_ptr<std::atomic<std::size_t>>;

  // -- constants --------------------------------------------------------------

  static constexpr std::size_t body_limit = 1024 * 1024;
  static constexpr std::size_t header_limit = 8 * 1024;

  /// How long a keep-alive connection may sit idle between requests, and
  /// take to send a request's body.
  static constexpr std::chrono::seconds idle_timeout{60};

  /// How long a refused connection may keep sending before it is cut off.
  static constexpr std::chrono::seconds refused_drain_timeout{1};

  // -- construction -----------------------------------------------------------

  /// `open`, if not null, was incremented for this connection, and is
  /// decremented when it ends.
  http_connection(boost::asio::ip::tcp::socket socket,
                  request_handler& handler, http_metrics& metrics,
                  limits lim, open_count open);

  ~http_connection();

  // -- life cycle -------------------------------------------------------------

  /// Serves requests until the peer closes or a limit is hit.
  void start();

  /// Answers 503 at once, without reading a request, and closes: the server
  /// has as many connections as it may hold.
  void refuse();

private:
  // -- implementation ---------------------------------------------------------

  /// Waits for the next request of a kept-alive connection.
  void read();

  /// Reads a request's header within the header timeout, then its body.
  void read_header();

  void on_read(boost::beast::error_code ec);

  void write(http_response res);

  /// Answers a request the parser refused, then closes.
  void reject(unsigned status, const char* code, const char* message);

  /// Half-closes and reads until the peer closes, so that unread request
  /// bytes do not turn the close into a reset that loses the answer.
  void drain(std::chrono::steady_clock::duration timeout);

  void discard();

  void close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>>
    parser_;
  request_handler& handler_;
  http_metrics& metrics_;
  const limits limits_;
  open_count open_;
  /// Refused with a 503: drained briefly, never read.
  bool refused_ = false;
  /// When the request being read began: its first byte, or the accept.
  std::chrono::steady_clock::time_point started_;
  std::array<char, 4096> discard_;
};

} // namespace stagehand
