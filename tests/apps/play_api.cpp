// Tests apps/: `stagehand play` covers the API a page's and a session's AL
// code has: IsSessionActive, and the error trigger's call stack.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/cli_run.hpp"

using nlohmann::json;
using namespace stagehand::test;

BOOST_AUTO_TEST_SUITE(apps_play_api)

BOOST_AUTO_TEST_CASE(is_session_active_while_queued_or_running) {
  auto r = run_cli(
    "play -",
    lines({
      R"({"do":"start_session","session":"held","codeunit":50100,"params":{"Wait":600000}})",
      R"({"do":"is_session_active","session":"held"})",
      R"({"do":"start_session","session":"quick","codeunit":50105})",
      R"({"do":"stop_session","session":"held"})",
      R"({"do":"wait_idle"})",
      R"({"do":"is_session_active","session":"held"})",
      R"({"do":"is_session_active","session":"quick"})",
    }));
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto active = of(r, "session_active");
  BOOST_REQUIRE_EQUAL(active.size(), 3u);
  BOOST_CHECK_EQUAL(active[0].at("session"), "held");
  BOOST_CHECK_EQUAL(active[0].at("active"), true);
  BOOST_CHECK_EQUAL(active[1].at("session"), "held");
  BOOST_CHECK_EQUAL(active[1].at("active"), false);
  BOOST_CHECK_EQUAL(active[2].at("session"), "quick");
  BOOST_CHECK_EQUAL(active[2].at("active"), false);
  BOOST_CHECK(active[0].contains("t_ms"));
}

BOOST_AUTO_TEST_CASE(is_session_active_refuses_bad_lines_by_name) {
  struct bad {
    std::string scenario;
    std::string message;
  };
  std::vector<bad> cases{
    {R"({"do":"is_session_active"})",
     "line 1: is_session_active: missing field \"session\""},
    {R"({"do":"is_session_active","session":7})",
     "line 1: is_session_active: field \"session\" must be a string"},
    {R"({"do":"is_session_active","session":"nowhere"})",
     "line 1: is_session_active: unknown background session \"nowhere\""},
    // A client session's label is not a background session's.
    {R"({"do":"open_session","session":"s"})"
     "\n"
     R"({"do":"is_session_active","session":"s"})",
     "line 2: is_session_active: unknown background session \"s\""},
  };
  for (auto& c : cases) {
    auto r = run_cli("play -", c.scenario + "\n");
    BOOST_CHECK_EQUAL(r.exit_code, 2);
    BOOST_CHECK_MESSAGE(r.err.find(c.message) != std::string::npos,
                        "stderr '" << r.err << "' lacks '" << c.message << "'");
    BOOST_CHECK(of(r, "session_active").empty());
  }
}

BOOST_AUTO_TEST_CASE(the_error_event_carries_the_trigger_s_call_stack) {
  auto r = run_cli(
    "play -",
    std::string{open_page_lines}
      + lines({
        R"({"do":"enqueue","page":"p","task":"fail","codeunit":50101,"params":{"Message":"Credit limit exceeded."}})",
        R"({"do":"wait_idle"})",
        R"({"do":"enqueue","page":"p","task":"slow","codeunit":50100,"params":{"Wait":60000},"timeout_ms":50})",
      }));
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto errors = of(r, "error");
  BOOST_REQUIRE_EQUAL(errors.size(), 2u);
  BOOST_CHECK_EQUAL(errors[0].at("task"), "fail");
  BOOST_CHECK_EQUAL(errors[0].at("call_stack"),
                    "PBTFailCodeunit(CodeUnit 50101).OnRun");
  // A timeout ends the task from outside its code: no stack to show.
  BOOST_CHECK_EQUAL(errors[1].at("task"), "slow");
  BOOST_CHECK_EQUAL(errors[1].at("code"), "ChildSessionTaskTimeout");
  BOOST_CHECK_EQUAL(errors[1].at("call_stack"), "");
}

BOOST_AUTO_TEST_CASE(the_summary_counts_the_tasks_started_on_each_node) {
  auto r = run_cli(
    "--stagehand.log-level=off play -",
    lines({
      R"({"do":"open_session","session":"s"})",
      R"({"do":"open_page","session":"s","page":"p","record":"CUSTOMER 10000"})",
      R"({"do":"enqueue","page":"p","task":"a","codeunit":50105})",
      R"({"do":"enqueue","page":"p","task":"b","codeunit":50105})",
      R"({"do":"enqueue","page":"p","task":"c","codeunit":50100,"params":{"Wait":"60000"}})",
      R"({"do":"cancel","page":"p","task":"c"})",
      R"({"do":"enqueue","page":"p","task":"bad","codeunit":59999})",
    }));
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  auto summary = of(r, "summary");
  BOOST_REQUIRE_EQUAL(summary.size(), 1u);
  // One process: every task that started did so here; the refused one
  // never started, so it is on no node. `c` counts if it started before
  // its cancel.
  auto started = of(r, "started").size();
  BOOST_CHECK_GE(started, 2u);
  BOOST_CHECK_EQUAL(summary[0].at("nodes"), json({{"local", started}}));
}

BOOST_AUTO_TEST_CASE(a_summary_without_a_started_task_has_no_node) {
  auto r = run_cli("--stagehand.log-level=off play -",
                   lines({R"({"do":"open_session","session":"s"})"}));
  BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.out << r.err);
  auto summary = of(r, "summary");
  BOOST_REQUIRE_EQUAL(summary.size(), 1u);
  BOOST_CHECK_EQUAL(summary[0].at("nodes"), json::object());
}

BOOST_AUTO_TEST_CASE(help_play_lists_the_command_and_its_event) {
  auto r = run_cli("help play");
  BOOST_CHECK_EQUAL(r.exit_code, 0);
  for (auto part : {"is_session_active  session", "session_active"})
    BOOST_CHECK_MESSAGE(r.out.find(part) != std::string::npos,
                        "help play lacks '" << part << "'");
}

BOOST_AUTO_TEST_SUITE_END()
