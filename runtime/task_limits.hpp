#pragma once

#include <cstddef>

#include <caf/timespan.hpp>

namespace stagehand {

/// The page background task limits of SPEC.md §1, as one value that the
/// supervisor and the pages share. Defaults are the platform's.
struct task_limits {
  /// ChildSessionsMaxConcurrency, per parent session.
  std::size_t max_concurrency = 5;
  /// ChildSessionsMaxQueueLength, per parent session.
  std::size_t max_queue_length = 100;
  /// PageBackgroundTaskDefaultTimeout.
  caf::timespan default_timeout = std::chrono::minutes(2);
  /// PageBackgroundTaskMaxTimeout; longer timeouts are capped to it.
  caf::timespan max_timeout = std::chrono::minutes(10);
};

} // namespace stagehand
