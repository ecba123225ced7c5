#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/session_finished.hpp"
#include "messages/session_stop_acknowledged.hpp"

namespace stagehand {

/// The background session manager as a worker sees it: the two messages a
/// worker may send it, the outcome of a session placed there and the
/// acknowledgement of its stop. The manager's full face (launch, stop,
/// shutdown) never crosses the network, so a worker cannot even name what
/// only the runtime may ask.
using session_report_actor
  = caf::typed_actor<caf::reacts_to<session_finished>,
                     caf::reacts_to<session_stop_acknowledged>>;

} // namespace stagehand
