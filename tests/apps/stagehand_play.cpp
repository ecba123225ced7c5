// Tests apps/: runs the real `stagehand play` on scenarios of page
// background tasks and checks the JSON Lines it prints: the summary, queue
// limits, timeouts and error levels, cancellations, re-enqueueing,
// web-service sessions, malformed lines, and a wait_idle that runs out.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/cli_run.hpp"

using nlohmann::json;
using stagehand::test::index_of;
using stagehand::test::lines;
using stagehand::test::of;
using stagehand::test::open_page_lines;
using stagehand::test::play_file;
using stagehand::test::run_cli;
using stagehand::test::run_result;

BOOST_AUTO_TEST_SUITE(apps_stagehand)

BOOST_AUTO_TEST_CASE(play_happy_path_and_summary) {
  auto r = play_file("customer_card.jsonl");
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto completed = of(r, "completed");
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].at("page"), "card");
  BOOST_CHECK_EQUAL(completed[0].at("task"), "wait");
  BOOST_CHECK_EQUAL(completed[0].at("results").at("waited"), "50");
  BOOST_CHECK(index_of(r, "enqueued") < index_of(r, "started"));
  BOOST_CHECK(index_of(r, "started") < index_of(r, "completed"));
  for (auto& ev : r.events)
    BOOST_CHECK(ev.at("t_ms").is_number_integer());
  auto& summary = r.events.back();
  BOOST_CHECK_EQUAL(summary.at("event"), "summary");
  BOOST_CHECK_EQUAL(summary.at("enqueued"), 1);
  BOOST_CHECK_EQUAL(summary.at("completed"), 1);
  BOOST_CHECK_EQUAL(summary.at("errors"), 0);
  BOOST_CHECK_EQUAL(summary.at("cancelled"), 0);
}

BOOST_AUTO_TEST_CASE(play_queue_limits_from_the_command_line) {
  auto r = play_file("queue_full.jsonl",
                     "--stagehand.child-sessions-max-concurrency=2 "
                     "--stagehand.child-sessions-max-queue-length=3");
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto failed = of(r, "enqueue_failed");
  BOOST_REQUIRE_EQUAL(failed.size(), 1u);
  BOOST_CHECK_EQUAL(failed[0].at("task"), "t6");
  BOOST_CHECK_NE(failed[0].at("reason").get<std::string>().find("is full"),
                 std::string::npos);
  // Only two run before the first finishes.
  auto first_done = index_of(r, "completed");
  size_t started_before = 0;
  for (size_t i = 0; i < first_done; ++i)
    started_before += r.events[i].at("event") == "started" ? 1 : 0;
  BOOST_CHECK_EQUAL(started_before, 2u);
  BOOST_CHECK_EQUAL(of(r, "completed").size(), 5u);
}

BOOST_AUTO_TEST_CASE(play_timeouts_and_error_levels) {
  auto scenario
    = std::string{open_page_lines}
      + lines(
        {R"({"do":"enqueue","page":"p","task":"warn","codeunit":50100,"params":{"Wait":"2000"},"timeout_ms":50,"error_level":"warning"})",
         R"({"do":"enqueue","page":"p","task":"quiet","codeunit":50100,"params":{"Wait":"2000"},"timeout_ms":50,"error_level":"ignore"})",
         R"({"do":"enqueue","page":"p","task":"mine","codeunit":50100,"params":{"Wait":"2000"},"timeout_ms":50,"handled":true})",
         R"({"do":"wait_idle"})"});
  auto r = run_cli("play -", scenario);
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto errors = of(r, "error");
  BOOST_REQUIRE_EQUAL(errors.size(), 3u);
  for (auto& e : errors) {
    BOOST_CHECK_EQUAL(e.at("code"), "ChildSessionTaskTimeout");
    BOOST_CHECK_EQUAL(e.at("text"),
                      "Child Session task was terminated because of a "
                      "timeout.");
    BOOST_CHECK_EQUAL(e.at("handled"), e.at("task") == "mine");
  }
  auto notes = of(r, "notification");
  BOOST_REQUIRE_EQUAL(notes.size(), 1u);
  BOOST_CHECK_EQUAL(notes[0].at("level"), "warning");
}

BOOST_AUTO_TEST_CASE(play_codeunit_errors) {
  auto r = run_cli(
    "play -",
    std::string{open_page_lines}
      + lines(
        {R"({"do":"enqueue","page":"p","task":"f","codeunit":50101,"params":{"Message":"Credit limit exceeded."}})"}));
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto errors = of(r, "error");
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].at("code"), "Dialog");
  BOOST_CHECK_EQUAL(errors[0].at("text"), "Credit limit exceeded.");
  auto notes = of(r, "notification");
  BOOST_REQUIRE_EQUAL(notes.size(), 1u);
  BOOST_CHECK_EQUAL(notes[0].at("level"), "error");
  BOOST_CHECK_EQUAL(notes[0].at("text"), "Credit limit exceeded.");
}

