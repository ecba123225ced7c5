#include "tests/support/actor_fixture.hpp"

#include "actors/page.hpp"
#include "actors/parent_session.hpp"
#include "actors/session_supervisor.hpp"
#include "messages/child_started.hpp"

namespace stagehand::test {

actor_fixture::actor_fixture() {
  svc_data->limits = cfg.limits;
  svc_data->codeunits = std::make_shared<codeunit_registry>();
  svc_data->codeunits->add(echo_codeunit, "EchoCodeunit",
                           [](codeunit_context& ctx) {
                             ctx.set_result(ctx.parameters());
                           });
  svc_data->codeunits->add(
    failing_codeunit, "FailingCodeunit", [](codeunit_context& ctx) {
      throw codeunit_error{ctx.parameters().at("Message")};
    });
  svc_data->executor = exec;
  svc_data->session_io = exec;
  svc_data->stats = std::make_shared<metrics>();
  svc_data->observer = [this](const page_event& ev) {
    events.push_back(ev);
  };
  svc_data->log = make_logger("off");
  svc_data->sessions = cfg.sessions;
  svc_data->registry = std::make_shared<session_registry>();
  svc_data->next_session_id = std::make_shared<std::atomic<session_id>>(1000);
}

actor_fixture::~actor_fixture() {
  for (auto& session : sessions)
    self->send(session.actor, close_session{});
  sched.run();
  svc_data->observer = nullptr;
}

session_handle actor_fixture::open_session(client_type client) {
  auto spawned = spawn_session(sys, svc, next_session++, client);
  sessions.push_back(spawned.handle);
  supervisors.emplace(spawned.handle.id, spawned.supervisor);
  sched.run();
  return spawned.handle;
}

page_handle actor_fixture::open_page(const session_handle& session,
                                     std::string record,
                                     std::shared_ptr<page_triggers> triggers) {
  auto page = spawn_page(sys, svc, session, supervisors.at(session.id),
                         next_page++, std::move(record), std::move(triggers));
  sched.run();
  return page;
}

reply<task_id> actor_fixture::enqueue(const page_handle& page,
                                      codeunit_id codeunit, dictionary params,
                                      caf::optional<caf::timespan> timeout,
                                      error_level level) {
  return ask<task_id>(
    page.actor, enqueue_task{codeunit, std::move(params), timeout, level, ""});
}

void actor_fixture::run_codeunits() {
  while (exec->run_all() > 0)
    sched.run();
}

void actor_fixture::begin_codeunits() {
  for (auto& session : sessions)
    begin_codeunits(session);
}

void actor_fixture::begin_codeunits(const session_handle& session) {
  // Sent as the task's child session, as the pool job does: the supervisor
  // takes the report from no one else.
  auto supervisor = supervisors.at(session.id);
  using impl = session_supervisor_actor::stateful_pointer<
    session_supervisor_state>;
  auto& running
    = static_cast<impl>(caf::actor_cast<caf::abstract_actor*>(supervisor))
        ->state.running;
  for (auto& ev : events_of(page_event::kind::started)) {
    // A task that already ended (cancelled, timed out) has no child left.
    auto i = running.find({ev.task.page, ev.task.id});
    if (ev.task.session == session.id && i != running.end()
        && begun.emplace(ev.task.page, ev.task.id).second)
      caf::send_as(i->second.child, supervisor,
                   child_started{ev.task.page, ev.task.id});
  }
  sched.run();
}

std::vector<page_event> actor_fixture::events_of(page_event::kind what) const {
  std::vector<page_event> result;
  for (auto& ev : events)
    if (ev.what == what)
      result.push_back(ev);
  return result;
}

} // namespace stagehand::test
