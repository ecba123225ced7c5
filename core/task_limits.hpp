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
  /// How long a page waits for its subscriber's IsHandled answer to an
  /// error; no answer by then counts as unhandled.
  caf::timespan subscriber_reply_timeout = std::chrono::seconds(1);
  /// How long the supervisor keeps the slot of a cancelled task on a worker
  /// while it waits for the worker to acknowledge the cancel; past it, the
  /// cancel is `forced`.
  caf::timespan cancel_ack_timeout = std::chrono::seconds(1);
};

} // namespace stagehand
