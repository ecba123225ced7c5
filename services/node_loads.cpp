#include "services/node_loads.hpp"

namespace stagehand {

std::vector<node_load> node_loads(const node_table& nodes,
                                  const counters& stats,
                                  std::chrono::steady_clock::time_point now) {
  auto workers = nodes.list();
  std::vector<node_load> result;
  result.reserve(workers.size() + 1);
  std::uint64_t on_workers = 0;
  for (auto& w : workers)
    on_workers += w.running;
  // The stats and the table move a moment apart (a task is counted in one
  // just before the other), so the difference may dip below 0 for an instant.
  auto all = stats.active_child_sessions + stats.active_background_sessions;
  node_load local;
  local.name = local_node_name;
  local.running = all > on_workers ? all - on_workers : 0;
  local.capacity = nodes.mode() == placement_mode::remote
                     ? 0
                     : nodes.local_capacity();
  result.push_back(std::move(local));
  for (auto& w : workers) {
    node_load x;
    x.name = w.name;
    x.running = w.running;
    x.capacity = w.capacity;
    x.lost_total = w.lost_count;
    x.live = w.live;
    x.last_heard_seconds
      = std::chrono::duration<double>(now - w.last_heard).count();
    if (x.last_heard_seconds < 0)
      x.last_heard_seconds = 0;
    result.push_back(std::move(x));
  }
  return result;
}

} // namespace stagehand
