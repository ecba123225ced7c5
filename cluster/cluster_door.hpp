#pragma once

#include <memory>
#include <string>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/logger.h>

#include "messages/cluster_door_actor.hpp"
#include "services/node_table.hpp"

namespace stagehand {

/// What the door of one coordinator knows.
struct cluster_door_state {
  std::shared_ptr<node_table> nodes;
  /// The coordinator's node name, sent back in `worker_welcome`.
  std::string node;
  /// The coordinator's `message_types_fingerprint`.
  std::string types;
  std::shared_ptr<spdlog::logger> log;
  static inline const char* name = "stagehand.cluster_door";
};

/// The coordinator's door: answers `worker_join` (checking the protocol
/// version, the message types and the node name), lists the worker in the
/// node table, and monitors its agent. When the agent goes down (CAF 0.17
/// kills every proxy of a node whose connection closes or misses its
/// heartbeats, with `remote_link_unreachable`), the worker is marked lost.
/// Logs `event=worker_joined`, `event=worker_refused` and `event=worker_lost`.
cluster_door_actor::behavior_type
cluster_door(cluster_door_actor::stateful_pointer<cluster_door_state> self,
             std::shared_ptr<node_table> nodes, std::string node,
             std::string types, std::shared_ptr<spdlog::logger> log);

} // namespace stagehand
