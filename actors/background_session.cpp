#include "actors/background_session.hpp"

#include <caf/send.hpp>

namespace stagehand {

background_session_actor::behavior_type background_session(
  background_session_actor::stateful_pointer<background_session_state> self,
  background_job job, background_session_manager_actor manager,
  services_ptr svc) {
  self->state.id = job.session.session;
  self->state.manager = std::move(manager);
  auto me = caf::actor_cast<background_session_actor>(self);
  // The job holds what it needs, not `svc`: services own the executor and so
  // its queued jobs, and that cycle would never be freed.
  svc->executor->post([me, job = std::move(job)] {
    caf::anon_send(me, session_finished{job.session.session, job.run()});
  });
  return {
    [self](session_finished& msg) {
      self->send(self->state.manager, std::move(msg));
      self->quit();
    },
    [self](cancel_atom) {
      // The manager has decided the outcome and cancelled the token; the
      // worker unwinds and records its Stop event without us.
      self->quit();
    },
  };
}

} // namespace stagehand
