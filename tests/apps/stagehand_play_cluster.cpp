// Tests `stagehand play` driving a cluster (apps/scenario_workers.hpp): it
// starts real `stagehand worker` processes, places work on them, and reports
// their kill and loss, as a scenario author sees it.
#include <boost/test/unit_test.hpp>

#include "tests/support/cli_run.hpp"

using stagehand::test::index_of;
using stagehand::test::lines;
using stagehand::test::of;
using stagehand::test::run_cli;

BOOST_AUTO_TEST_SUITE(apps_stagehand_play_cluster)

BOOST_AUTO_TEST_CASE(play_starts_a_worker_places_work_there_and_hears_its_loss) {
  auto r = run_cli(
    "--stagehand.log-level=off --stagehand.placement=remote play -",
    lines({R"({"do":"start_worker","node":"w1","capacity":2})",
           R"({"do":"open_session","session":"s"})",
           R"({"do":"open_page","session":"s","page":"p","record":"CUSTOMER 10000"})",
           R"({"do":"enqueue","page":"p","task":"quick","codeunit":50100,"params":{"Wait":"10"}})",
           R"({"do":"wait_idle","timeout_ms":20000})",
           R"({"do":"enqueue","page":"p","task":"long","codeunit":50100,"params":{"Wait":"60000"}})",
           R"({"do":"sleep","ms":200})",
           R"({"do":"kill_worker","node":"w1","signal":"KILL"})",
           R"({"do":"wait_idle","timeout_ms":20000})"}));
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  auto joined = of(r, "worker_joined");
  BOOST_REQUIRE_EQUAL(joined.size(), 1u);
  BOOST_CHECK_EQUAL(joined[0].at("node"), "w1");
  auto started = of(r, "started");
  BOOST_REQUIRE_EQUAL(started.size(), 2u);
  for (auto& ev : started)
    BOOST_CHECK_EQUAL(ev.at("node"), "w1");
  auto completed = of(r, "completed");
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].at("task"), "quick");
  auto killed = of(r, "worker_killed");
  BOOST_REQUIRE_EQUAL(killed.size(), 1u);
  BOOST_CHECK_EQUAL(killed[0].at("signal"), "KILL");
  auto lost = of(r, "worker_lost");
  BOOST_REQUIRE_EQUAL(lost.size(), 1u);
  BOOST_CHECK_EQUAL(lost[0].at("node"), "w1");
  auto errors = of(r, "error");
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].at("task"), "long");
  BOOST_CHECK_EQUAL(errors[0].at("code"), "ChildSessionNodeLost");
  BOOST_CHECK_EQUAL(errors[0].at("text"), "Child Session task was terminated "
                                          "because node w1 was lost.");
  BOOST_CHECK(index_of(r, "worker_killed") < index_of(r, "error"));
  auto summary = of(r, "summary");
  BOOST_REQUIRE_EQUAL(summary.size(), 1u);
  BOOST_CHECK_EQUAL(summary[0].at("nodes"), nlohmann::json({{"w1", 2}}));
}

BOOST_AUTO_TEST_CASE(play_s_summary_counts_the_tasks_of_each_node) {
  // This process weighs 1 against w1's 2: the first task takes the tie
  // here, the second the free slot on w1, while the first still runs.
  auto r = run_cli(
    "--stagehand.log-level=off --stagehand.placement=spread "
    "--stagehand.worker-capacity=1 play -",
    lines({R"({"do":"start_worker","node":"w1","capacity":2})",
           R"({"do":"open_session","session":"s"})",
           R"({"do":"open_page","session":"s","page":"p","record":"CUSTOMER 10000"})",
           R"({"do":"enqueue","page":"p","task":"one","codeunit":50100,"params":{"Wait":"3000"}})",
           R"({"do":"enqueue","page":"p","task":"two","codeunit":50100,"params":{"Wait":"3000"}})",
           R"({"do":"wait_idle","timeout_ms":20000})"}));
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  auto summary = of(r, "summary");
  BOOST_REQUIRE_EQUAL(summary.size(), 1u);
  BOOST_CHECK_EQUAL(summary[0].at("nodes"),
                    nlohmann::json({{"local", 1}, {"w1", 1}}));
}

BOOST_AUTO_TEST_CASE(play_refuses_a_bad_signal_and_an_unknown_worker) {
  auto r = run_cli("--stagehand.log-level=off play -",
                   lines({R"({"do":"kill_worker","node":"w9","signal":"KILL"})"}));
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_NE(r.err.find("no worker was started"), std::string::npos);
  r = run_cli("--stagehand.log-level=off play -",
              lines({R"({"do":"start_worker","node":"w1"})",
                     R"({"do":"kill_worker","node":"w1","signal":"HUP"})"}));
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_NE(r.err.find("\"KILL\", \"STOP\" or \"TERM\""),
                 std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
