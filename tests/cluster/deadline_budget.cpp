// Tests the deadline budget across a real `stagehand worker` process: a page
// task, a background session and an operation attempt placed on the worker
// see, through `ctx.remaining()` on the worker's clock, what was left of
// their timeouts on the coordinator, no more and not the whole again later.
// The budget's arithmetic and inheritance are tested on the test coordinator
// in tests/actors/deadline_budget.cpp.
#include <boost/test/unit_test.hpp>

#include <future>
#include <mutex>

#include "samples/sample_codeunits.hpp"
#include "server/scheduler/session_operation_runner.hpp"
#include "tests/support/cluster_nodes.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;
using namespace stagehand::test;
using namespace std::chrono;

namespace {

/// Where the first page task started, and its completed event.
struct first_result {
  std::mutex mtx;
  std::string node;
  std::optional<page_event> completed;

  page_observer observer() {
    return [this](const page_event& ev) {
      std::lock_guard<std::mutex> guard{mtx};
      if (node.empty() && ev.what == page_event::kind::started)
        node = ev.node;
      if (!completed && ev.what == page_event::kind::completed)
        completed = ev;
    };
  }

  std::optional<page_event> get() {
    std::lock_guard<std::mutex> guard{mtx};
    return completed;
  }

  std::string started_on() {
    std::lock_guard<std::mutex> guard{mtx};
    return node;
  }
};

struct budget_cluster {
  first_result seen;
  coordinator_runtime coord{
    {"--stagehand.placement=remote"}, [](config&) {}, seen.observer()};
  worker_process w1{coord.door(), "w1"};

  budget_cluster() {
    w1.joined();
    require_eventually(
      [&] {
        return coord.is_live("w1");
      },
      "w1 live");
  }

  /// Checks that `remaining` (ms, as PBTBudgetCodeunit returns it) is at
  /// most `timeout` and at least `timeout` less the time since `sent`: the
  /// worker counted the budget from a start within that span.
  static void check_remaining(const std::string& remaining,
                              milliseconds timeout,
                              steady_clock::time_point sent) {
    BOOST_REQUIRE_NE(remaining, "none");
    auto left = milliseconds{std::stoll(remaining)};
    auto spent = duration_cast<milliseconds>(steady_clock::now() - sent);
    BOOST_TEST_MESSAGE("remaining " << left.count() << " ms of "
                                    << timeout.count() << " ms, "
                                    << spent.count() << " ms after the send");
    BOOST_CHECK_LE(left.count(), timeout.count());
    BOOST_CHECK_GE(left.count(), (timeout - spent).count() - 1);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_deadline_budget, budget_cluster)

BOOST_AUTO_TEST_CASE(a_page_task_on_a_worker_sees_what_is_left_of_its_timeout) {
  auto& rt = *coord.rt;
  auto session = rt.open_session(client_type::web_client);
  BOOST_REQUIRE(session);
  auto page = rt.open_page(*session, "CUSTOMER 10000");
  auto sent = steady_clock::now();
  BOOST_REQUIRE(rt.enqueue_background_task(page, {samples::budget_codeunit,
                                                  {},
                                                  caf::timespan{seconds(10)},
                                                  error_level::error,
                                                  ""}));
  require_eventually(
    [&] {
      return seen.get().has_value();
    },
    "the budget task completed");
  auto done = *seen.get();
  BOOST_CHECK_EQUAL(seen.started_on(), "w1");
  check_remaining(done.results.at("RemainingMs"), seconds(10), sent);
}

BOOST_AUTO_TEST_CASE(a_session_on_a_worker_sees_what_is_left_of_its_timeout) {
  auto& rt = *coord.rt;
  start_session req;
  req.codeunit = samples::budget_codeunit;
  req.timeout = seconds(30);
  auto sent = steady_clock::now();
  auto id = rt.start_session(req);
  BOOST_REQUIRE_MESSAGE(id, (id ? "" : describe(id.error())));
  auto outcome = rt.wait_session(*id);
  BOOST_REQUIRE_MESSAGE(outcome, (outcome ? "" : describe(outcome.error())));
  BOOST_REQUIRE(outcome->what == session_outcome::kind::completed);
  check_remaining(outcome->results.at("RemainingMs"), seconds(30), sent);
}

BOOST_AUTO_TEST_CASE(an_operation_attempt_s_budget_is_its_execution_limit) {
  auto& rt = *coord.rt;
  session_operation_runner runner{rt};
  auto done = std::make_shared<std::promise<operation_result>>();
  operation_run run;
  run.codeunit = samples::budget_codeunit;
  run.user = "ALICE";
  run.limit = seconds(45);
  auto sent = steady_clock::now();
  auto id = runner.start(
    std::move(run), [] {},
    [done](operation_result r) {
      done->set_value(std::move(r));
    });
  BOOST_REQUIRE_MESSAGE(id, (id ? "" : describe(id.error())));
  auto result = done->get_future();
  BOOST_REQUIRE(result.wait_for(seconds(10)) == std::future_status::ready);
  auto attempt = result.get();
  BOOST_REQUIRE(attempt.what == operation_result::status::succeeded);
  check_remaining(attempt.outputs.at("RemainingMs"), seconds(45), sent);
  BOOST_CHECK_EQUAL(rt.nodes().find("w1")->running, 0u);
}

BOOST_AUTO_TEST_SUITE_END()
