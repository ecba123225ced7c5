#include "core/metrics.hpp"

namespace stagehand {

counters metrics::snapshot() const {
  auto get = [](const std::atomic<std::uint64_t>& x) {
    return x.load(std::memory_order_relaxed);
  };
  return {get(active_child_sessions),
          get(queued_tasks),
          get(pending_tasks),
          get(enqueued),
          get(enqueue_failed),
          get(completed),
          get(failed),
          get(timed_out),
          get(cancelled),
          get(cancels_requested),
          get(cancels_acknowledged),
          get(cancels_forced),
          get(active_background_sessions),
          get(queued_background_sessions)};
}

} // namespace stagehand
