// Tests actors/session_supervisor.hpp: the per-session limits, FIFO order,
// slot release on every outcome, and timeouts as delayed messages.
#include <boost/test/unit_test.hpp>

#include "actors/session_supervisor.hpp"
#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

namespace {

/// A run counts in whole milliseconds: a timeout fires this long after the
/// run has lasted exactly its timeout.
constexpr auto resolution = session_supervisor_state::timeout_resolution;

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_session_supervisor, actor_fixture)

BOOST_AUTO_TEST_CASE(five_run_hundred_queue_and_the_106th_is_refused) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  for (int i = 1; i <= 105; ++i) {
    auto id = enqueue(page, echo_codeunit, {{"n", std::to_string(i)}});
    if (!id)
      BOOST_FAIL("enqueue " << i << ": " << describe(id));
    BOOST_CHECK_EQUAL(*id, static_cast<task_id>(i));
  }
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{5}, std::uint64_t{100}));
  BOOST_CHECK_EQUAL(count(kind::started), 5u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().active_child_sessions, 5u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().queued_tasks, 100u);
  auto refused = enqueue(page, echo_codeunit);
  BOOST_REQUIRE_MESSAGE(refused.refused(), describe(refused));
  BOOST_CHECK(is(refused.error(), errc::queue_full));
  BOOST_CHECK_EQUAL(describe(refused.error()),
                    "The background task queue of session 1 is full (100 "
                    "tasks are waiting).");
  BOOST_CHECK_EQUAL(count(kind::enqueue_failed), 1u);
  BOOST_CHECK_EQUAL(exec->pending(), 5u);
}

BOOST_AUTO_TEST_CASE(queued_tasks_start_in_fifo_order_as_slots_free) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  for (int i = 1; i <= 12; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit, {{"n", std::to_string(i)}}));
  run_codeunits();
  auto started = events_of(kind::started);
  BOOST_REQUIRE_EQUAL(started.size(), 12u);
  for (std::size_t i = 0; i < started.size(); ++i)
    BOOST_CHECK_EQUAL(started[i].task.id, i + 1);
  auto completed = events_of(kind::completed);
  BOOST_REQUIRE_EQUAL(completed.size(), 12u);
  BOOST_CHECK_EQUAL(completed.back().results.at("n"), "12");
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
}

// Every way a slot frees refills it, and none refills past the limit: one
// returned codeunit, one cancel, and five timeouts at once.
BOOST_AUTO_TEST_CASE(refills_keep_five_running_whatever_frees_the_slot) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  for (int i = 1; i <= 105; ++i)
    BOOST_REQUIRE(
      enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)}));
  auto expect_five_running
    = [&](std::uint64_t queued, std::size_t started, const char* after) {
        BOOST_TEST_CONTEXT("after " << after) {
          auto [running, waiting] = load(session);
          BOOST_CHECK_EQUAL(running, 5u);
          BOOST_CHECK_EQUAL(waiting, queued);
          BOOST_CHECK_EQUAL(count(kind::started), started);
          BOOST_CHECK_EQUAL(svc->stats->snapshot().active_child_sessions, 5u);
          BOOST_CHECK_EQUAL(svc->stats->snapshot().queued_tasks, queued);
        }
      };
  expect_five_running(100, 5, "admission");
  // A codeunit returns: its slot goes to the oldest queued task only.
  BOOST_REQUIRE(exec->run_next());
  sched.run();
  BOOST_REQUIRE_EQUAL(count(kind::completed), 1u);
  expect_five_running(99, 6, "a codeunit returned");
  BOOST_CHECK_EQUAL(events_of(kind::started).back().task.id, 6u);
  // A running task is cancelled.
  BOOST_REQUIRE(ask<bool>(page.actor, cancel_task{2}) == true);
  expect_five_running(98, 7, "a cancel");
  // The five running tasks time out together and free five slots at once.
  begin_codeunits();
  advance_time(std::chrono::seconds(1) + resolution);
  sched.run();
  BOOST_REQUIRE_EQUAL(count(kind::error), 5u);
  expect_five_running(93, 12, "five timeouts");
}

