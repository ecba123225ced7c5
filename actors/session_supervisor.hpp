#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include <caf/actor_clock.hpp>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/background_task.hpp"
#include "messages/child_session_actor.hpp"
#include "messages/page_internal_actor.hpp"
#include "messages/placement.hpp"
#include "messages/session_supervisor_actor.hpp"
#include "services/services.hpp"

namespace stagehand {

/// Enforces ChildSessionsMaxConcurrency and ChildSessionsMaxQueueLength for one
/// parent session, across all its pages. It owns slots, not outcomes: it
/// starts child sessions, frees a slot the moment a task finishes, times out
/// or is cancelled, and reports to the task's page, which decides whether the
/// outcome still matters. The slot of a task on a worker that is cancelled or
/// times out is freed when the worker acknowledges the cancel, or when
/// `cancel-ack-timeout` passes without that (see `cancel_state`). A task's
/// timeout counts from the moment its codeunit starts on a pool thread;
/// timeouts are delayed messages to itself, one for the earliest deadline at a
/// time. Outcomes come straight from the pool thread, so a result sent before
/// the timer fired is ahead of it in the mailbox, and wins.
struct session_supervisor_state {
  static inline const char* name = "stagehand.session_supervisor";

  using task_key = std::pair<page_id, task_id>;

  using time_point = caf::actor_clock::time_point;

  using deadline_map = std::multimap<time_point, task_key>;

  /// A run counts in whole milliseconds, as timeouts are given, so the timer
  /// fires one millisecond after the run has lasted exactly its timeout. A
  /// codeunit that waits its whole timeout (the article's `Wait` 1000 under a
  /// timeout of 1000) then completes, instead of racing the timer.
  static constexpr caf::timespan timeout_resolution
    = std::chrono::milliseconds(1);

  struct entry {
    background_task task;
    page_internal_actor page;
    /// Where it runs, once started.
    placement where;
    /// The child session that runs it in this process; the one actor whose
    /// reports about the task the supervisor accepts, unless `where` is a
    /// worker, whose agent that is then. Invalid while queued or remote.
    child_session_actor child;
    /// Where the running task's deadline sits in `deadlines`; none until
    /// its codeunit has started. While a cancel waits for the worker, it is
    /// the end of that wait.
    std::optional<deadline_map::iterator> deadline;
    /// A cancel (or timeout) of a task on a worker that the worker has not
    /// acknowledged yet: the slot stays taken until it does, or until
    /// `cancel-ack-timeout` forces it. `page_waits` is true if the page
    /// holds its cancelled event until then (a timeout's page does not).
    struct remote_cancel {
      bool page_waits = false;
    };
    std::optional<remote_cancel> cancelling;
  };

  session_id session = 0;
  services_ptr svc;
  std::deque<entry> queued;
  std::map<task_key, entry> running;
  /// Deadlines of the running tasks, earliest first.
  deadline_map deadlines;
  /// The worker agents it monitors, for the tasks placed on them.
  std::set<caf::actor_addr> watched;
  /// When the pending `timeout_tick` fires, if one is pending.
  std::optional<time_point> wakeup;
};

session_supervisor_actor::behavior_type session_supervisor(
  session_supervisor_actor::stateful_pointer<session_supervisor_state> self,
  session_id session, services_ptr svc);

} // namespace stagehand
