#include "actors/background_session_runner.hpp"

#include <caf/send.hpp>

#include "actors/sender_check.hpp"
#include "messages/cancel_remote_session.hpp"
#include "messages/run_remote_session.hpp"
#include "messages/session_finished.hpp"
#include "services/background_job.hpp"
#include "services/node_table.hpp"

namespace stagehand {

namespace {

background_task as_task(session_id id,
                        const background_session_manager_state::entry& e) {
  auto& req = e.request;
  background_task task;
  task.session = id;
  task.codeunit = req.codeunit;
  task.parameters = req.parameters;
  // What is left of it, which is all of it: the session launches now.
  task.timeout = req.timeout;
  task.record_id = req.record_id;
  task.tag = req.tag;
  task.company = req.company;
  task.user = e.user;
  return task;
}

} // namespace

void start_runner(background_session_manager_ptr self, session_id id,
                  const background_session_manager_state::entry& e) {
  auto& st = self->state;
  if (!e.where.local()) {
    // CAF 0.17 kills a node's proxies when its connection goes, so the
    // monitor is how a lost worker shows here.
    if (st.watched.insert(e.where.agent.address()).second)
      self->monitor(e.where.agent);
    self->send(e.where.agent,
               run_remote_session{as_task(id, e), e.unique_id,
                                  caf::actor_cast<session_report_actor>(self)});
    return;
  }
  background_job job{as_task(id, e),
                     e.unique_id,
                     st.svc->codeunits->find(e.request.codeunit),
                     e.token,
                     st.svc->companies,
                     st.svc->host,
                     st.svc->log,
                     time_budget{self->clock(), e.deadline}};
  // The job holds what it needs, not `svc`, and only a weak handle to the
  // manager: services own the executor and so its queued jobs, and that
  // cycle would never be freed.
  auto manager = caf::actor_cast<caf::weak_actor_ptr>(self);
  st.svc->executor->post([manager, job = std::move(job)] {
    auto outcome = job.run();
    // Sent as the manager itself, which takes this report from no one else.
    if (auto alive = manager.lock()) {
      auto me = caf::actor_cast<background_session_manager_actor>(alive);
      caf::send_as(me, me,
                   session_finished{job.session.session, std::move(outcome)});
    }
  });
}

void stop_runner(background_session_manager_ptr self, session_id id,
                 const background_session_manager_state::entry& e,
                 const std::string& comment) {
  if (!e.where.local())
    self->send(e.where.agent, cancel_remote_session{id, comment});
}

bool from_runner(background_session_manager_ptr self,
                 const background_session_manager_state::entry& e) {
  auto& svc = *self->state.svc;
  if (e.where.local())
    return accept_from(self, self, svc, "session_finished");
  if (!accept_from(self, e.where.agent, svc, "session_finished"))
    return false;
  if (svc.nodes)
    svc.nodes->heard(e.where.agent.address());
  return true;
}

} // namespace stagehand
