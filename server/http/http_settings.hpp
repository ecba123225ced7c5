#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include <caf/timespan.hpp>

namespace stagehand {

/// How `stagehand serve` listens (`stagehand.http-*`). A header of its own, so
/// that a key added here rebuilds the HTTP part and the composition root only.
struct http_settings {
  /// Address `stagehand serve` listens on.
  std::string address = "127.0.0.1";

  /// Port `stagehand serve` listens on; 0 picks a free one (tests).
  std::uint16_t port = 8080;

  /// Threads that serve HTTP connections. The system database is SQLite and
  /// blocks, so requests run here and never on CAF's scheduler threads.
  std::size_t threads = 2;

  /// Base of the `Location` URLs; empty means `http://ADDRESS:PORT` as bound.
  std::string public_url;

  /// Connections open at once; one more is answered 503 and closed, so that a
  /// flood of clients cannot use up the process's file descriptors.
  std::size_t max_connections = 1024;

  /// How long a request's header may take from its first byte (from the
  /// accept, for a connection's first request); a slower one (slow-loris)
  /// closes its connection.
  caf::timespan header_timeout = std::chrono::seconds(10);
};

} // namespace stagehand
