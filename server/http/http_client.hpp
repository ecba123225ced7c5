#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <caf/expected.hpp>

#include "server/http/url.hpp"

namespace boost::asio::ssl {
class context;
} // namespace boost::asio::ssl

namespace stagehand {

/// A small synchronous HTTP/1.1 client that POSTs one JSON body and reports
/// the status code. Deliveries need nothing more: no redirects (a redirect
/// could lead past the allowlist), no keep-alive, no response body. It
/// connects only to the addresses it is given, the ones the allowlist
/// checked, and every stage has a deadline, so a receiver that accepts and
/// never answers costs one timeout, not a thread.
///
/// An https URL goes over TLS with the context of `make_client_tls`. The
/// client still connects only to the addresses it is given, and checks the
/// receiver's certificate against the URL's host, which it also sends as
/// SNI: the certificate proves that whoever answers at the checked address
/// is the host the caller named.
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
    /// From the connection until the response's status line and headers,
    /// the TLS handshake included.
    std::chrono::milliseconds response{10000};
  };

  using header_list = std::vector<std::pair<std::string, std::string>>;

  // -- construction -----------------------------------------------------------

  /// `tls` serves https URLs; see `make_client_tls`. Must not be null.
  http_client(timeouts t, std::shared_ptr<boost::asio::ssl::context> tls);

  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  // -- requests ---------------------------------------------------------------

  /// POSTs `body` as `application/json` with `headers` to `location`, trying
  /// `addresses` in order on the URL's port. Returns the response's status
  /// code, whatever it is. Fails with `delivery_errc::http_failed`, naming the
  /// stage (connecting, doing the TLS handshake, sending, waiting for the
  /// response) and the cause, such as "certificate verify failed
  /// (self-signed certificate)", or with `delivery_errc::cancelled`.
  caf::expected<unsigned>
  post(const url& location,
       const std::vector<boost::asio::ip::address>& addresses,
       std::string_view body, const header_list& headers);

  /// Makes the running `post` and every later one fail at once with
  /// `delivery_errc::cancelled`, so that a shutdown need not wait for a
  /// receiver's timeout.
  void cancel();

private:
  using request = boost::beast::http::request<boost::beast::http::string_body>;

  /// How far one request got, and how it ended.
  struct outcome;

  /// Runs `req` on `stream`, a plain or a TLS stream, until it is answered,
  /// fails, times out or is cancelled.
  template <class Stream>
  outcome exchange(Stream& stream,
                   const std::vector<boost::asio::ip::tcp::endpoint>& endpoints,
                   request& req);

  const timeouts timeouts_;
  const std::shared_ptr<boost::asio::ssl::context> tls_;
  boost::asio::io_context ioc_;
  std::mutex mtx_;
  /// Closes the running request's stream; empty between requests. Guarded by
  /// `mtx_` and run only on `ioc_`, the thread that owns the stream.
  std::function<void()> abort_;
  std::atomic<bool> cancelled_{false};
};

} // namespace stagehand
