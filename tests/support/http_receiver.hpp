#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "tests/support/test_pki.hpp"

namespace stagehand::test {

/// A real HTTP/1.1 server on 127.0.0.1, on a port the kernel picks, for tests
/// of outbound deliveries: it records every request, answers with the
/// statuses a test scripts, and can leave requests unanswered to stand in for
/// a receiver that hangs. Speaks https when given a certificate. Runs its own
/// I/O thread.
class http_receiver {
public:
  struct request {
    std::string method;
    std::string target;
    /// Names in lower case.
    std::map<std::string, std::string> headers;
    std::string body;
    /// The host name the client sent as SNI; empty without TLS or SNI.
    std::string server_name;

    /// The header's value, or "" if it is missing.
    std::string header(const std::string& name) const;
  };

  /// In `answer`, a request that gets no answer: the connection stays open
  /// until the receiver is destroyed.
  static constexpr unsigned no_answer = 0;

  /// Plain http.
  http_receiver();

  /// https, showing `identity`'s certificate.
  explicit http_receiver(const tls_files& identity);

  http_receiver(const http_receiver&) = delete;
  http_receiver& operator=(const http_receiver&) = delete;

  ~http_receiver();

  std::uint16_t port() const {
    return port_;
  }

  /// "http://127.0.0.1:<port><path>", or https with a certificate.
  std::string url(const std::string& path = "/hook") const;

  /// `url` with `host` for 127.0.0.1, such as "localhost".
  std::string url_at(const std::string& host,
                     const std::string& path = "/hook") const;

  /// Answers the next requests with these statuses in order, then 200 again.
  void answer(std::vector<unsigned> statuses);

  /// Waits until `n` requests have arrived; false if that takes longer than
  /// `timeout`.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout
                                        = std::chrono::seconds(10));

  std::vector<request> requests() const;

  /// A loopback port that nothing listens on, so connecting is refused.
  static std::uint16_t unused_port();

private:
  template <class Stream>
  struct session;

  /// https if `tls` is set.
  explicit http_receiver(std::unique_ptr<boost::asio::ssl::context> tls);

  void accept();

  /// Records `req` and returns the status to answer it with.
  unsigned record(request req);

  /// Set for https only.
  std::unique_ptr<boost::asio::ssl::context> tls_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  /// Sessions left unanswered; touched on the I/O thread only.
  std::vector<std::shared_ptr<void>> held_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<request> requests_;
  std::deque<unsigned> script_;
  std::thread thread_;
};

} // namespace stagehand::test
