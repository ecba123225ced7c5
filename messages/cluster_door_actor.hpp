#pragma once

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/worker_join.hpp"
#include "messages/worker_welcome.hpp"

namespace stagehand {

/// The coordinator's face that the network sees: the one actor published on
/// `cluster-address:cluster-port`. It takes a join request and nothing else,
/// so that a process that reaches the port can ask to join and cannot say
/// anything only the runtime may say. A join is refused with
/// `incompatible_version`, `message_types_mismatch` or `duplicate_node`.
using cluster_door_actor
  = caf::typed_actor<caf::replies_to<worker_join>::with<worker_welcome>>;

} // namespace stagehand
