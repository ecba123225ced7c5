// Tests actors/page.hpp: cancellation causes, the record epoch, error levels,
// IsHandled, trigger exceptions, re-enqueueing, web-service sessions, and the
// pending-tasks state.
#include <boost/test/unit_test.hpp>

#include "tests/support/actor_fixture.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

namespace {

std::vector<std::string> notifications(const std::vector<page_event>& evs) {
  std::vector<std::string> result;
  for (auto& ev : evs)
    if (ev.what == kind::notification)
      result.push_back(ev.level + ": " + ev.text);
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_page, actor_fixture)

// -- enqueue validation -------------------------------------------------------

BOOST_AUTO_TEST_CASE(unknown_codeunit_and_negative_timeout_are_refused) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto unknown = enqueue(page, 4711);
  BOOST_REQUIRE_MESSAGE(unknown.refused(), describe(unknown));
  BOOST_CHECK(is(unknown.error(), errc::unknown_codeunit));
  BOOST_CHECK_EQUAL(describe(unknown.error()),
                    "Codeunit 4711 is not registered.");
  auto negative = enqueue(page, echo_codeunit, {},
                          caf::timespan{std::chrono::milliseconds(-5)});
  BOOST_REQUIRE_MESSAGE(negative.refused(), describe(negative));
  BOOST_CHECK_EQUAL(describe(negative.error()),
                    "The timeout must not be negative (got -5 ms).");
  BOOST_CHECK_EQUAL(count(kind::enqueue_failed), 2u);
  BOOST_CHECK_EQUAL(exec->pending(), 0u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().enqueue_failed, 2u);
}

// -- cancellation -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(record_change_cancels_running_and_queued_tasks) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  for (int i = 0; i < 7; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{5}, std::uint64_t{2}));
  self->send(page.actor, change_record{"CUSTOMER 20000"});
  sched.run();
  auto cancelled = events_of(kind::cancelled);
  BOOST_REQUIRE_EQUAL(cancelled.size(), 7u);
  for (auto& ev : cancelled)
    BOOST_CHECK(ev.reason == cancel_reason::record_changed);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
  // The held codeunits return now: nothing reaches the page.
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 0u);
  BOOST_CHECK_EQUAL(triggers->count("OnAfterGetCurrRecord"), 2u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().cancelled, 7u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().pending_tasks, 0u);
}

BOOST_AUTO_TEST_CASE(the_same_record_again_cancels_nothing) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  self->send(page.actor, change_record{"CUSTOMER 10000"});
  sched.run();
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::cancelled), 0u);
  BOOST_CHECK_EQUAL(count(kind::completed), 1u);
}

BOOST_AUTO_TEST_CASE(a_late_result_for_an_old_record_is_dropped) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  auto id = enqueue(page, echo_codeunit, {{"for", "10000"}});
  BOOST_REQUIRE(id);
  self->send(page.actor, change_record{"CUSTOMER 20000"});
  sched.run();
  auto again = enqueue(page, echo_codeunit, {{"for", "20000"}});
  BOOST_REQUIRE(again);
  // The race the epoch guards against: the supervisor forwarded the old
  // task's result before it learned of the cancel. Epoch 0 is the first
  // record's; the page is at epoch 1 now.
  self->send(
    page.actor,
    task_finished{*id, 0, task_outcome::completed({{"for", "10000"}})});
  // Even a forged result that names the new task but the old epoch is dropped.
  self->send(page.actor,
             task_finished{*again, 0, task_outcome::completed({{"x", "y"}})});
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  run_codeunits();
  auto completed = events_of(kind::completed);
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].results.at("for"), "20000");
  BOOST_REQUIRE_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 1u);
  for (auto& c : triggers->calls)
    if (c.trigger == "OnPageBackgroundTaskCompleted")
      BOOST_CHECK_EQUAL(c.record_id, "CUSTOMER 20000");
}

BOOST_AUTO_TEST_CASE(closing_the_page_cancels_with_reason_page_closed) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto other = open_page(session, "ITEM 1000");
  for (int i = 0; i < 7; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_REQUIRE(enqueue(other, echo_codeunit));
  self->send(page.actor, close_page{cancel_reason::page_closed});
  sched.run();
  auto cancelled = events_of(kind::cancelled);
  BOOST_REQUIRE_EQUAL(cancelled.size(), 7u);
  for (auto& ev : cancelled) {
    BOOST_CHECK(ev.reason == cancel_reason::page_closed);
    BOOST_CHECK_EQUAL(ev.page, page.id);
  }
  // The other page's queued task got one of the freed slots.
  run_codeunits();
  auto completed = events_of(kind::completed);
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].page, other.id);
}

