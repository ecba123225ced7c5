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
#include "cluster/coordinator_ref.hpp"
#include "cluster/remote_tokens.hpp"
#include "core/blocking_executor.hpp"
#include "data/company_directory.hpp"
#include "messages/worker_actor.hpp"
#include "services/codeunit_registry.hpp"

namespace stagehand {

/// Called once, on an actor's thread, when the worker's coordinator lets it
/// go (`goodbye`: no error) or is lost (`node_lost` naming it). Must not
/// block.
using worker_ended = std::function<void(caf::error)>;

/// What a worker's agent runs its tasks with, and whom it obeys.
struct worker_agent_setup {
  std::shared_ptr<spdlog::logger> log;
  worker_ended ended;
  std::shared_ptr<blocking_executor> executor;
  std::shared_ptr<const codeunit_registry> codeunits;
  std::shared_ptr<company_directory> companies;
  /// The node the worker joined; set by the worker once the join succeeds.
  /// Until then, and from any other node, the agent takes nothing.
  std::shared_ptr<coordinator_ref> coordinator;
};

struct worker_agent_state {
  static inline const char* name = "stagehand.worker_agent";

  worker_agent_setup setup;
  /// The tokens of the tasks it runs, shared with their jobs, which remove
  /// themselves when they end.
  std::shared_ptr<remote_task_tokens> tokens;
  /// Likewise for the background sessions it runs.
  std::shared_ptr<remote_session_tokens> sessions;
};

/// A worker's agent: the actor its coordinator holds (`worker_actor`). It
/// runs the page tasks and background sessions placed on the worker on the
/// worker's own pool, and each job reports to the task's supervisor or the
/// session's manager as the agent, so that they can tell that the report
/// comes from the node the work was placed on. A cancel sets the work's
/// token. `goodbye` ends the worker.
worker_actor::behavior_type
worker_agent(worker_actor::stateful_pointer<worker_agent_state> self,
             worker_agent_setup setup);

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
