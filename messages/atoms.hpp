#pragma once

#include <caf/atom.hpp>

namespace stagehand {

/// Asks a page how many of its tasks have not reached an outcome yet.
using pending_tasks_atom = caf::atom_constant<caf::atom("pending")>;

/// Asks a page to reply once it has no pending tasks (part pages).
using tasks_done_atom = caf::atom_constant<caf::atom("tasksdone")>;

/// Asks a supervisor for its running and queued task counts.
using load_atom = caf::atom_constant<caf::atom("load")>;

/// Stops a supervisor and every child session it still runs.
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;

/// Tells a child session that its outcome is no longer wanted.
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;

/// Asks the background session manager whether a session is queued or running.
using is_active_atom = caf::atom_constant<caf::atom("isactive")>;

/// Asks the background session manager for a session's outcome, answered when
/// the session ends (at once if it has ended recently).
using outcome_atom = caf::atom_constant<caf::atom("outcome")>;

/// Asks the background session manager whether a session launched, answered
/// true when it does (at once if it runs), false if it ends without.
using started_atom = caf::atom_constant<caf::atom("started")>;

/// Asks the runtime actor to close a session: its pages close, cancelling
/// their tasks, and its Logoff event is recorded.
using close_atom = caf::atom_constant<caf::atom("close")>;

/// Asks the runtime actor for the supervisor of a session's page tasks, so
/// that the runtime can open a page whose triggers are code in its process.
using supervisor_atom = caf::atom_constant<caf::atom("supervisor")>;

/// Tells the background session manager to purge old session events.
using purge_atom = caf::atom_constant<caf::atom("purge")>;

/// Tells a worker's agent that its coordinator lets it go (shutdown), with
/// the reason; the worker then ends.
using goodbye_atom = caf::atom_constant<caf::atom("goodbye")>;

} // namespace stagehand