BOOST_AUTO_TEST_CASE(closing_the_session_cancels_with_reason_session_closed) {
  auto session = open_session();
  auto first = open_page(session, "CUSTOMER 10000");
  auto second = open_page(session, "ITEM 1000");
  for (int i = 0; i < 4; ++i) {
    BOOST_REQUIRE(enqueue(first, echo_codeunit));
    BOOST_REQUIRE(enqueue(second, echo_codeunit));
  }
  self->send(session.actor, close_session{});
  sched.run();
  auto cancelled = events_of(kind::cancelled);
  BOOST_REQUIRE_EQUAL(cancelled.size(), 8u);
  for (auto& ev : cancelled)
    BOOST_CHECK(ev.reason == cancel_reason::session_closed);
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  auto snap = svc->stats->snapshot();
  BOOST_CHECK_EQUAL(snap.active_child_sessions, 0u);
  BOOST_CHECK_EQUAL(snap.queued_tasks, 0u);
  BOOST_CHECK_EQUAL(snap.pending_tasks, 0u);
  // A page opened on the closed session closes at once, before its first
  // task reaches a supervisor.
  auto triggers = std::make_shared<recording_triggers>();
  triggers->on_record = [](page_context& ctx) {
    ctx.enqueue_background_task(
      {echo_codeunit, {}, caf::none, error_level::error, "late"});
  };
  open_page(session, "VENDOR 1", triggers);
  auto late = events_of(kind::cancelled);
  BOOST_REQUIRE_EQUAL(late.size(), 9u);
  BOOST_CHECK_EQUAL(late.back().task.tag, "late");
  BOOST_CHECK(late.back().reason == cancel_reason::session_closed);
  BOOST_CHECK_EQUAL(exec->pending(), 0u);
}

BOOST_AUTO_TEST_CASE(cancel_background_task_is_true_only_when_it_marked) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  auto running = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(running);
  for (int i = 0; i < 5; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  auto queued = task_id{6};
  BOOST_CHECK(ask<bool>(page.actor, cancel_task{*running}) == true);
  BOOST_CHECK(ask<bool>(page.actor, cancel_task{*running}) == false);
  BOOST_CHECK(ask<bool>(page.actor, cancel_task{queued}) == true);
  BOOST_CHECK(ask<bool>(page.actor, cancel_task{999}) == false);
  auto cancelled = events_of(kind::cancelled);
  BOOST_REQUIRE_EQUAL(cancelled.size(), 2u);
  BOOST_CHECK(cancelled[0].reason == cancel_reason::requested);
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 4u);
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 4u);
  // A finished task can no longer be cancelled.
  BOOST_CHECK(ask<bool>(page.actor, cancel_task{2}) == false);
}

// -- errors -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(codeunit_errors_reach_the_error_trigger_with_a_stack) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "No stock."}}));
  run_codeunits();
  auto errors = events_of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].error.code, "Dialog");
  BOOST_CHECK_EQUAL(errors[0].error.text, "No stock.");
  BOOST_CHECK_EQUAL(errors[0].error.call_stack,
                    "FailingCodeunit(CodeUnit 2).OnRun");
  BOOST_CHECK(!errors[0].handled);
  BOOST_REQUIRE_EQUAL(triggers->count("OnPageBackgroundTaskError"), 1u);
  BOOST_CHECK(notifications(events)
              == std::vector<std::string>{"error: No stock."});
}

BOOST_AUTO_TEST_CASE(error_levels_decide_the_notification) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  for (auto level :
       {error_level::ignore, error_level::warning, error_level::error})
    BOOST_REQUIRE(enqueue(page, failing_codeunit,
                          {{"Message", to_string(level)}}, caf::none, level));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::error), 3u);
  BOOST_CHECK(
    notifications(events)
    == (std::vector<std::string>{"warning: warning", "error: error"}));
}

BOOST_AUTO_TEST_CASE(is_handled_suppresses_the_notification) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  triggers->on_error
    = [](page_context& ctx, const background_task&, bool& handled) {
        handled = true;
        ctx.send_notification("It took too long to get results. Try again.");
      };
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)}));
  trigger_timeouts();
  sched.run();
  auto errors = events_of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK(errors[0].handled);
  // The trigger's own notification follows the error event; the error's
  // notification is suppressed.
  BOOST_REQUIRE(events.back().what == kind::notification);
  BOOST_CHECK(notifications(events)
              == std::vector<std::string>{
                "info: It took too long to get results. Try again."});
}

