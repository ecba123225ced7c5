#pragma once

#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/logger.h>

#include "messages/cluster_door_actor.hpp"
#include "messages/worker_actor.hpp"

namespace stagehand {

/// Called once, on an actor's thread, when the worker's coordinator lets it
/// go (`goodbye`: no error) or is lost (`node_lost` naming it). Must not
/// block.
using worker_ended = std::function<void(caf::error)>;

struct worker_agent_state {
  std::shared_ptr<spdlog::logger> log;
  worker_ended ended;
  static inline const char* name = "stagehand.worker_agent";
};

/// A worker's agent: the actor its coordinator holds (`worker_actor`). It
/// hears the coordinator's `goodbye` and ends the worker; the next step
/// places tasks on it.
worker_actor::behavior_type
worker_agent(worker_actor::stateful_pointer<worker_agent_state> self,
             std::shared_ptr<spdlog::logger> log, worker_ended ended);

/// Spawns a local actor that monitors `door` (a proxy of the coordinator's
/// door) and calls `ended` with `node_lost` naming `coordinator` when the
/// proxy goes down: CAF 0.17 kills every proxy of a node whose connection
/// closes or misses its heartbeats. It is not the agent, so that no remote
/// node can send it anything. Keep the handle; it ends with it.
caf::actor watch_coordinator(caf::actor_system& sys, cluster_door_actor door,
                             std::string coordinator,
                             std::shared_ptr<spdlog::logger> log,
                             worker_ended ended);

} // namespace stagehand
