#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/test/unit_test.hpp>

namespace stagehand::test {

/// A plain loopback TCP socket for tests that send what no HTTP client
/// would: a header one byte at a time, a bad Content-Length, or nothing at
/// all. Every read has a deadline.
class raw_socket {
public:
  using clock = std::chrono::steady_clock;
  using response
    = boost::beast::http::response<boost::beast::http::string_body>;

  explicit raw_socket(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    BOOST_REQUIRE_MESSAGE(fd_ >= 0, "socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE_MESSAGE(
      ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0,
      "cannot connect to 127.0.0.1:" << port);
  }

  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  ~raw_socket() {
    close();
  }

  void close() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

  /// Sends `bytes`; false if the peer has closed (EPIPE or a reset).
  bool send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent,
                      MSG_NOSIGNAL);
      if (n <= 0)
        return false;
      sent += static_cast<std::size_t>(n);
    }
    return true;
  }

  /// Whether the peer closed the connection (EOF or a reset) within
  /// `timeout`; bytes that arrive meanwhile are kept for `read_response`.
  bool closed_within(std::chrono::milliseconds timeout) {
    auto until = clock::now() + timeout;
    for (;;) {
      auto n = read_some(until);
      if (!n)
        return false;
      if (*n == 0)
        return true;
    }
  }

  /// Bytes read and not yet taken by `read_response`.
  std::size_t unread() const {
    return pending_.size();
  }

  /// Reads one whole response; fails the test if none arrives within
  /// `timeout`.
  response read_response(std::chrono::milliseconds timeout
                         = std::chrono::seconds(5)) {
    boost::beast::http::response_parser<boost::beast::http::string_body> p;
    p.eager(true);
    auto until = clock::now() + timeout;
    for (;;) {
      if (!pending_.empty()) {
        boost::beast::error_code ec;
        auto used = p.put(boost::asio::buffer(pending_), ec);
        pending_.erase(0, used);
        if (p.is_done())
          return p.release();
        BOOST_REQUIRE_MESSAGE(!ec || ec == boost::beast::http::error::need_more,
                              "malformed response: " << ec.message());
      }
      auto n = read_some(until);
      BOOST_REQUIRE_MESSAGE(n, "no response within " << timeout.count()
                                                     << " ms");
      BOOST_REQUIRE_MESSAGE(*n > 0, "the server closed without a response");
    }
  }

private:
  /// Bytes read into `pending_`: 0 at EOF or reset, nothing at the deadline.
  std::optional<std::size_t> read_some(clock::time_point until) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  until - clock::now())
                  .count();
    if (left < 0)
      return std::nullopt;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0)
      return std::nullopt;
    char buf[4096];
    auto n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0)
      return std::size_t{0};
    pending_.append(buf, static_cast<std::size_t>(n));
    return static_cast<std::size_t>(n);
  }

  int fd_ = -1;
  std::string pending_;
};

} // namespace stagehand::test
