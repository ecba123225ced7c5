// Tests background sessions and operation attempts placed on real
// `stagehand worker` processes: a session commits in the company that the
// worker shares with its coordinator, a killed worker's sessions end failed
// with the node-lost reason in their Close rows within a second, a stop is
// acknowledged by a live worker and forced on a frozen one, and an
// operation attempt on a lost worker fails and its retry runs on the
// survivor. Who may report about a placed session is tested on the test
// coordinator in tests/actors/background_session_placement.cpp.
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <future>

#include "samples/sample_codeunits.hpp"
#include "server/scheduler/session_operation_runner.hpp"
#include "tests/support/cluster_nodes.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;
using namespace stagehand::test;
using namespace std::chrono;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

namespace {

/// A coordinator that places everything on workers, and a worker that
/// shares its data dir, as on one host (SQLite's WAL works across
/// processes).
struct shared_company_cluster {
  coordinator_runtime coord{{"--stagehand.placement=remote"}};
  std::vector<std::unique_ptr<worker_process>> workers;

  worker_process& add_worker(const std::string& name) {
    workers.push_back(std::make_unique<worker_process>(
      coord.door(), name,
      std::vector<std::string>{"--stagehand.data-dir="
                               + coord.data.path.string()}));
    workers.back()->joined();
    require_eventually(
      [&] {
        return coord.is_live(name);
      },
      name + " live");
    return *workers.back();
  }

  start_session waiting(int ms) {
    start_session req;
    req.codeunit = samples::wait_codeunit;
    req.parameters = {{"Wait", std::to_string(ms)}};
    return req;
  }

