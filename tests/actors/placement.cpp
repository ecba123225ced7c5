// Tests placement in actors/session_supervisor.hpp on CAF's test
// coordinator, with two local actors in the place of worker agents: a task
// goes to the least-loaded worker, only that worker's reports count, a cancel
// and a timeout reach it, and a lost worker fails its tasks with
// ChildSessionNodeLost and gets no more. Real workers are in
// tests/cluster/placement.cpp.
#include <boost/test/unit_test.hpp>

#include "actors/session_supervisor.hpp"
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
  caf::send_as(w2, supervisor,
               child_finished{page.id, *id, task_outcome::completed({})});
  sched.run();
  BOOST_CHECK_EQUAL(count(kind::completed), 0u);
  BOOST_CHECK_EQUAL(
    sink->matching({"message=child_finished", "event=forged_message_refused"})
      .size(),
    1u);
  caf::send_as(w1, supervisor, child_started{page.id, *id});
  caf::send_as(
    w1, supervisor,
    child_finished{page.id, *id, task_outcome::completed({{"on", "w1"}})});
  sched.run();
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

BOOST_AUTO_TEST_SUITE_END()
