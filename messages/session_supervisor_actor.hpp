#pragma once

#include "messages/cancel_acknowledged.hpp"
#include <cstdint>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/cancel_tasks.hpp"
#include "messages/child_finished.hpp"
#include "messages/child_started.hpp"
#include "messages/submit_task.hpp"
#include "messages/timeout_tick.hpp"

namespace stagehand {

/// The supervisor's boundary: pages submit and cancel, the pool threads that
/// run codeunits report their start and outcome, workers acknowledge
/// cancels, and the supervisor's own
/// delayed `timeout_tick` messages arrive here. The load query returns
/// (running, queued).
using session_supervisor_actor = caf::typed_actor<
  caf::reacts_to<submit_task>, caf::reacts_to<cancel_tasks>,
  caf::reacts_to<child_started>, caf::reacts_to<child_finished>,
  caf::reacts_to<timeout_tick>, caf::reacts_to<cancel_acknowledged>,
  caf::replies_to<load_atom>::with<std::uint64_t, std::uint64_t>,
  caf::reacts_to<shutdown_atom>>;

} // namespace stagehand
