#pragma once

#include <string>

#include "messages/worker_actor.hpp"

namespace stagehand {

/// The name a node gives its own process in placements, logs and events.
inline constexpr const char* local_node_name = "local";

/// Where one task or session runs: this process, or a worker and its agent.
struct placement {
  std::string node = local_node_name;
  /// Null for this process.
  worker_actor agent;
  /// Whether the node table counted it, and so must uncount it.
  bool counted = false;

  bool local() const {
    return !agent;
  }
};

} // namespace stagehand
