#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/session_ended.hpp"

namespace stagehand {

/// What a service's actor implements to hear how the background sessions it
/// starts end, as messages rather than by waiting.
using session_subscriber_actor
  = caf::typed_actor<caf::reacts_to<session_ended>>;

} // namespace stagehand
