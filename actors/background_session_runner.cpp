#include "actors/background_session_runner.hpp"

#include <caf/send.hpp>

#include "actors/sender_check.hpp"
#include "core/guid.hpp"
#include "messages/cancel_remote_session.hpp"
#include "messages/run_remote_session.hpp"
#include "messages/session_finished.hpp"
#include "messages/stop_ack_timeout.hpp"
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

/// How far the stop of a session on a worker got.
void log_stop(const background_session_manager_state& st, session_id id,
              const placement& where, cancel_state how) {
  st.svc->log->info("session_type=Background session_id={} node={} "
                    "event=cancel cancel_state={}",
                    id, where.node, to_string(how));
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

bool stop_runner(background_session_manager_ptr self, session_id id,
                 const background_session_manager_state::entry& e,
                 const std::string& comment) {
  auto& st = self->state;
  if (e.where.local()) {
    // Its codeunit wakes on the token that the manager cancelled.
    st.svc->stats->cancels_acknowledged.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  self->send(e.where.agent,
             cancel_remote_session{
               id, comment, caf::actor_cast<session_report_actor>(self)});
  st.svc->stats->cancels_requested.fetch_add(1, std::memory_order_relaxed);
  log_stop(st, id, e.where, cancel_state::requested);
  self->delayed_send(self, st.svc->limits.cancel_ack_timeout,
                     stop_ack_timeout{id});
  return true;
}

bool end_stop(background_session_manager_ptr self, session_id id,
              cancel_state how) {
  auto& st = self->state;
  auto i = st.stopping.find(id);
  if (i == st.stopping.end())
    return false;
  auto where = std::move(i->second);
  st.stopping.erase(i);
  free_slot(st, where);
  auto& counter = how == cancel_state::acknowledged
                    ? st.svc->stats->cancels_acknowledged
                    : st.svc->stats->cancels_forced;
  counter.fetch_add(1, std::memory_order_relaxed);
  log_stop(st, id, where, how);
  return true;
}

void free_slot(background_session_manager_state& st, const placement& where) {
  --st.running;
  if (st.svc->nodes)
    st.svc->nodes->release(where);
}

bool from_runner(background_session_manager_ptr self, const placement& where,
                 const char* message) {
  auto& svc = *self->state.svc;
  if (where.local())
    return accept_from(self, self, svc, message);
  if (!accept_from(self, where.agent, svc, message))
    return false;
  if (svc.nodes)
    svc.nodes->heard(where.agent.address());
  return true;
}

void record_later(const background_session_manager_state& st, session_id id,
                  const background_session_manager_state::entry& e,
                  session_event::kind what, std::string comment) {
  if (!st.svc->companies)
    return;
  session_event ev{id,
                   what,
                   std::chrono::system_clock::now(),
                   client_type::background,
                   e.user,
                   std::move(comment),
                   e.unique_id.empty() ? make_guid() : e.unique_id};
  st.svc->executor->post([companies = st.svc->companies,
                          company = e.request.company, ev, log = st.svc->log] {
    record_session_event(*companies, company, ev, *log);
  });
}

} // namespace stagehand
