#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

/// Where a distributed run's tasks started and how many failed, so that no
/// figure is taken from tasks that ran elsewhere than meant, or did not run.
struct placement_counts {
  std::atomic<std::int64_t> local{0};
  std::atomic<std::int64_t> remote{0};
  std::atomic<std::int64_t> errors{0};

  /// Counts `ev` if it is a start or an error.
  void count(const page_event& ev) {
    if (ev.what == page_event::kind::started)
      ++(ev.node == "local" ? local : remote);
    else if (ev.what == page_event::kind::error)
      ++errors;
  }

  /// Throws if a task failed, or started on the wrong side of the door for
  /// a run with `workers` workers (none: every task local).
  void check(int workers) const {
    if (errors > 0)
      throw std::runtime_error(std::to_string(errors.load())
                               + " tasks ended in an error");
    auto misplaced = workers == 0 ? remote.load() : local.load();
    if (misplaced > 0)
      throw std::runtime_error(std::to_string(misplaced)
                               + " tasks ran on the wrong side of the door");
  }
};

/// A task that runs for a minute unless cancelled: longer than any trial
/// that cancels it or loses its node.
inline enqueue_task minute_long_task() {
  return {samples::wait_codeunit,
          {{"Wait", "60000"}},
          caf::none,
          error_level::error,
          ""};
}

} // namespace stagehand::bench
