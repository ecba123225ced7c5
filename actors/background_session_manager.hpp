#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "messages/background_session_manager_actor.hpp"
#include "messages/placement.hpp"
#include "core/cancellation_token.hpp"
#include "services/services.hpp"

namespace stagehand {

/// Enforces BackgroundSessionsMaxConcurrent, BackgroundSessionsMaxQueued,
/// the session timeout and MaximumSessionRecursionDepth for the whole server,
/// and is the one judge of each background session's outcome: completed or
/// failed when its codeunit returns, stopped or timed out when a stop or the
/// timeout wins the race for its token (see `cancellation_token`). Whoever
/// subscribed hears the outcome once; recent outcomes stay answerable.
/// Each codeunit runs on the blocking executor, or on a worker node that the
/// node table picks, and reports the outcome here, so the manager can stop
/// or time out a session whose codeunit is busy without waiting for it. A
/// session on a worker that is lost fails with `ChildSessionNodeLost`. At
/// shutdown it answers every subscriber before it quits: stopped, or the real
/// outcome of a session whose worker had already claimed its commit.
struct background_session_manager_state {
  static inline const char* name = "stagehand.background_session_manager";

  /// A session that has not ended yet.
  struct entry {
    start_session request;
    /// Whom the session runs as, decided by the runtime actor.
    std::string user;
    /// The first session of the chain this one belongs to, and how many
    /// background sessions deep it sits (1 for one started from outside).
    session_id origin = 0;
    std::size_t depth = 1;
    std::string unique_id;
    std::shared_ptr<cancellation_token> token;
    /// False while queued.
    bool running = false;
    /// Where it runs once launched: this process, or a worker.
    placement where;
    /// When the budget of the session that started it runs out, if that one
    /// passed its budget on: this session must not outlive it.
    std::optional<caf::actor_clock::time_point> caller_deadline;
    /// When it times out, from its launch on.
    caf::actor_clock::time_point deadline;
    std::vector<caf::typed_response_promise<session_outcome>> waiters;
    /// Who waits for a queued session to launch.
    std::vector<caf::typed_response_promise<bool>> launch_waiters;
  };

  services_ptr svc;
  std::map<session_id, entry> sessions;
  std::deque<session_id> queue;
  std::size_t running = 0;
  /// Outcomes of the most recent sessions, oldest first in `ended_order`.
  std::map<session_id, session_outcome> ended;
  std::deque<session_id> ended_order;
  bool shutting_down = false;
  /// The agents of the workers it placed sessions on, which it monitors.
  std::set<caf::actor_addr> watched;
  /// Where each session stopped on a worker ran, while its slot waits for
  /// the worker's acknowledgement: the slot stands for a thread there that
  /// may still be busy.
  std::map<session_id, placement> stopping;
};

/// How many ended sessions' outcomes the manager keeps for late subscribers.
inline constexpr std::size_t recent_outcomes = 1024;

background_session_manager_actor::behavior_type
background_session_manager(background_session_manager_actor::stateful_pointer<
                             background_session_manager_state>
                             self,
                           services_ptr svc);

} // namespace stagehand
