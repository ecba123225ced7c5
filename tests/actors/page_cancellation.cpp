// Tests actors/page.hpp: cancellation causes (a record change, closing the
// page or the session, an explicit cancel) and the record epoch that drops
// late results.
#include <boost/test/unit_test.hpp>

#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

BOOST_FIXTURE_TEST_SUITE(actors_page, actor_fixture)

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
  // record's; the page is at epoch 1 now. Sent as the supervisor, the only
  // actor whose reports the page takes.
  auto supervisor = supervisors.at(session.id);
  auto internal = caf::actor_cast<page_internal_actor>(page.actor);
  caf::send_as(
    supervisor, internal,
    task_finished{*id, 0, task_outcome::completed({{"for", "10000"}})});
  // Even a result that names the new task but the old epoch is dropped.
  caf::send_as(supervisor, internal,
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

BOOST_AUTO_TEST_SUITE_END()