BOOST_AUTO_TEST_CASE(play_every_cancellation_reason) {
  auto r = play_file("cancellations.jsonl");
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  std::map<std::string, std::string> reasons;
  for (auto& ev : of(r, "cancelled")) {
    reasons[ev.at("task")] = ev.at("reason");
    // Every task ran in the player's process: nothing to wait for.
    BOOST_CHECK_EQUAL(ev.at("state"), "acknowledged");
  }
  BOOST_CHECK_EQUAL(reasons["moved"], "record_changed");
  BOOST_CHECK_EQUAL(reasons["asked"], "requested");
  BOOST_CHECK_EQUAL(reasons["closed"], "page_closed");
  BOOST_CHECK_EQUAL(reasons["session"], "session_closed");
  auto results = of(r, "cancel_result");
  BOOST_REQUIRE_EQUAL(results.size(), 2u);
  BOOST_CHECK_EQUAL(results[0].at("ok"), true);
  BOOST_CHECK_EQUAL(results[1].at("ok"), false);
  BOOST_CHECK(of(r, "completed").empty());
  BOOST_CHECK_EQUAL(r.events.back().at("cancelled"), 4);
}

BOOST_AUTO_TEST_CASE(play_repeat_re_enqueues_from_the_trigger) {
  auto r = run_cli(
    "play -",
    std::string{open_page_lines}
      + lines(
        {R"({"do":"enqueue","page":"p","task":"refresh","codeunit":50105,"repeat":2})"}));
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto completed = of(r, "completed");
  BOOST_REQUIRE_EQUAL(completed.size(), 3u);
  std::set<int> ids;
  for (auto& ev : completed) {
    BOOST_CHECK_EQUAL(ev.at("task"), "refresh");
    ids.insert(ev.at("task_id").get<int>());
  }
  BOOST_CHECK_EQUAL(ids.size(), 3u);
}

BOOST_AUTO_TEST_CASE(play_web_service_enqueue_is_synchronous) {
  auto r = run_cli(
    "play -",
    lines(
      {R"({"do":"open_session","session":"ws","client":"web_service"})",
       R"({"do":"open_page","session":"ws","page":"p","record":"CUSTOMER 10000"})",
       R"({"do":"enqueue","page":"p","task":"slow","codeunit":50100,"params":{"Wait":"100"}})",
       R"({"do":"enqueue","page":"p","task":"next","codeunit":50105})"}));
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  BOOST_CHECK(index_of(r, "completed", "slow")
              < index_of(r, "enqueued", "next"));
}

BOOST_AUTO_TEST_CASE(malformed_lines_stop_with_exit_code_2) {
  struct bad {
    std::string scenario;
    std::string message;
  };
  std::vector<bad> cases{
    {"{\"do\":\"open_session\",\"session\":\"s\"}\n{not json\n",
     "line 2: invalid JSON"},
    {"{\"do\":\"dance\"}\n", "line 1: unknown command \"dance\""},
    {std::string{open_page_lines}
       + "{\"do\":\"enqueue\",\"page\":\"p\",\"task\":\"t\"}\n",
     "line 3: enqueue: missing field \"codeunit\""},
    {"{\"do\":\"close_page\",\"page\":\"nowhere\"}\n",
     "line 1: close_page: unknown page \"nowhere\""},
    {std::string{open_page_lines}
       + "{\"do\":\"enqueue\",\"page\":\"p\",\"task\":\"t\",\"codeunit\":"
         "\"50100\"}\n",
     "line 3: enqueue: field \"codeunit\" must be an integer"},
    {"{\"do\":\"sleep\",\"ms\":-1}\n",
     "line 1: sleep: field \"ms\" must not be negative"},
    // Found by tests/fuzz (fuzz_play_line): it ended `play` in terminate.
    {"{\"do\":\"sleep\",\"ms\":1e999}\n",
     "line 1: invalid JSON: [json.exception.out_of_range.406] number overflow"},
  };
  for (auto& c : cases) {
    auto r = run_cli("play -", c.scenario);
    BOOST_CHECK_EQUAL(r.exit_code, 2);
    BOOST_CHECK_MESSAGE(r.err.find(c.message) != std::string::npos,
                        "stderr '" << r.err << "' lacks '" << c.message << "'");
  }
}

BOOST_AUTO_TEST_CASE(play_wait_idle_that_runs_out_is_an_event_and_exit_1) {
  auto r = run_cli(
    "play -",
    std::string{open_page_lines}
      + lines(
        {R"({"do":"enqueue","page":"p","task":"slow","codeunit":50100,"params":{"Wait":"300"}})",
         R"({"do":"wait_idle","timeout_ms":20})",
         R"({"do":"enqueue","page":"p","task":"after","codeunit":50105})"}));
  BOOST_CHECK_EQUAL(r.exit_code, 1);
  auto timeouts = of(r, "wait_idle_timeout");
  BOOST_REQUIRE_EQUAL(timeouts.size(), 1u);
  BOOST_CHECK_EQUAL(timeouts[0].at("timeout_ms"), 20);
  // The run goes on to the end.
  BOOST_CHECK_EQUAL(of(r, "completed").size(), 2u);
  BOOST_CHECK_EQUAL(r.events.back().at("event"), "summary");
}

BOOST_AUTO_TEST_SUITE_END()
