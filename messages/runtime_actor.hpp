#pragma once

#include <cstdint>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/ids.hpp"
#include "messages/open_page.hpp"
#include "messages/open_session.hpp"
#include "messages/page_handle.hpp"
#include "messages/session_handle.hpp"
#include "messages/session_outcome.hpp"
#include "messages/start_session.hpp"
#include "messages/stop_session.hpp"

namespace stagehand {

/// The embedding API as an actor: what a service's own actors ask of
/// Stagehand with `request` or `send`, never blocking a thread. It opens and
/// closes sessions and opens pages; pages are then driven through their
/// `page_handle`. Background sessions: `start_session` (its `subscriber`
/// hears the outcome), `stop_session`, `is_active_atom`, `outcome_atom` and
/// `started_atom` answer as the blocking `runtime` does. Errors are
/// `caf::error`s of category `stagehand` (see `errc`). Shutting the runtime
/// down is the runtime's own business, so this face has no shutdown.
using runtime_actor = caf::typed_actor<
  caf::replies_to<open_session>::with<session_handle>,
  caf::replies_to<close_atom, session_id>::with<void>,
  caf::replies_to<open_page>::with<page_handle>,
  caf::replies_to<start_session>::with<session_id>,
  caf::replies_to<stop_session>::with<bool>,
  caf::replies_to<is_active_atom, session_id>::with<bool>,
  caf::replies_to<outcome_atom, session_id>::with<session_outcome>,
  caf::replies_to<started_atom, session_id>::with<bool>>;

} // namespace stagehand
