// Tests actors/page.hpp: enqueue validation, run_page_background_task,
// web-service sessions, and the pending-tasks state. Cancellation is in
// page_cancellation.cpp, the page's triggers in page_triggers.cpp.
#include <boost/test/unit_test.hpp>

#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

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
