#pragma once

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/background_session_actor.hpp"
#include "messages/background_session_manager_actor.hpp"
#include "runtime/background_job.hpp"
#include "runtime/services.hpp"

namespace stagehand {

/// A background session: one codeunit, started by `StartSession`, running
/// read-write with no UI. The codeunit runs on the blocking executor; the
/// actor waits for it and reports to the manager, so the manager can stop or
/// time out a session whose codeunit is busy without waiting for it.
struct background_session_state {
  static inline const char* name = "stagehand.background_session";

  session_id id = 0;
  background_session_manager_actor manager;
};

background_session_actor::behavior_type background_session(
  background_session_actor::stateful_pointer<background_session_state> self,
  background_job job, background_session_manager_actor manager,
  services_ptr svc);

} // namespace stagehand
