#pragma once

#include <iosfwd>

#include "server/serve_config.hpp"

namespace stagehand::apps {

/// `stagehand serve`: the background operations HTTP API on the runtime,
/// with the sample operations. Prints `listening on <base-url>` once it
/// accepts requests, and on SIGTERM or SIGINT shuts down gracefully and
/// returns 0.
int run_serve(serve_config& cfg, std::ostream& out, std::ostream& err);

} // namespace stagehand::apps
