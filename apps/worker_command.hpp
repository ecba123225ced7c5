#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "runtime/config.hpp"

namespace stagehand::apps {

/// `HOST:PORT` (or `[IPv6]:PORT`) of `stagehand worker`.
struct host_port {
  std::string host;
  std::uint16_t port = 0;
};

/// Reads `HOST:PORT`; nothing if it is not one (no host, no port, a port
/// that is not 1 to 65535).
std::optional<host_port> parse_host_port(const std::string& text);

/// `stagehand worker HOST:PORT`: registers the sample codeunits, joins the
/// coordinator and prints one line once joined; runs until SIGTERM or
/// SIGINT (exit 0), the coordinator's goodbye (exit 0) or its loss (exit 1).
/// A worker that cannot join exits 1 within 5 s with one line naming the
/// cause; a bad HOST:PORT exits 2.
int run_worker(config& cfg, const std::string& address, std::ostream& out,
               std::ostream& err);

} // namespace stagehand::apps
