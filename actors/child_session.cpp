#include "actors/child_session.hpp"

#include <caf/send.hpp>

#include "actors/sender_check.hpp"
#include "core/errc.hpp"

namespace stagehand {

namespace {

void log_event(const services& svc, const background_task& task,
               const char* event) {
  svc.log->debug("session_type=ChildSession session_id={} page_id={} "
                 "task_id={} codeunit={} event={}",
                 task.session, task.page, task.id, task.codeunit, event);
}

} // namespace

child_session_actor::behavior_type
child_session(child_session_actor::stateful_pointer<child_session_state> self,
              background_task task, session_supervisor_actor supervisor,
              services_ptr svc) {
  auto& st = self->state;
  st.task = std::move(task);
  st.supervisor = std::move(supervisor);
  st.token = std::make_shared<cancellation_token>();
  st.id = svc->next_session_id->fetch_add(1, std::memory_order_relaxed);
  svc->registry->add(st.id, client_type::child_session, st.task.user,
                     st.task.company);
  self->attach_functor([registry = svc->registry, id = st.id] {
    registry->remove(id);
  });
  log_event(*svc, st.task, "started");
  auto unit = svc->codeunits->find(st.task.codeunit);
  if (unit == nullptr) {
    // Pages check the id at enqueue; this covers a registry that changed since.
    self->send(st.supervisor,
               child_finished{
                 st.task.page, st.task.id,
                 task_outcome::failed(
                   {codeunit_error_code,
                    describe(make_error(errc::unknown_codeunit,
                                        caf::make_message(st.task.codeunit))),
                    ""})});
    self->send(self, codeunit_returned{});
  } else {
    auto me = caf::actor_cast<child_session_actor>(self);
    // The job holds the company directory, not `svc`: services own the
    // executor and so its queued jobs, and that cycle would never be freed.
    // It reports start and outcome to the supervisor itself: the timeout
    // counts from the start, and a result sent before the timer fired is
    // ahead of the timer in the supervisor's mailbox.
    svc->executor->post([me, supervisor = st.supervisor, unit, task = st.task,
                         token = st.token, companies = svc->companies,
                         host = svc->host, clock = &self->clock()] {
      // A task cancelled or timed out while it waited for a thread never runs.
      if (token->cancelled())
        return;
      // Sent as the child session: the supervisor takes reports about a task
      // only from the child session that runs it.
      caf::send_as(me, supervisor, child_started{task.page, task.id});
      // Like the supervisor's timeout, the budget counts from the start.
      auto budget = time_budget::starting_now(*clock, task.timeout);
      auto outcome = [&] {
        // The connection goes back to the pool before the page hears of it.
        codeunit_context ctx(task, token, companies.get(),
                             access_mode::read_only, host, budget);
        return unit->invoke(ctx);
      }();
      caf::send_as(me, supervisor,
                   child_finished{task.page, task.id, std::move(outcome)});
      caf::send_as(me, me, codeunit_returned{});
    });
  }
  return {
    [self, svc](codeunit_returned) {
      if (!accept_from(self, self, *svc, "codeunit_returned"))
        return;
      log_event(*svc, self->state.task, "returned");
      self->quit();
    },
    [self, svc](cancel_atom) {
      auto& st = self->state;
      if (!accept_from(self, st.supervisor, *svc, "cancel"))
        return;
      log_event(*svc, st.task, "cancelled");
      st.token->cancel();
      self->quit();
    },
  };
}

} // namespace stagehand
