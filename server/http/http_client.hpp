#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <caf/expected.hpp>

#include "server/http/url.hpp"

namespace stagehand {

/// A small synchronous HTTP/1.1 client that POSTs one JSON body and reports
/// the status code. Deliveries need nothing more: no redirects (a redirect
/// could lead past the allowlist), no keep-alive, no response body. It
/// connects only to the addresses it is given, the ones the allowlist
/// checked, and every stage has a deadline, so a receiver that accepts and
/// never answers costs one timeout, not a thread.
///
/// `post` blocks, so it belongs on a worker thread, never on a CAF scheduler
/// thread. One client serves one thread at a time; `cancel` may come from any
/// thread.
class http_client {
public:
  // -- member types -----------------------------------------------------------

  struct timeouts {
    /// Until a TCP connection stands, all addresses tried.
    std::chrono::milliseconds connect{5000};
    /// From the connection until the response's status line and headers.
    std::chrono::milliseconds response{10000};
  };

  using header_list = std::vector<std::pair<std::string, std::string>>;

  // -- construction -----------------------------------------------------------

  explicit http_client(timeouts t);

  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // -- requests ---------------------------------------------------------------

  /// POSTs `body` as `application/json` with `headers` to `location`, trying
  /// `addresses` in order on the URL's port. Returns the response's status
  /// code, whatever it is. Fails with `delivery_errc::http_failed`, naming the
  /// stage (connecting, sending, waiting for the response) and the cause, or
  /// with `delivery_errc::cancelled`.
  caf::expected<unsigned>
  post(const url& location,
       const std::vector<boost::asio::ip::address>& addresses,
       std::string_view body, const header_list& headers);

  /// Makes the running `post` and every later one fail at once with
  /// `delivery_errc::cancelled`, so that a shutdown need not wait for a
  /// receiver's timeout.
  void cancel();

private:
  const timeouts timeouts_;
  boost::asio::io_context ioc_;
  std::mutex mtx_;
  /// Closes the running request's stream; empty between requests. Guarded by
  /// `mtx_` and run only on `ioc_`, the thread that owns the stream.
  std::function<void()> abort_;
  std::atomic<bool> cancelled_{false};
};

} // namespace stagehand
