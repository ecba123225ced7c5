#pragma once

#include <cstdint>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/ids.hpp"
#include "messages/session_finished.hpp"
#include "messages/session_outcome.hpp"
#include "messages/session_stop_acknowledged.hpp"
#include "messages/session_timeout.hpp"
#include "messages/stop_ack_timeout.hpp"
#include "messages/launch_session.hpp"
#include "messages/stop_session.hpp"

namespace stagehand {

/// The server-wide background session manager's boundary: StartSession (as
/// `launch_session`, resolved by the runtime actor), StopSession and
/// IsSessionActive, outcome and launch subscriptions, reports from its
/// sessions and the workers that run them, and its own timers. The load query
/// returns (running, queued); shutdown stops every session and answers with how
/// many it stopped.
using background_session_manager_actor = caf::typed_actor<
  caf::replies_to<launch_session>::with<session_id>,
  caf::replies_to<stop_session>::with<bool>,
  caf::replies_to<is_active_atom, session_id>::with<bool>,
  caf::replies_to<outcome_atom, session_id>::with<session_outcome>,
  caf::replies_to<started_atom, session_id>::with<bool>,
  caf::reacts_to<session_finished>, caf::reacts_to<session_timeout>,
  caf::reacts_to<session_stop_acknowledged>, caf::reacts_to<stop_ack_timeout>,
  caf::reacts_to<purge_atom>,
  caf::replies_to<load_atom>::with<std::uint64_t, std::uint64_t>,
  caf::replies_to<shutdown_atom>::with<std::uint64_t>>;

} // namespace stagehand
