#pragma once

#include <functional>
#include <string>

#include "messages/background_task.hpp"
#include "messages/cancel_reason.hpp"
#include "messages/cancel_state.hpp"
#include "messages/dictionary.hpp"
#include "messages/task_error.hpp"

namespace stagehand {

/// One step in a page's life that an observer may want to see: the scenario
/// player prints them, tests record them. Triggers are for the page's own
/// logic; events are for watching it.
struct page_event {
  enum class kind {
    enqueued,
    enqueue_failed,
    started,
    completed,
    error,
    notification,
    cancelled,
  };

  kind what = kind::notification;
  session_id session = 0;
  page_id page = 0;
  /// The task the event is about; for notifications and failed enqueues only
  /// its tag (and codeunit) may be set.
  background_task task;
  /// For `started`: where the task runs, "local" or a worker's name.
  std::string node;
  /// completed: the results.
  dictionary results;
  /// error: what the error trigger received, and whether it handled it.
  task_error error;
  bool handled = false;
  /// notification: "info", "warning" or "error"; enqueue_failed: unused.
  std::string level;
  /// notification: its text; enqueue_failed: the reason, for people.
  std::string text;
  /// cancelled: why, and how far the cancel got (see `cancel_state`).
  cancel_reason reason = cancel_reason::requested;
  cancel_state cancel = cancel_state::acknowledged;
};

std::string to_string(page_event::kind x);

/// Receives events synchronously on the page's actor; it must be thread-safe
/// and quick, since many pages call it at once.
using page_observer = std::function<void(const page_event&)>;

} // namespace stagehand
