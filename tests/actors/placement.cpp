// Tests placement in actors/session_supervisor.hpp on CAF's test
// coordinator, with two local actors in the place of worker agents: a task
// goes to the least-loaded worker, only that worker's reports count, a cancel
// and a timeout reach it, and a lost worker fails its tasks with
// ChildSessionNodeLost and gets no more; a cancel of a task on a worker is
// requested, then acknowledged or forced. Real workers are in
// tests/cluster/placement.cpp.
#include <boost/test/unit_test.hpp>

#include "actors/session_supervisor.hpp"
#include "messages/cancel_acknowledged.hpp"
#include "messages/child_finished.hpp"
#include "messages/child_started.hpp"
#include "services/node_table.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/fake_worker.hpp"
#include "tests/support/log_capture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

namespace {

struct placement_fixture : actor_fixture {
  std::shared_ptr<capture_sink> sink = std::make_shared<capture_sink>();
  worker_actor w1;
  worker_actor w2;

  placement_fixture() {
    svc_data->log = capture_logger(sink, spdlog::level::debug);
    svc_data->nodes = std::make_shared<node_table>();
    svc_data->nodes->configure(placement_mode::remote, 8);
    w1 = join("w1");
    w2 = join("w2");
  }

  /// Checks that the page reported one cancel, in `state`.
  void check_one_cancel(cancel_state state) {
    auto cancelled = events_of(kind::cancelled);
    BOOST_REQUIRE_EQUAL(cancelled.size(), 1u);
    BOOST_CHECK(cancelled[0].cancel == state);
  }

  worker_actor join(const std::string& name) {
    return join_fake_worker(sys, *svc_data->nodes, name, 2, {echo_codeunit});
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_placement, placement_fixture)

BOOST_AUTO_TEST_CASE(only_the_worker_a_task_was_placed_on_may_report_on_it) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(id);
  BOOST_REQUIRE_EQUAL(told(w1).runs.size(), 1u);
  BOOST_CHECK(told(w2).runs.empty());
  auto supervisor = supervisors.at(session.id);
  auto heard_before = svc->nodes->find("w2")->last_heard;
  caf::send_as(w2, supervisor,
               child_finished{page.id, *id, task_outcome::completed({})});
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  // A refused report is not hearing from the worker; an accepted one is.
  BOOST_CHECK(svc->nodes->find("w2")->last_heard == heard_before);
  heard_before = svc->nodes->find("w1")->last_heard;
  BOOST_CHECK_EQUAL(
    sink->matching({"message=child_finished", "event=forged_message_refused"})
      .size(),
    1u);
  caf::send_as(w1, supervisor, child_started{page.id, *id});
  caf::send_as(
    w1, supervisor,
    child_finished{page.id, *id, task_outcome::completed({{"on", "w1"}})});
  sched.run();
  BOOST_CHECK(svc->nodes->find("w1")->last_heard > heard_before);
  auto completed = events_of(kind::completed);
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].results.at("on"), "w1");
  auto started = events_of(kind::started);
  BOOST_REQUIRE_EQUAL(started.size(), 1u);
  BOOST_CHECK_EQUAL(started[0].node, "w1");
}

BOOST_AUTO_TEST_CASE(work_goes_to_the_least_loaded_worker) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  for (int i = 0; i < 4; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_CHECK_EQUAL(told(w1).runs.size(), 2u);
  BOOST_CHECK_EQUAL(told(w2).runs.size(), 2u);
}

BOOST_AUTO_TEST_CASE(the_per_session_limits_hold_across_workers) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  for (int i = 0; i < 105; ++i)
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
  // Five run, on both workers together; a hundred wait on the coordinator.
  BOOST_CHECK_EQUAL(told(w1).runs.size() + told(w2).runs.size(), 5u);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{5}, std::uint64_t{100}));
  auto refused = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(refused.refused());
  BOOST_CHECK(is(refused.error(), errc::queue_full));
}

BOOST_AUTO_TEST_CASE(a_cancel_and_a_timeout_reach_the_worker) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto first
    = enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)});
  auto second = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(first && second);
  // The second went to w2, the less loaded then.
  ask<bool>(page.actor, cancel_task{*second});
  BOOST_REQUIRE_EQUAL(told(w2).cancels.size(), 1u);
  BOOST_CHECK_EQUAL(told(w2).cancels[0].id, *second);
  caf::send_as(w1, supervisors.at(session.id), child_started{page.id, *first});
  sched.run();
  advance_time(std::chrono::seconds(1)
               + session_supervisor_state::timeout_resolution);
  sched.run();
  BOOST_REQUIRE_EQUAL(told(w1).cancels.size(), 1u);
  auto errors = events_of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].error.code, "ChildSessionTaskTimeout");
}

