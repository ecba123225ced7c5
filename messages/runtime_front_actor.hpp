#pragma once

#include <cstdint>

#include <caf/replies_to.hpp>

#include "messages/atoms.hpp"
#include "messages/blocking_done.hpp"
#include "messages/launch_session.hpp"
#include "messages/runtime_actor.hpp"
#include "messages/session_supervisor_actor.hpp"

namespace stagehand {

/// The runtime actor as its owner, the `runtime`, holds it: the public face
/// plus what only actors of this process may send, which the actor checks.
/// `shutdown_atom` stops every background session and closes every session,
/// answering with how many background sessions it stopped; then the actor
/// quits. `launch_session` starts a session as a user with no session (an
/// operation's caller). `supervisor_atom` gives a session's supervisor, for
/// pages whose triggers run in this process. `blocking_done` is its jobs
/// reporting back.
using runtime_front_actor = runtime_actor::extend<
  caf::replies_to<shutdown_atom>::with<std::uint64_t>,
  caf::replies_to<launch_session>::with<session_id>,
  caf::replies_to<supervisor_atom, session_id>::with<session_supervisor_actor>,
  caf::reacts_to<blocking_done>>;

} // namespace stagehand
