#pragma once

#include <string>

#include "actors/background_session_manager.hpp"

namespace stagehand {

using background_session_manager_ptr
  = background_session_manager_actor::stateful_pointer<
    background_session_manager_state>;

/// Starts a launched session's codeunit where the node table placed it: as a
/// `background_job` on this process's blocking executor, or as
/// `run_remote_session` on a worker's agent, which the manager then monitors.
void start_runner(background_session_manager_ptr self, session_id id,
                  const background_session_manager_state::entry& e);

/// Tells a running session's codeunit that it was stopped. A local one wakes
/// on the token that the manager cancelled; a worker's is told to cancel its
/// own with `comment`.
void stop_runner(background_session_manager_ptr self, session_id id,
                 const background_session_manager_state::entry& e,
                 const std::string& comment);

/// True if the running session's report came from what runs it: the manager
/// itself for a local job, the agent of the session's worker otherwise.
bool from_runner(background_session_manager_ptr self,
                 const background_session_manager_state::entry& e);

} // namespace stagehand
