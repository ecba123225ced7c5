#pragma once

#include <cstdint>
#include <string>

namespace stagehand {

/// One node's load as `/metrics` shows it: this process (`local`) or a worker
/// that joined it. Plain figures, so that the server need not know the node
/// table.
struct node_load {
  /// `local`, or the worker's `node-name`.
  std::string name;
  /// Page tasks and background sessions running there now.
  std::uint64_t running = 0;
  /// Codeunits it runs at once, as placement weighs it.
  std::uint64_t capacity = 0;
  /// How often a node of this name was lost.
  std::uint64_t lost_total = 0;
  /// Seconds since the coordinator last heard from it; 0 for `local`.
  double last_heard_seconds = 0;
  /// False once it was lost: it gets no work until it joins again.
  bool live = true;
};

} // namespace stagehand