  std::vector<session_event> events(session_id id) {
    auto rows = coord.rt->session_events("CRONUS", id);
    BOOST_REQUIRE_MESSAGE(rows, (rows ? "" : describe(rows.error())));
    return *rows;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_background_sessions, shared_company_cluster)

BOOST_AUTO_TEST_CASE(a_session_on_a_worker_commits_in_the_shared_company) {
  auto& rt = *coord.rt;
  {
    auto db = rt.open_admin_connection("CRONUS");
    BOOST_REQUIRE_MESSAGE(db, (db ? "" : describe(db.error())));
    (*db)->query("INSERT INTO Customer (\"No.\", Name) VALUES ('10000', 'A')",
                 {});
    (*db)->query("INSERT INTO Customer (\"No.\", Name) VALUES ('20000', 'B')",
                 {});
  }
  add_worker("w1");
  start_session req;
  req.codeunit = samples::block_all_customers_codeunit;
  auto id = rt.start_session(req);
  BOOST_REQUIRE_MESSAGE(id, (id ? "" : describe(id.error())));
  auto outcome = rt.wait_session(*id);
  BOOST_REQUIRE_MESSAGE(outcome, (outcome ? "" : describe(outcome.error())));
  BOOST_CHECK_MESSAGE(outcome->what == outcome_kind::completed,
                      to_string(outcome->what) << ": " << outcome->comment);
  BOOST_CHECK_EQUAL(outcome->results.at("Blocked"), "2");
  // The worker recorded the Start and Close rows in the shared company.
  auto rows = events(*id);
  BOOST_REQUIRE_EQUAL(rows.size(), 2u);
  BOOST_CHECK(rows[0].what == event_kind::start);
  BOOST_CHECK(rows[1].what == event_kind::close);
  BOOST_CHECK_EQUAL(rows[1].comment, "");
  BOOST_CHECK_EQUAL(rt.nodes().find("w1")->running, 0u);
}

BOOST_AUTO_TEST_CASE(
  a_killed_worker_s_sessions_fail_with_the_reason_in_their_close_rows) {
  auto& rt = *coord.rt;
  BOOST_REQUIRE(rt.open_admin_connection("CRONUS"));
  auto& w1 = add_worker("w1");
  std::vector<session_id> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = rt.start_session(waiting(60'000));
    BOOST_REQUIRE_MESSAGE(id, (id ? "" : describe(id.error())));
    ids.push_back(*id);
  }
  // Each worker job records its Start row before it runs the codeunit.
  require_eventually(
    [&] {
      for (auto id : ids)
        if (events(id).empty())
          return false;
      return true;
    },
    "the worker started all three sessions");
  auto hit = steady_clock::now();
  w1.proc.signal(SIGKILL);
  for (auto id : ids) {
    auto outcome = rt.wait_session(id);
    BOOST_REQUIRE_MESSAGE(outcome, (outcome ? "" : describe(outcome.error())));
    BOOST_CHECK(outcome->what == outcome_kind::failed);
    BOOST_CHECK_EQUAL(outcome->error.code, "ChildSessionNodeLost");
    BOOST_CHECK_EQUAL(outcome->comment, "Child Session task was terminated "
                                        "because node w1 was lost.");
  }
  auto ms = duration_cast<milliseconds>(steady_clock::now() - hit).count();
  BOOST_TEST_MESSAGE("3 sessions failed " << ms << " ms after SIGKILL");
  BOOST_CHECK_LT(ms, 1000);
  for (auto id : ids) {
    std::vector<session_event> rows;
    require_eventually(
      [&] {
        rows = events(id);
        return rows.size() == 2;
      },
      "the Close row of session " + std::to_string(id));
    BOOST_CHECK(rows[1].what == event_kind::close);
    BOOST_CHECK_EQUAL(rows[1].comment, "Child Session task was terminated "
                                       "because node w1 was lost.");
  }
  BOOST_CHECK(!rt.is_session_active(ids[0]));
}

BOOST_AUTO_TEST_CASE(
  a_stop_is_acknowledged_by_a_live_worker_and_forced_on_a_frozen_one) {
  auto& rt = *coord.rt;
  BOOST_REQUIRE(rt.open_admin_connection("CRONUS"));
  auto& w1 = add_worker("w1");
  auto started = [&] {
    auto id = rt.start_session(waiting(60'000));
    BOOST_REQUIRE_MESSAGE(id, (id ? "" : describe(id.error())));
    require_eventually([&] { return !events(*id).empty(); },
                       "the worker started session " + std::to_string(*id));
    return *id;
  };
  auto first = started();
  auto stopped = rt.stop_session(first, "not needed");
  BOOST_REQUIRE(stopped && *stopped);
  require_eventually([&] { return rt.stats().cancels_acknowledged == 1; },
                     "w1 acknowledged the stop");
  BOOST_CHECK_EQUAL(rt.stats().cancels_requested, 1u);
  BOOST_CHECK_EQUAL(rt.nodes().find("w1")->running, 0u);
  // The worker rolled back and recorded the Stop with the comment.
  require_eventually([&] { return events(first).size() == 2; },
                     "the Stop row of the first session");
  BOOST_CHECK(events(first)[1].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events(first)[1].comment, "not needed");
  // A frozen worker never answers: the stop is forced, by the timer or by
  // the loss of the node, whichever comes first.
  auto second = started();
  w1.proc.freeze();
  stopped = rt.stop_session(second, "not needed either");
  BOOST_REQUIRE(stopped && *stopped);
  require_eventually([&] { return rt.stats().cancels_forced == 1; },
                     "the stop on the frozen w1 forced");
  BOOST_CHECK_EQUAL(rt.stats().cancels_acknowledged, 1u);
  BOOST_CHECK_EQUAL(rt.nodes().find("w1")->running, 0u);
}

BOOST_AUTO_TEST_CASE(
  an_attempt_on_a_lost_worker_fails_and_its_retry_runs_on_a_survivor) {
  auto& rt = *coord.rt;
  auto& w1 = add_worker("w1");
  session_operation_runner runner{rt};
  auto attempt = [&](int ms) {
    auto done = std::make_shared<std::promise<operation_result>>();
    operation_run run;
    run.codeunit = samples::operation_wait_codeunit;
    run.inputs = {{"Wait", std::to_string(ms)}};
    run.user = "ALICE";
    run.limit = minutes(2);
    auto id = runner.start(
      std::move(run), [] {},
      [done](operation_result r) {
        done->set_value(std::move(r));
      });
    BOOST_REQUIRE_MESSAGE(id, (id ? "" : describe(id.error())));
    return done->get_future();
  };
  auto first = attempt(60'000);
  require_eventually(
    [&] {
      return rt.nodes().find("w1")->running == 1;
    },
    "the first attempt placed on w1");
  add_worker("w2");
  w1.proc.signal(SIGKILL);
  BOOST_REQUIRE(first.wait_for(seconds(10)) == std::future_status::ready);
  auto lost = first.get();
  BOOST_CHECK(lost.what == operation_result::status::failed);
  BOOST_CHECK_EQUAL(lost.error_code, "ChildSessionNodeLost");
  BOOST_CHECK_EQUAL(lost.error_message, "Child Session task was terminated "
                                        "because node w1 was lost.");
  // A failed attempt is retried by the operation's schedule; the retry is
  // an attempt like this one, and only w2 is live.
  auto retry = attempt(1);
  BOOST_REQUIRE(retry.wait_for(seconds(10)) == std::future_status::ready);
  auto done = retry.get();
  BOOST_CHECK(done.what == operation_result::status::succeeded);
  BOOST_CHECK_EQUAL(done.outputs.at("waited"), "1");
}

BOOST_AUTO_TEST_SUITE_END()
