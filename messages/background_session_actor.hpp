#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/session_finished.hpp"

namespace stagehand {

/// A background session's boundary: its manager may cancel it, and the worker
/// that runs its codeunit hands back the outcome.
using background_session_actor
  = caf::typed_actor<caf::reacts_to<cancel_atom>,
                     caf::reacts_to<session_finished>>;

} // namespace stagehand
