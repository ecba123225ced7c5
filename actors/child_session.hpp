#pragma once

#include <memory>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/background_task.hpp"
#include "messages/child_session_actor.hpp"
#include "messages/session_supervisor_actor.hpp"
#include "core/cancellation_token.hpp"
#include "services/services.hpp"

namespace stagehand {

/// A child session runs exactly one codeunit for one page background task.
/// The codeunit runs on the blocking executor, whose job tells the supervisor
/// when it starts and what it returned; the actor is the session itself: its
/// Active Session row and its cancellation token, so that a cancel (page
/// change, timeout) is handled at once even while the codeunit is still busy.
struct child_session_state {
  static inline const char* name = "stagehand.child_session";

  background_task task;
  session_supervisor_actor supervisor;
  std::shared_ptr<cancellation_token> token;
  /// Its own session id, under which it appears in the Active Session table.
  session_id id = 0;
};

child_session_actor::behavior_type
child_session(child_session_actor::stateful_pointer<child_session_state> self,
              background_task task, session_supervisor_actor supervisor,
              services_ptr svc);

} // namespace stagehand
