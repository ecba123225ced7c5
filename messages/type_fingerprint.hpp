#pragma once

#include <string>

#include <caf/actor_system_config.hpp>

namespace stagehand {

/// A short digest of the names of every `stagehand::` message type that
/// `cfg` registers, e.g. `47-9f3c2a1be07d5c11` (count, then a 64-bit FNV-1a
/// hash of the sorted names). Two nodes with the same fingerprint can read
/// each other's messages by name; a worker and a coordinator compare them at
/// the join, since CAF 0.17 would otherwise drop an unknown message with only
/// a log line.
std::string message_types_fingerprint(const caf::actor_system_config& cfg);

} // namespace stagehand
