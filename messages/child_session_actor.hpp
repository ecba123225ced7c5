#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/codeunit_returned.hpp"

namespace stagehand {

/// The child session's boundary: its supervisor may cancel it, and the worker
/// that runs its codeunit says when it is done.
using child_session_actor = caf::typed_actor<caf::reacts_to<cancel_atom>,
                                             caf::reacts_to<codeunit_returned>>;

} // namespace stagehand
