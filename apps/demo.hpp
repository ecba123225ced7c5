#pragma once

#include <iosfwd>

#include "runtime/config.hpp"

namespace stagehand::apps {

/// `stagehand demo`: the seeds' Customer Card example as a readable timeline,
/// once with a task that finishes in time and once with one that times out.
int run_demo(config& cfg, std::ostream& out);

} // namespace stagehand::apps
