#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "cluster/coordinator_ref.hpp"
#include "messages/cluster_door_actor.hpp"

namespace stagehand {

/// How long a worker may take to join before it gives up: the connection,
/// the TLS handshake and the coordinator's answer together. Half a second
/// below 5 s, so that `stagehand worker` has started, failed and exited
/// within 5 s.
inline constexpr std::chrono::milliseconds worker_join_timeout{4000};

/// Where a worker joins, and how.
struct join_target {
  std::string host;
  std::uint16_t port = 0;
  /// Through `caf::openssl::manager` (mutual TLS) rather than the middleman.
  bool tls = false;
};

/// Connects to the door at `target` and asks it to take `request`, within
/// `within` in all. CAF 0.17's `remote_actor` blocks with no timeout, so
/// this asks the middleman's (or the openssl manager's) actor with a
/// request that has one.
/// @returns the coordinator's welcome and its door, or an error naming the
///          cause: `coordinator_unreachable` (nothing listens, no answer in
///          time, not a Stagehand door), `certificate_refused` (the TLS
///          handshake failed), `incompatible_version`,
///          `message_types_mismatch` or `duplicate_node` (the door refused).
/// `coordinator` learns the door's node before the join request goes out:
/// the door lists the worker as live before it answers, and work placed on
/// it at once must find its agent already obeying that node.
caf::expected<std::pair<worker_welcome, cluster_door_actor>>
join_coordinator(caf::actor_system& sys, const join_target& target,
                 worker_join request, coordinator_ref& coordinator,
                 caf::timespan within = worker_join_timeout);

} // namespace stagehand
