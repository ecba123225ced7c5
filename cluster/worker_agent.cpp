#include "cluster/worker_agent.hpp"

#include <utility>

#include <caf/system_messages.hpp>
#include <caf/event_based_actor.hpp>

#include "core/errc.hpp"

namespace stagehand {

worker_actor::behavior_type
worker_agent(worker_actor::stateful_pointer<worker_agent_state> self,
             std::shared_ptr<spdlog::logger> log, worker_ended ended) {
  self->state.log = std::move(log);
  self->state.ended = std::move(ended);
  return {
    [self](goodbye_atom, const std::string& reason) {
      auto& st = self->state;
      st.log->info("event=coordinator_goodbye reason=\"{}\"", reason);
      if (st.ended)
        std::exchange(st.ended, nullptr)(caf::none);
    },
  };
}

caf::actor watch_coordinator(caf::actor_system& sys, cluster_door_actor door,
                             std::string coordinator,
                             std::shared_ptr<spdlog::logger> log,
                             worker_ended ended) {
  // CAF 0.17 dereferences a null argument tuple when a function actor is
  // spawned without arguments, so the door is passed in.
  // Called at most once: the handler copies share it.
  auto once = std::make_shared<worker_ended>(std::move(ended));
  return sys.spawn(
    [coordinator, log, once](caf::event_based_actor* self,
                             const cluster_door_actor& door) {
      self->monitor(door);
      self->set_down_handler([=](caf::down_msg& msg) {
        log->warn("event=coordinator_lost node={} reason={}", coordinator,
                  caf::to_string(msg.reason));
        if (*once)
          std::exchange(*once, nullptr)(
            make_error(errc::node_lost, caf::make_message(coordinator)));
        self->quit();
      });
      // It only waits for the down message; this handler is never used.
      return caf::behavior{[](goodbye_atom) {}};
    },
    std::move(door));
}

} // namespace stagehand