BOOST_AUTO_TEST_CASE(limits_are_per_parent_session) {
  auto first = open_session();
  auto second = open_session();
  auto page1 = open_page(first, "A");
  auto page2 = open_page(second, "B");
  for (int i = 0; i < 105; ++i)
    BOOST_REQUIRE(enqueue(page1, echo_codeunit));
  BOOST_CHECK(is(enqueue(page1, echo_codeunit).error(), errc::queue_full));
  BOOST_CHECK(enqueue(page2, echo_codeunit));
  BOOST_CHECK(load(second)
              == std::make_pair(std::uint64_t{1}, std::uint64_t{0}));
}

BOOST_AUTO_TEST_CASE(timeout_reports_the_exact_error_and_frees_the_slot) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  for (int i = 0; i < 6; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_CHECK_EQUAL(count(kind::started), 5u);
  begin_codeunits();
  // The default timeout is 2 minutes: nothing fires at exactly 2 minutes,
  // since a run counts in whole milliseconds, and it fires 1 ms later.
  advance_time(std::chrono::minutes(2));
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  advance_time(resolution);
  sched.run();
  auto errors = events_of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 5u);
  BOOST_CHECK_EQUAL(errors[0].error.code, "ChildSessionTaskTimeout");
  BOOST_CHECK_EQUAL(errors[0].error.text,
                    "Child Session task was terminated because of a timeout.");
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskError"), 5u);
  // The slots freed at once: the sixth task started without any codeunit
  // returning.
  BOOST_CHECK_EQUAL(count(kind::started), 6u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().timed_out, 5u);
  // The five abandoned codeunits return late; their results are dropped.
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 1u);
  BOOST_CHECK_EQUAL(events_of(kind::completed)[0].task.id, 6u);
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 1u);
}

BOOST_AUTO_TEST_CASE(timeout_above_the_maximum_is_capped_to_ten_minutes) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::hours(1)}));
  BOOST_REQUIRE_EQUAL(count(kind::enqueued), 1u);
  BOOST_CHECK(events_of(kind::enqueued)[0].task.timeout
              == std::chrono::minutes(10));
  begin_codeunits();
  advance_time(std::chrono::minutes(10));
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  advance_time(resolution);
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 1u);
}

BOOST_AUTO_TEST_CASE(missing_timeout_means_the_default) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(3)}));
  auto enqueued = events_of(kind::enqueued);
  BOOST_REQUIRE_EQUAL(enqueued.size(), 2u);
  BOOST_CHECK(enqueued[0].task.timeout == std::chrono::minutes(2));
  BOOST_CHECK(enqueued[1].task.timeout == std::chrono::seconds(3));
}

BOOST_AUTO_TEST_CASE(a_result_within_the_timeout_wins_and_the_timer_is_inert) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)}));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 1u);
  trigger_timeouts();
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().timed_out, 0u);
}

// The timeout counts the codeunit's own run: a task that waited longer than
// its timeout for a pool thread still gets all of it once it starts.
BOOST_AUTO_TEST_CASE(the_timeout_counts_from_the_codeunit_s_start) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)}));
  advance_time(std::chrono::seconds(5));
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  begin_codeunits();
  advance_time(std::chrono::seconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  advance_time(resolution);
  sched.run();
  BOOST_REQUIRE_EQUAL(count(kind::error), 1u);
  BOOST_CHECK_EQUAL(events_of(kind::error)[0].error.code,
                    "ChildSessionTaskTimeout");
}

// Both orders in which a result and its timer can reach the supervisor. The
// pool thread sends the result to the supervisor itself, so a result sent
// before the timer fired is ahead of the timer, whoever runs first after.
BOOST_AUTO_TEST_CASE(a_result_sent_before_the_timer_fires_wins) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)}));
  begin_codeunits();
  advance_time(std::chrono::seconds(1));
  // The codeunit returns after exactly its timeout, as the article's Wait
  // 1000 under a timeout of 1000 does; its result is sent, nothing has run.
  BOOST_REQUIRE(exec->run_next());
  advance_time(resolution);
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::completed), 1u);
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().timed_out, 0u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().active_child_sessions, 0u);
}

BOOST_AUTO_TEST_CASE(a_timer_that_fires_first_wins_and_the_result_is_dropped) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)}));
  begin_codeunits();
  advance_time(std::chrono::seconds(1) + resolution);
  // The timer has fired; the result is sent after it.
  BOOST_REQUIRE(exec->run_next());
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::error), 1u);
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  BOOST_CHECK_EQUAL(triggers->count("OnPageBackgroundTaskCompleted"), 0u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().timed_out, 1u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().active_child_sessions, 0u);
}

BOOST_AUTO_TEST_SUITE_END()
