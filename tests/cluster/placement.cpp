// Tests page tasks placed on real `stagehand worker` processes: placement,
// a lost worker's tasks ending in ChildSessionNodeLost within a second, for
// SIGKILL and SIGSTOP, every task ending exactly once, and a codeunit that no
// live node has, and a late joiner. Who may report about a placed task is
// tested on the test coordinator in tests/actors/placement.cpp.
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <map>
#include <mutex>

#include "samples/sample_codeunits.hpp"
#include "tests/support/cluster_nodes.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;
using namespace stagehand::test;
using namespace std::chrono;
using kind = page_event::kind;

namespace {

/// Every page event's outcome, with the time it was seen.
struct outcomes {
  std::mutex mtx;
  std::map<std::pair<page_id, task_id>, int> ended;
  std::vector<std::pair<page_event, steady_clock::time_point>> errors;
  std::map<std::string, int> started_on;

  page_observer observer() {
    return [this](const page_event& ev) {
      std::lock_guard<std::mutex> guard{mtx};
      if (ev.what == kind::started)
        ++started_on[ev.node];
      if (ev.what == kind::completed || ev.what == kind::error
          || ev.what == kind::cancelled)
        ++ended[{ev.task.page, ev.task.id}];
      if (ev.what == kind::error)
        errors.emplace_back(ev, steady_clock::now());
    };
  }

  std::size_t count() {
    std::lock_guard<std::mutex> guard{mtx};
    return ended.size();
  }

  int started(const std::string& node) {
    std::lock_guard<std::mutex> guard{mtx};
    return started_on[node];
  }
};

enqueue_task wait_task(int ms) {
  return {samples::wait_codeunit,
          {{"Wait", std::to_string(ms)}},
          caf::none,
          error_level::error,
          ""};
}

/// 1,000 tasks over 10 sessions on two workers; `sig` hits the first one
/// once a quarter of them has ended.
void lose_a_worker_mid_run(int sig) {
  outcomes seen;
  coordinator_runtime coord{{"--stagehand.placement=remote"},
                            [](config&) {},
                            seen.observer()};
  worker_process w1{coord.door(), "w1"};
  worker_process w2{coord.door(), "w2"};
  w1.joined();
  w2.joined();
  require_eventually([&] { return coord.is_live("w1") && coord.is_live("w2"); },
                     "both workers live");
  auto& rt = *coord.rt;
  std::vector<page_handle> pages;
  for (int s = 0; s < 10; ++s) {
    auto session = rt.open_session(client_type::web_client);
    BOOST_REQUIRE(session);
    pages.push_back(rt.open_page(*session, "CUSTOMER 10000"));
  }
  for (int i = 0; i < 100; ++i)
    for (auto& page : pages)
      BOOST_REQUIRE(rt.enqueue_background_task(page, wait_task(20)));
  require_eventually([&] { return seen.count() >= 250; },
                     "a quarter of the tasks ended");
  auto hit = steady_clock::now();
  w1.proc.signal(sig);
  require_eventually([&] { return seen.count() == 1000; },
                     "every task ended", seconds(60));
  std::lock_guard<std::mutex> guard{seen.mtx};
  for (auto& [key, n] : seen.ended)
    BOOST_CHECK_MESSAGE(n == 1, "task " << key.second << " of page "
                                        << key.first << " ended " << n
                                        << " times");
  BOOST_CHECK_GT(seen.started_on["w1"], 0);
  BOOST_CHECK_GT(seen.started_on["w2"], 0);
  BOOST_CHECK_EQUAL(seen.started_on["local"], 0);
  BOOST_REQUIRE(!seen.errors.empty());
  for (auto& [ev, at] : seen.errors) {
    BOOST_CHECK_EQUAL(ev.error.code, "ChildSessionNodeLost");
    BOOST_CHECK_EQUAL(ev.error.text, "Child Session task was terminated "
                                     "because node w1 was lost.");
    auto ms = duration_cast<milliseconds>(at - hit).count();
    BOOST_CHECK_MESSAGE(ms < 1000, "lost after " << ms << " ms");
  }
  BOOST_TEST_MESSAGE("signal " << sig << ": " << seen.errors.size()
                               << " tasks lost, the last after "
                               << duration_cast<milliseconds>(
                                    seen.errors.back().second - hit)
                                    .count()
                               << " ms");
}

} // namespace

BOOST_AUTO_TEST_SUITE(cluster_placement)

BOOST_AUTO_TEST_CASE(a_killed_worker_s_tasks_end_with_node_lost_and_once) {
  lose_a_worker_mid_run(SIGKILL);
}

BOOST_AUTO_TEST_CASE(a_stopped_worker_s_tasks_end_with_node_lost_and_once) {
  lose_a_worker_mid_run(SIGSTOP);
}

BOOST_AUTO_TEST_CASE(a_codeunit_that_no_live_worker_has_is_refused_by_name) {
  coordinator_runtime coord{{"--stagehand.placement=remote"}};
  auto& rt = *coord.rt;
  // The coordinator has it; with placement remote, that is not enough.
  BOOST_REQUIRE(!rt.codeunits().add(61100, "CoordinatorOnly",
                                    [](codeunit_context&) {}));
  worker_process w1{coord.door(), "w1"};
  w1.joined();
  require_eventually([&] { return coord.is_live("w1"); }, "w1 live");
  auto session = rt.open_session(client_type::web_client);
  BOOST_REQUIRE(session);
  auto page = rt.open_page(*session, "CUSTOMER 10000");
  auto refused = rt.enqueue_background_task(
    page, {61100, {}, caf::none, error_level::error, ""});
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::unknown_codeunit));
  BOOST_CHECK_NE(describe(refused.error()).find("61100"), std::string::npos);
  BOOST_CHECK(rt.enqueue_background_task(page, wait_task(1)));
}

