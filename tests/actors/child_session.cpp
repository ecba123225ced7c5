// Tests actors/child_session.hpp: a child runs its codeunit off the actor and
// skips it when the task was cancelled while it waited for a thread.
#include <boost/test/unit_test.hpp>

#include "actors/child_session.hpp"
#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

BOOST_FIXTURE_TEST_SUITE(actors_child_session, actor_fixture)

BOOST_AUTO_TEST_CASE(a_task_cancelled_before_its_thread_came_never_runs) {
  int runs = 0;
  svc_data->codeunits->add(77, "Counter", [&](codeunit_context&) { ++runs; });
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(enqueue(page, 77));
  BOOST_REQUIRE(enqueue(page, 77));
  BOOST_REQUIRE_EQUAL(exec->pending(), 2u);
  BOOST_REQUIRE(ask<bool>(page.actor, cancel_task{1}) == true);
  run_codeunits();
  BOOST_CHECK_EQUAL(runs, 1);
  BOOST_CHECK_EQUAL(count(kind::completed), 1u);
  BOOST_CHECK_EQUAL(events_of(kind::completed)[0].task.id, 2u);
}

BOOST_AUTO_TEST_CASE(the_codeunit_runs_on_the_executor_not_in_the_actor) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(enqueue(page, echo_codeunit, {{"k", "v"}}));
  // Started, but nothing ran: the job waits in the executor.
  BOOST_CHECK_EQUAL(count(kind::started), 1u);
  BOOST_CHECK_EQUAL(exec->pending(), 1u);
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  run_codeunits();
  BOOST_REQUIRE_EQUAL(count(kind::completed), 1u);
  BOOST_CHECK_EQUAL(events_of(kind::completed)[0].results.at("k"), "v");
}

BOOST_AUTO_TEST_SUITE_END()