BOOST_AUTO_TEST_CASE(a_lost_worker_fails_its_tasks_and_gets_no_more) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto on_w1 = enqueue(page, echo_codeunit);
  auto on_w2 = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(on_w1 && on_w2);
  self->send_exit(w1, caf::exit_reason::remote_link_unreachable);
  sched.run();
  auto errors = events_of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].task.id, *on_w1);
  BOOST_CHECK_EQUAL(errors[0].error.code, "ChildSessionNodeLost");
  BOOST_CHECK_EQUAL(errors[0].error.text,
                    "Child Session task was terminated because node w1 was "
                    "lost.");
  BOOST_CHECK(!svc->nodes->find("w1")->live);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_CHECK_EQUAL(told(w2).runs.size(), 2u);
  // The task on the survivor still runs and counts.
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{2}, std::uint64_t{0}));
}

// -- cancel states ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_cancel_on_a_worker_is_requested_then_acknowledged) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(id);
  auto marked = ask<bool>(page.actor, cancel_task{*id});
  BOOST_REQUIRE(marked);
  BOOST_CHECK(*marked);
  BOOST_REQUIRE_EQUAL(told(w1).cancels.size(), 1u);
  // The page holds its report, and the slot stays taken, until the worker
  // answers.
  BOOST_CHECK_EQUAL(count(kind::cancelled), 0u);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{1}, std::uint64_t{0}));
  BOOST_CHECK_EQUAL(svc->stats->snapshot().cancels_requested, 1u);
  BOOST_CHECK_EQUAL(sink->matching({"event=cancel", "cancel_state=requested",
                                    "node=w1"})
                      .size(),
                    1u);
  caf::send_as(w1, supervisors.at(session.id),
               cancel_acknowledged{page.id, *id});
  sched.run();
  check_one_cancel(cancel_state::acknowledged);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
  auto stats = svc->stats->snapshot();
  BOOST_CHECK_EQUAL(stats.cancels_acknowledged, 1u);
  BOOST_CHECK_EQUAL(stats.cancels_forced, 0u);
}

BOOST_AUTO_TEST_CASE(an_unanswered_cancel_is_forced_and_a_late_result_dropped) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(id);
  auto supervisor = supervisors.at(session.id);
  caf::send_as(w1, supervisor, child_started{page.id, *id});
  sched.run();
  ask<bool>(page.actor, cancel_task{*id});
  advance_time(svc->limits.cancel_ack_timeout - std::chrono::milliseconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::cancelled), 0u);
  advance_time(std::chrono::milliseconds(1));
  sched.run();
  check_one_cancel(cancel_state::forced);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
  BOOST_CHECK_EQUAL(svc->stats->snapshot().cancels_forced, 1u);
  // What the worker says afterwards changes nothing.
  caf::send_as(w1, supervisor,
               child_finished{page.id, *id, task_outcome::completed({})});
  caf::send_as(w1, supervisor, cancel_acknowledged{page.id, *id});
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  BOOST_CHECK_EQUAL(count(kind::cancelled), 1u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().cancels_acknowledged, 0u);
  BOOST_CHECK_EQUAL(sink->matching({"event=late_result_dropped"}).size(), 1u);
}

BOOST_AUTO_TEST_CASE(a_result_that_comes_before_the_acknowledgement_is_dropped) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(id);
  auto supervisor = supervisors.at(session.id);
  ask<bool>(page.actor, cancel_task{*id});
  // The codeunit finished before the worker read the cancel.
  caf::send_as(w1, supervisor,
               child_finished{page.id, *id, task_outcome::completed({})});
  caf::send_as(w1, supervisor, cancel_acknowledged{page.id, *id});
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  check_one_cancel(cancel_state::acknowledged);
}

BOOST_AUTO_TEST_CASE(a_worker_lost_while_a_cancel_waits_forces_it) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(id);
  ask<bool>(page.actor, cancel_task{*id});
  self->send_exit(w1, caf::exit_reason::remote_link_unreachable);
  sched.run();
  check_one_cancel(cancel_state::forced);
  BOOST_CHECK_EQUAL(count(kind::error), 0u);
}

BOOST_AUTO_TEST_CASE(a_page_that_closes_reports_its_unanswered_cancels_as_requested) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(id);
  self->send(page.actor, close_page{});
  sched.run();
  check_one_cancel(cancel_state::requested);
  // The slot still waits for the worker's answer.
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{1}, std::uint64_t{0}));
}

BOOST_AUTO_TEST_CASE(a_local_cancel_is_acknowledged_at_once) {
  svc_data->nodes->configure(placement_mode::local, 8);
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto id = enqueue(page, echo_codeunit);
  BOOST_REQUIRE(id);
  ask<bool>(page.actor, cancel_task{*id});
  check_one_cancel(cancel_state::acknowledged);
  BOOST_CHECK(load(session)
              == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
  auto stats = svc->stats->snapshot();
  BOOST_CHECK_EQUAL(stats.cancels_requested, 0u);
  BOOST_CHECK_EQUAL(stats.cancels_acknowledged, 1u);
}

BOOST_AUTO_TEST_SUITE_END()
