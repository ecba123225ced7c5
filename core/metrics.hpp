#pragma once

#include <atomic>
#include <cstdint>

namespace stagehand {

/// A snapshot of the runtime's counters (SPEC.md §1 "Monitoring").
struct counters {
  /// `# Active child sessions`: tasks holding a running slot.
  std::uint64_t active_child_sessions = 0;
  /// Tasks waiting for a slot.
  std::uint64_t queued_tasks = 0;
  /// Tasks that pages accepted and that have no outcome yet.
  std::uint64_t pending_tasks = 0;
  std::uint64_t enqueued = 0;
  std::uint64_t enqueue_failed = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t timed_out = 0;
  std::uint64_t cancelled = 0;
  /// Cancels of running work (page tasks, background sessions) by state:
  /// every cancel sent to a worker counts as requested; each cancel then
  /// counts once as acknowledged or forced (a local or queued task's, and a
  /// local session's, at once as acknowledged).
  std::uint64_t cancels_requested = 0;
  std::uint64_t cancels_acknowledged = 0;
  std::uint64_t cancels_forced = 0;
  /// Background sessions running, and waiting for a slot.
  std::uint64_t active_background_sessions = 0;
  std::uint64_t queued_background_sessions = 0;
};

/// The live counters. Supervisors and pages update them as they go; anyone may
/// read a snapshot. Relaxed atomics suffice: each counter is independent.
class metrics {
public:
  std::atomic<std::uint64_t> active_child_sessions{0};
  std::atomic<std::uint64_t> queued_tasks{0};
  std::atomic<std::uint64_t> pending_tasks{0};
  std::atomic<std::uint64_t> enqueued{0};
  std::atomic<std::uint64_t> enqueue_failed{0};
  std::atomic<std::uint64_t> completed{0};
  std::atomic<std::uint64_t> failed{0};
  std::atomic<std::uint64_t> timed_out{0};
  std::atomic<std::uint64_t> cancelled{0};
  std::atomic<std::uint64_t> cancels_requested{0};
  std::atomic<std::uint64_t> cancels_acknowledged{0};
  std::atomic<std::uint64_t> cancels_forced{0};
  std::atomic<std::uint64_t> active_background_sessions{0};
  std::atomic<std::uint64_t> queued_background_sessions{0};

  counters snapshot() const;
};

} // namespace stagehand
