#pragma once

#include <string>

#include "actors/background_session_manager.hpp"
#include "data/session_event_log.hpp"
#include "messages/cancel_state.hpp"

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
/// on the token that the manager cancelled, and its slot is free at once. A
/// worker's is told to cancel its own with `comment`, and its slot stays
/// taken until the worker acknowledges that (`end_stop`), or until
/// `cancel-ack-timeout` passes or the worker is lost (forced).
/// @returns true if the slot stays taken.
bool stop_runner(background_session_manager_ptr self, session_id id,
                 const background_session_manager_state::entry& e,
                 const std::string& comment);

/// Frees the slot of a session stopped on a worker, which `how` settled.
/// @returns false if the stop was not waiting any more.
bool end_stop(background_session_manager_ptr self, session_id id,
              cancel_state how);

/// Frees a launched session's slot: in the manager's count and on its node.
void free_slot(background_session_manager_state& st, const placement& where);

/// True if a report about a running session came from what runs it, at
/// `where`: the manager itself for a local job, the agent of the session's
/// worker otherwise. Logs and refuses anyone else.
bool from_runner(background_session_manager_ptr self, const placement& where,
                 const char* message);

/// Records a session event that no runner will record (a stop before the
/// launch, a lost worker's Close), on the blocking executor: SQLite never
/// runs on the manager's thread.
void record_later(const background_session_manager_state& st, session_id id,
                  const background_session_manager_state::entry& e,
                  session_event::kind what, std::string comment);

} // namespace stagehand