namespace {

/// Records the outcome of each of its page's writes.
struct writing_page : recording_triggers {
  std::vector<std::pair<std::uint64_t, std::string>> done;

  void on_write_done(page_context&, std::uint64_t id,
                     const caf::error& err) override {
    done.emplace_back(id, err ? describe(err) : "committed");
  }
};

} // namespace

BOOST_AUTO_TEST_CASE(a_trigger_writes_read_write_off_the_page_s_thread) {
  temp_data_dir data;
  svc_data->companies = data.directory();
  BOOST_REQUIRE(svc_data->companies->create("CRONUS"));
  auto session = open_session();
  auto client = std::make_shared<writing_page>();
  client->on_completed = [&](page_context& ctx, const background_task&) {
    ctx.write([](database& db) {
      db.query("INSERT INTO PBTData (Id, IntA) VALUES ('R1', 10)");
    });
    ctx.write([](database& db) {
      db.query("INSERT INTO PBTData (Id, IntA) VALUES ('R2', 20)");
      throw codeunit_error{"Amount must be positive."};
    });
  };
  auto page = open_page(session, "PBTDATA R1", client);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  run_codeunits();
  BOOST_CHECK((client->done
               == std::vector<std::pair<std::uint64_t, std::string>>{
                 {1, "committed"}, {2, "Dialog: Amount must be positive."}}));
  auto db = (*svc->companies->open("CRONUS"))->open_writer();
  BOOST_REQUIRE(db);
  auto rows = (*db)->query("SELECT Id FROM PBTData");
  BOOST_REQUIRE_EQUAL(rows.size(), 1u);
  BOOST_CHECK_EQUAL(std::get<std::string>(rows[0][0]), "R1");
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_trigger_is_an_error_notification) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  int calls = 0;
  triggers->on_completed = [&](page_context&, const background_task&) {
    if (++calls == 1)
      throw std::runtime_error("Field Start Time is not editable.");
  };
  triggers->on_error = [](page_context&, const background_task&, bool&) {
    throw std::runtime_error("Error trigger failed.");
  };
  // Even at level Ignore, a failing trigger shows at Error.
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "boom"}},
                        caf::none, error_level::ignore));
  run_codeunits();
  BOOST_CHECK(
    notifications(events)
    == (std::vector<std::string>{"error: Field Start Time is not editable.",
                                 "error: Error trigger failed."}));
  // The page keeps working.
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 2u);
  BOOST_CHECK_EQUAL(calls, 2);
}

// -- re-enqueueing ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(triggers_re_enqueue_without_recursion) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  int remaining = 50;
  triggers->on_completed = [&](page_context& ctx, const background_task& task) {
    if (remaining-- > 0) {
      auto id = ctx.enqueue_background_task(
        {task.codeunit, task.parameters, caf::none, task.level, task.tag});
      BOOST_CHECK(id);
    }
  };
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 51u);
  BOOST_CHECK_EQUAL(triggers->max_depth, 1);
  // Re-enqueueing from the error trigger works the same way.
  int retries = 3;
  triggers->on_error
    = [&](page_context& ctx, const background_task& task, bool& handled) {
        handled = true;
        if (retries-- > 0)
          BOOST_CHECK(ctx.enqueue_background_task(
            {task.codeunit, task.parameters, caf::none, task.level, ""}));
      };
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "retry"}}));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::error), 4u);
  BOOST_CHECK_EQUAL(triggers->max_depth, 1);
}

BOOST_AUTO_TEST_CASE(a_task_stays_pending_until_its_triggers_return) {
  // wait_idle polls this count from another thread: if it touched zero
  // between a completion and the trigger's re-enqueue, a caller would see an
  // idle runtime with work still to come.
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  std::vector<std::uint64_t> seen_in_trigger;
  int remaining = 2;
  auto pending = [&] { return svc->stats->pending_tasks.load(); };
  triggers->on_completed = [&](page_context& ctx, const background_task& task) {
    seen_in_trigger.push_back(pending());
    if (remaining-- > 0)
      ctx.enqueue_background_task(
        {task.codeunit, task.parameters, caf::none, task.level, task.tag});
  };
  triggers->on_error = [&](page_context&, const background_task&, bool&) {
    seen_in_trigger.push_back(pending());
  };
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "x"}}));
  run_codeunits();
  BOOST_REQUIRE_EQUAL(seen_in_trigger.size(), 4u);
  for (auto n : seen_in_trigger)
    BOOST_CHECK_GE(n, 1u);
  BOOST_CHECK_EQUAL(pending(), 0u);
}

