#include "cluster/worker_agent.hpp"

#include <utility>

#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "core/errc.hpp"
#include "messages/cancel_acknowledged.hpp"
#include "messages/child_finished.hpp"
#include "messages/child_started.hpp"
#include "messages/session_finished.hpp"
#include "messages/session_stop_acknowledged.hpp"
#include "services/background_job.hpp"
#include "services/codeunit_context.hpp"

namespace stagehand {

namespace {

using agent_ptr = worker_actor::stateful_pointer<worker_agent_state>;

/// True if the worker's coordinator sent the message being handled; logs and
/// drops it otherwise.
bool from_coordinator(agent_ptr self, const char* message) {
  auto& sender = self->current_sender();
  if (sender != nullptr && self->state.setup.coordinator->is(sender->node()))
    return true;
  self->state.setup.log->warn("actor=stagehand.worker_agent message={} "
                              "event=forged_message_refused",
                              message);
  return false;
}

/// Runs one placed task on the worker's pool. Reports go out as the agent:
/// the supervisor takes them only from the agent of the task's node.
void run(agent_ptr self, run_remote_task& msg) {
  auto& setup = self->state.setup;
  auto tokens = self->state.tokens;
  remote_task_tokens::key key{msg.task.page, msg.task.id};
  auto token = tokens->add(key);
  auto me = caf::actor_cast<worker_actor>(self);
  auto unit = setup.codeunits->find(msg.task.codeunit);
  setup.log->debug("session_type=ChildSession session_id={} page_id={} "
                   "task_id={} codeunit={} event=placed",
                   msg.task.session, msg.task.page, msg.task.id,
                   msg.task.codeunit);
  setup.executor->post([me, tokens, key, token, unit,
                        task = std::move(msg.task),
                        report_to = std::move(msg.report_to),
                        companies = setup.companies, clock = &self->clock()] {
    // Cancelled or timed out while it waited for a thread: never runs.
    if (!token->cancelled()) {
      caf::send_as(me, report_to, child_started{task.page, task.id});
      // The supervisor's timeout counts from this start; the budget counts
      // the same on this node's clock, which needs no sync with its own.
      auto budget = time_budget::starting_now(*clock, task.timeout);
      auto outcome = [&] {
        if (!unit)
          return task_outcome::failed(
            {codeunit_error_code,
             describe(make_error(errc::unknown_codeunit,
                                 caf::make_message(task.codeunit))),
             ""});
        codeunit_context ctx(task, token, companies.get(),
                             access_mode::read_only, nullptr, budget);
        return unit->invoke(ctx);
      }();
      caf::send_as(me, report_to,
                   child_finished{task.page, task.id, std::move(outcome)});
    }
    tokens->remove(key);
  });
}

/// Runs one placed background session on the worker's pool, as
/// `background_job` runs it on the coordinator: Start and Close events in
/// the worker's own company database, one read-write transaction. The
/// outcome goes out as the agent, since the manager takes a placed session's
/// report only from the agent of its node.
void run(agent_ptr self, run_remote_session& msg) {
  auto& setup = self->state.setup;
  auto tokens = self->state.sessions;
  auto id = msg.session.session;
  auto me = caf::actor_cast<worker_actor>(self);
  setup.log->debug("session_type=Background session_id={} codeunit={} "
                   "event=placed",
                   id, msg.session.codeunit);
  auto unit = setup.codeunits->find(msg.session.codeunit);
  // The budget is what the coordinator had left when it sent the session,
  // from now on this node's clock.
  auto budget = time_budget::starting_now(self->clock(), msg.session.timeout);
  background_job job{std::move(msg.session),
                     std::move(msg.unique_id),
                     std::move(unit),
                     tokens->add(id),
                     setup.companies,
                     nullptr,
                     setup.log,
                     budget};
  setup.executor->post(
    [me, tokens, job = std::move(job), report_to = std::move(msg.report_to)] {
      auto outcome
        = job.unit
            ? job.run()
            : session_outcome::failed(
              {codeunit_error_code,
               describe(make_error(errc::unknown_codeunit,
                                   caf::make_message(job.session.codeunit))),
               ""});
      caf::send_as(me, report_to,
                   session_finished{job.session.session, std::move(outcome)});
      tokens->remove(job.session.session);
    });
}

/// Why the work still running ends when the worker does.
constexpr const char* worker_ends = "the worker ends";

} // namespace

worker_actor::behavior_type worker_agent(agent_ptr self,
                                         worker_agent_setup setup) {
  self->state.setup = std::move(setup);
  self->state.tokens = std::make_shared<remote_task_tokens>();
  self->state.sessions = std::make_shared<remote_session_tokens>();
  // Codeunits still running when the agent ends stop at their next check.
  self->attach_functor(
    [tokens = self->state.tokens, sessions = self->state.sessions] {
      tokens->cancel_all(worker_ends);
      sessions->cancel_all(worker_ends);
    });
  return {
    [self](run_remote_task& msg) {
      if (from_coordinator(self, "run_remote_task"))
        run(self, msg);
    },
    [self](cancel_remote_task& msg) {
      if (!from_coordinator(self, "cancel_remote_task"))
        return;
      // Acknowledged also if the task had already ended here: either way
      // its thread is free, or will be at the codeunit's next check.
      self->state.tokens->cancel({msg.page, msg.id});
      self->send(msg.report_to, cancel_acknowledged{msg.page, msg.id});
    },
    [self](run_remote_session& msg) {
      if (from_coordinator(self, "run_remote_session"))
        run(self, msg);
    },
    [self](cancel_remote_session& msg) {
      if (!from_coordinator(self, "cancel_remote_session"))
        return;
      // As for a task: acknowledged also if the session had already ended.
      self->state.sessions->cancel(msg.id, std::move(msg.comment));
      self->send(msg.report_to, session_stop_acknowledged{msg.id});
    },
    [self](goodbye_atom, const std::string& reason) {
      auto& setup = self->state.setup;
      if (!from_coordinator(self, "goodbye"))
        return;
      setup.log->info("event=coordinator_goodbye reason=\"{}\"", reason);
      self->state.tokens->cancel_all(reason);
      self->state.sessions->cancel_all(reason);
      if (setup.ended)
        std::exchange(setup.ended, nullptr)(caf::none);
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