BOOST_AUTO_TEST_CASE(a_worker_that_joins_late_gets_work) {
  outcomes seen;
  coordinator_runtime coord{{"--stagehand.placement=remote",
                             "--stagehand.worker-capacity=2"},
                            [](config&) {},
                            seen.observer()};
  worker_process w1{coord.door(), "w1", {"--stagehand.worker-capacity=2"}};
  w1.joined();
  require_eventually([&] { return coord.is_live("w1"); }, "w1 live");
  auto& rt = *coord.rt;
  auto session = rt.open_session(client_type::web_client);
  BOOST_REQUIRE(session);
  auto page = rt.open_page(*session, "CUSTOMER 10000");
  for (int i = 0; i < 2; ++i)
    BOOST_REQUIRE(rt.enqueue_background_task(page, wait_task(2000)));
  // w1 is full now; the late joiner is the least loaded node.
  worker_process w2{coord.door(), "w2", {"--stagehand.worker-capacity=2"}};
  w2.joined();
  require_eventually([&] { return coord.is_live("w2"); }, "w2 live");
  BOOST_REQUIRE(rt.enqueue_background_task(page, wait_task(1)));
  require_eventually([&] { return seen.started("w2") == 1; },
                     "the task after the join started on w2");
  BOOST_CHECK_EQUAL(seen.started("w1"), 2);
}

BOOST_AUTO_TEST_CASE(a_shutdown_with_work_on_a_worker_ends_and_tells_it) {
  outcomes seen;
  auto coord = std::make_unique<coordinator_runtime>(
    std::vector<std::string>{"--stagehand.placement=remote"},
    [](config&) {}, seen.observer());
  worker_process w1{coord->door(), "w1"};
  w1.joined();
  require_eventually([&] { return coord->is_live("w1"); }, "w1 live");
  auto& rt = *coord->rt;
  auto session = rt.open_session(client_type::web_client);
  BOOST_REQUIRE(session);
  auto page = rt.open_page(*session, "CUSTOMER 10000");
  for (int i = 0; i < 3; ++i)
    BOOST_REQUIRE(rt.enqueue_background_task(page, wait_task(60'000)));
  require_eventually([&] { return seen.started("w1") == 3; },
                     "three tasks started on w1");
  auto began = steady_clock::now();
  coord.reset();
  auto ms = duration_cast<milliseconds>(steady_clock::now() - began).count();
  BOOST_TEST_MESSAGE("shutdown with 3 tasks on a worker: " << ms << " ms");
  // The bound of the issue: cancel-ack-timeout (1 s) plus the heartbeat
  // timeout (600 ms).
  BOOST_CHECK_LT(ms, 1600);
  BOOST_CHECK_EQUAL(seen.count(), 3u);
  BOOST_CHECK_EQUAL(w1.proc.wait_exit(seconds(5), "w1 ends on goodbye"), 0);
}

BOOST_AUTO_TEST_CASE(a_cancel_is_acknowledged_by_a_live_worker_and_forced_on_a_frozen_one) {
  std::mutex mtx;
  std::vector<std::pair<task_id, cancel_state>> cancels;
  outcomes seen;
  auto record = seen.observer();
  coordinator_runtime coord{{"--stagehand.placement=remote"},
                            [](config&) {},
                            [&](const page_event& ev) {
                              record(ev);
                              if (ev.what == kind::cancelled) {
                                std::lock_guard<std::mutex> guard{mtx};
                                cancels.emplace_back(ev.task.id, ev.cancel);
                              }
                            }};
  worker_process w1{coord.door(), "w1"};
  w1.joined();
  require_eventually([&] { return coord.is_live("w1"); }, "w1 live");
  auto& rt = *coord.rt;
  auto session = rt.open_session(client_type::web_client);
  BOOST_REQUIRE(session);
  auto page = rt.open_page(*session, "CUSTOMER 10000");
  auto first = rt.enqueue_background_task(page, wait_task(60'000));
  BOOST_REQUIRE(first);
  require_eventually([&] { return seen.started("w1") == 1; },
                     "the first task started on w1");
  auto asked = steady_clock::now();
  BOOST_REQUIRE(rt.cancel_background_task(page, *first));
  auto settled = [&](std::size_t n) {
    std::lock_guard<std::mutex> guard{mtx};
    return cancels.size() >= n;
  };
  require_eventually([&] { return settled(1); }, "the cancel settled");
  BOOST_TEST_MESSAGE("cancel round trip to a worker: "
                     << duration_cast<microseconds>(steady_clock::now() - asked)
                          .count()
                     << " us");
  {
    std::lock_guard<std::mutex> guard{mtx};
    BOOST_CHECK(cancels[0].second == cancel_state::acknowledged);
  }
  auto second = rt.enqueue_background_task(page, wait_task(60'000));
  BOOST_REQUIRE(second);
  require_eventually([&] { return seen.started("w1") == 2; },
                     "the second task started on w1");
  w1.proc.freeze();
  BOOST_REQUIRE(rt.cancel_background_task(page, *second));
  require_eventually([&] { return settled(2); }, "the frozen cancel settled");
  std::lock_guard<std::mutex> guard{mtx};
  BOOST_CHECK_EQUAL(cancels[1].first, *second);
  BOOST_CHECK(cancels[1].second == cancel_state::forced);
  BOOST_CHECK_EQUAL(rt.stats().cancels_forced, 1u);
  BOOST_CHECK_EQUAL(rt.stats().cancels_acknowledged, 1u);
}

BOOST_AUTO_TEST_SUITE_END()