BOOST_AUTO_TEST_CASE(a_refused_re_enqueue_becomes_an_error_notification) {
  svc_data->limits.max_concurrency = 1;
  svc_data->limits.max_queue_length = 0;
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  triggers->on_record = [](page_context& ctx) {
    BOOST_CHECK(ctx.enqueue_background_task(
      {echo_codeunit, {}, caf::none, error_level::error, "first"}));
    BOOST_CHECK(ctx.enqueue_background_task(
      {echo_codeunit, {}, caf::none, error_level::error, "second"}));
  };
  open_page(session, "CUSTOMER 10000", triggers);
  auto failed = events_of(kind::enqueue_failed);
  BOOST_REQUIRE_EQUAL(failed.size(), 1u);
  BOOST_CHECK_EQUAL(failed[0].task.tag, "second");
  BOOST_CHECK_EQUAL(notifications(events).size(), 1u);
}

// -- run_page_background_task -------------------------------------------------

BOOST_AUTO_TEST_CASE(run_task_now_returns_results_and_skips_triggers) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  self->send(page.actor,
             run_task_now{echo_codeunit, {{"Wait", "1000"}}, false});
  sched.run();
  BOOST_CHECK(fetch<dictionary>().none()); // not before the codeunit returned
  run_codeunits();
  auto results = fetch<dictionary>();
  BOOST_REQUIRE(results);
  BOOST_CHECK_EQUAL(results->at("Wait"), "1000");
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 0u);
  self->send(page.actor, run_task_now{echo_codeunit, {{"a", "b"}}, true});
  sched.run();
  run_codeunits();
  BOOST_CHECK(fetch<dictionary>());
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 1u);
  self->send(page.actor,
             run_task_now{failing_codeunit, {{"Message", "no"}}, false});
  sched.run();
  run_codeunits();
  auto failed = fetch<dictionary>();
  BOOST_REQUIRE_MESSAGE(failed.refused(), describe(failed));
  BOOST_CHECK_EQUAL(describe(failed.error()), "Dialog: no");
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskError"), 0u);
}

// -- web-service sessions -----------------------------------------------------

BOOST_AUTO_TEST_CASE(web_service_enqueue_returns_after_completion) {
  auto session = open_session(client_type::web_service);
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  self->send(
    page.actor,
    enqueue_task{echo_codeunit, {}, caf::none, error_level::error, ""});
  sched.run();
  // A web client would have its task id by now; a web service waits.
  BOOST_CHECK(fetch<task_id>().none());
  BOOST_CHECK_EQUAL(count(kind::enqueued), 1u);
  run_codeunits();
  auto id = fetch<task_id>();
  BOOST_REQUIRE(id);
  BOOST_CHECK_EQUAL(*id, 1u);
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 1u);
}

BOOST_AUTO_TEST_CASE(web_client_enqueue_returns_at_admission) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  self->send(
    page.actor,
    enqueue_task{echo_codeunit, {}, caf::none, error_level::error, ""});
  sched.run();
  BOOST_CHECK(fetch<task_id>());
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
}

// -- pending tasks (part pages) -----------------------------------------------

BOOST_AUTO_TEST_CASE(pending_state_and_the_all_done_signal) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_CHECK(ask<std::uint64_t>(page.actor, pending_tasks_atom::value)
              == std::uint64_t{0});
  for (int i = 0; i < 3; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_CHECK(ask<std::uint64_t>(page.actor, pending_tasks_atom::value)
              == std::uint64_t{3});
  self->send(page.actor, tasks_done_atom::value);
  sched.run();
  exec->run_next();
  exec->run_next();
  sched.run();
  BOOST_CHECK(ask<std::uint64_t>(page.actor, pending_tasks_atom::value)
              == std::uint64_t{1});
  BOOST_CHECK_EQUAL(triggers->count("OnAllBackgroundTasksDone"), 0u);
  run_codeunits();
  BOOST_CHECK_EQUAL(triggers->count("OnAllBackgroundTasksDone"), 1u);
  BOOST_CHECK(ask<std::uint64_t>(page.actor, pending_tasks_atom::value)
              == std::uint64_t{0});
}

BOOST_AUTO_TEST_SUITE_END()
