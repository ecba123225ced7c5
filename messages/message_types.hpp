#pragma once

#include <caf/actor_system_config.hpp>

namespace stagehand {

/// Registers every message type that crosses an actor boundary with CAF's
/// type system, under a stable name, so that any of them can travel to an
/// actor on another node. It sits beside the messages so that a new message
/// and its registration are one change in one folder.
void register_message_types(caf::actor_system_config& cfg);

} // namespace stagehand
