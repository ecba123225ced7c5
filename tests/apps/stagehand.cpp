// Tests apps/: runs the real `stagehand` binary, as a user would, on
// scenarios and checks the JSON Lines it prints.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/serve_config.hpp"
#include "tests/support/cli_run.hpp"
#include "tests/support/temp_data_dir.hpp"

using nlohmann::json;
using namespace stagehand::test;

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

BOOST_AUTO_TEST_CASE(play_reads_company_data_and_children_cannot_write) {
  stagehand::test::temp_data_dir dir;
  auto r = play_file("company_data.jsonl",
                     "--stagehand.data-dir=" + dir.path.string());
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  auto sql = of(r, "sql");
  BOOST_CHECK_EQUAL(sql.size(), 2u);
  BOOST_CHECK(of(r, "sql_failed").empty());
  auto completed = of(r, "completed");
  BOOST_REQUIRE_EQUAL(completed.size(), 2u);
  std::map<std::string, json> by_task;
  for (auto& ev : completed)
    by_task[ev.at("task")] = ev.at("results");
  BOOST_CHECK_EQUAL(by_task["sum"].at("Sum"), "60");
  BOOST_CHECK_EQUAL(by_task["sum"].at("Concat"), "foo-bar");
  BOOST_CHECK_EQUAL(by_task["sum_after_update"].at("Sum"), "150");
  std::map<std::string, std::string> errors;
  for (auto& ev : of(r, "error"))
    errors[ev.at("task")] = ev.at("text");
  // The codeunit evaluates RecId as a Code[10]: `r2` is looked up as `R2`,
  // and only a value over 10 characters cannot be one.
  BOOST_CHECK_EQUAL(errors["missing"], "PBTData record ID R2 was not found.");
  BOOST_CHECK_EQUAL(errors["unparsable"], "RecId could not be parsed.");
  BOOST_CHECK_EQUAL(errors["insert"], "You don't have the following "
                                      "permissions on TableData 50125: Insert");
  auto failed = of(r, "open_session_failed");
  BOOST_REQUIRE_EQUAL(failed.size(), 1u);
  auto reason = failed[0].at("reason").get<std::string>();
  BOOST_CHECK_NE(reason.find("NOSUCH"), std::string::npos);
  BOOST_CHECK_NE(reason.find((dir.path / "NOSUCH.db").string()),
                 std::string::npos);
}

BOOST_AUTO_TEST_CASE(play_runs_the_page_background_tasks_article_s_example) {
  // The article's PBTData row, its page passing Rec.Id as RecId, and its
  // codeunit answering Sum and Concat.
  auto r = play_file("page_background_task_article.jsonl");
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  BOOST_CHECK_MESSAGE(of(r, "error").empty(), "output: " << r.out);
  auto completed = of(r, "completed");
  BOOST_REQUIRE_EQUAL(completed.size(), 1u);
  BOOST_CHECK_EQUAL(completed[0].at("results"),
                    json::parse(R"({"Sum": "42", "Concat": "foo-bar"})"));
}

BOOST_AUTO_TEST_CASE(play_reads_the_demo_company_without_a_sql_step) {
  stagehand::test::temp_data_dir dir;
  auto cronus = dir.path / "CRONUS.db";
  BOOST_REQUIRE(!std::filesystem::exists(cronus));
  auto r = play_file("first_run.jsonl",
                     "--stagehand.data-dir=" + dir.path.string());
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  BOOST_CHECK_MESSAGE(r.out.find("does not exist") == std::string::npos,
                      "output: " << r.out);
  // The child read PBTData: the table is there, the record is not.
  auto errors = of(r, "error");
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].at("task"), "sum");
  BOOST_CHECK_EQUAL(errors[0].at("text"),
                    "PBTData record ID R1 was not found.");
  // A background session wrote to it: Customer is there and empty.
  auto ended = of(r, "session_ended");
  BOOST_REQUIRE_EQUAL(ended.size(), 1u);
  BOOST_CHECK_EQUAL(ended[0].at("outcome"), "completed");
  BOOST_CHECK_EQUAL(ended[0].at("results").at("Blocked"), "0");
  BOOST_CHECK(std::filesystem::exists(cronus));
}

BOOST_AUTO_TEST_CASE(play_background_sessions_end_in_one_outcome_each) {
  stagehand::test::temp_data_dir dir;
  auto r = play_file("background_sessions.jsonl",
                     "--stagehand.data-dir=" + dir.path.string());
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  std::map<std::string, json> ended;
  for (auto& ev : of(r, "session_ended")) {
    auto label = ev.at("session").get<std::string>();
    BOOST_CHECK_MESSAGE(ended.count(label) == 0, label << " ended twice");
    ended[label] = ev;
  }
  BOOST_REQUIRE_EQUAL(ended.size(), 4u);
  BOOST_CHECK_EQUAL(ended["block"].at("outcome"), "completed");
  BOOST_CHECK_EQUAL(ended["block"].at("results").at("Blocked"), "3");
  BOOST_CHECK_EQUAL(ended["held"].at("outcome"), "stopped");
  BOOST_CHECK_EQUAL(ended["held"].at("comment"), "Stopped by the administrator.");
  BOOST_CHECK_EQUAL(ended["slow"].at("outcome"), "timed_out");
  BOOST_CHECK_EQUAL(ended["slow"].at("comment"),
                    "The session timed out after 50 ms.");
  BOOST_CHECK_EQUAL(ended["fails"].at("outcome"), "failed");
  BOOST_CHECK_EQUAL(ended["fails"].at("comment"), "Customer 10000 is blocked.");
  auto refused = of(r, "session_start_failed");
  BOOST_REQUIRE_EQUAL(refused.size(), 1u);
  BOOST_CHECK_EQUAL(refused[0].at("session"), "missing");
  BOOST_CHECK_EQUAL(refused[0].at("reason"), "Codeunit 4711 is not registered.");
  auto line_of = [&](const std::string& event, const std::string& label) {
    for (size_t i = 0; i < r.events.size(); ++i)
      if (r.events[i].at("event") == event
          && r.events[i].value("session", "") == label)
        return i;
    return r.events.size();
  };
  for (auto& [label, ev] : ended)
    BOOST_CHECK_MESSAGE(line_of("session_started", label)
                          < line_of("session_ended", label),
                        label << " ended before it started");
  std::map<std::string, std::string> said;
  for (auto& ev : of(r, "session_message"))
    said[ev.at("session")] = ev.at("text");
  BOOST_CHECK_EQUAL(said["block"], "3 customers blocked.");
  // `held` ran (it blocked all three) before the stop reached it.
  BOOST_CHECK_EQUAL(said["held"], "3 customers blocked.");
  // The stopped session had blocked all three again, then rolled back.
  auto admin = stagehand::database::open(
    (dir.path / "CRONUS.db").string(), stagehand::access_mode::read_write,
    dir.catalog, std::chrono::seconds(5));
  BOOST_REQUIRE(admin);
  auto blocked = (*admin)->query("SELECT count(*) FROM Customer WHERE Blocked = 1");
  BOOST_CHECK_EQUAL(std::get<std::int64_t>(blocked[0][0]), 0);
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
  for (auto& ev : of(r, "cancelled"))
    reasons[ev.at("task")] = ev.at("reason");
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

BOOST_AUTO_TEST_CASE(demo_shows_the_seed_scenario) {
  auto r = run_cli("demo");
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  BOOST_CHECK_NE(r.out.find("Start and finish times have been updated."),
                 std::string::npos);
  BOOST_CHECK_NE(r.out.find("It took too long to get results. Try again."),
                 std::string::npos);
  BOOST_CHECK_NE(r.out.find("waited=1000"), std::string::npos);
  BOOST_CHECK_NE(r.out.find("ChildSessionTaskTimeout"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(play_keeps_its_promises) {
  stagehand::test::temp_data_dir dir;
  auto r = play_file("play_promises.jsonl",
                     "--stagehand.data-dir=" + dir.path.string());
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  // sql prints the rows it returned.
  auto sql = of(r, "sql");
  BOOST_REQUIRE_EQUAL(sql.size(), 2u);
  BOOST_CHECK_EQUAL(sql[0].at("count"), 0);
  BOOST_CHECK_EQUAL(sql[1].at("count"), 1);
  // The Code[10] key was inserted as `r7` and stored upper-cased.
  BOOST_CHECK_EQUAL(sql[1].at("rows"),
                    json::parse(R"([["R7", 1, "foo", null]])"));
  // A negative timeout is a failure event wherever it is given.
  auto says_negative = [](const json& ev) {
    return ev.at("reason") == "The timeout must not be negative (got -5 ms).";
  };
  auto enqueue = of(r, "enqueue_failed");
  BOOST_REQUIRE_EQUAL(enqueue.size(), 1u);
  BOOST_CHECK(says_negative(enqueue[0]));
  auto start = of(r, "session_start_failed");
  BOOST_REQUIRE_EQUAL(start.size(), 1u);
  BOOST_CHECK_EQUAL(start[0].at("session"), "negative");
  BOOST_CHECK(says_negative(start[0]));
  auto wait = of(r, "wait_idle_failed");
  BOOST_REQUIRE_EQUAL(wait.size(), 1u);
  BOOST_CHECK(says_negative(wait[0]));
  // A session started by a codeunit is announced and its end printed.
  std::map<std::string, json> started;
  for (auto& ev : of(r, "session_started"))
    started[ev.at("session")] = ev;
  BOOST_REQUIRE_EQUAL(started.size(), 3u);
  BOOST_CHECK_EQUAL(started["inner"].value("nested", false), true);
  BOOST_CHECK(!started["outer"].contains("nested"));
  std::map<std::string, json> ended;
  for (auto& ev : of(r, "session_ended"))
    ended[ev.at("session")] = ev;
  BOOST_REQUIRE_EQUAL(ended.size(), 3u);
  BOOST_CHECK_EQUAL(ended["inner"].at("outcome"), "completed");
  BOOST_CHECK_EQUAL(ended["inner"].at("results").at("waited"), "20");
  BOOST_CHECK_EQUAL(ended["outer"].at("results").at("SessionId"),
                    started["inner"].at("session_id").dump());
  BOOST_CHECK_EQUAL(ended["held"].at("outcome"), "stopped");
  // stop_session answers: the first stop stopped it, the second found none.
  auto stops = of(r, "stop_result");
  BOOST_REQUIRE_EQUAL(stops.size(), 2u);
  BOOST_CHECK_EQUAL(stops[0].at("session"), "held");
  BOOST_CHECK_EQUAL(stops[0].at("ok"), true);
  BOOST_CHECK_EQUAL(stops[1].at("ok"), false);
  // The summary counts background sessions too.
  auto& summary = r.events.back();
  BOOST_REQUIRE_EQUAL(summary.at("event"), "summary");
  BOOST_CHECK_EQUAL(summary.at("sessions_started"), 3);
  BOOST_CHECK_EQUAL(summary.at("sessions_completed"), 2);
  BOOST_CHECK_EQUAL(summary.at("sessions_stopped"), 1);
  BOOST_CHECK_EQUAL(summary.at("sessions_failed"), 0);
  BOOST_CHECK_EQUAL(summary.at("sessions_timed_out"), 0);
  BOOST_CHECK_EQUAL(summary.at("session_start_failed"), 1);
  BOOST_CHECK_EQUAL(summary.at("enqueue_failed"), 1);
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

BOOST_AUTO_TEST_CASE(help_lists_the_commands_and_every_key) {
  stagehand::serve_config cfg; // the tool's: the runtime's keys and serve's
  auto listing = cfg.settings_text(false);
  for (auto args : {"help", "--help", "-h"}) {
    auto r = run_cli(args);
    BOOST_CHECK_EQUAL(r.exit_code, 0);
    for (auto cmd : {"demo", "play FILE|-", "serve", "config", "help [COMMAND]"})
      BOOST_CHECK_MESSAGE(r.out.find(std::string{"\n  "} + cmd)
                            != std::string::npos,
                          args << " lacks " << cmd);
    std::istringstream keys{listing};
    std::string line;
    std::getline(keys, line); // [stagehand]
    int count = 0;
    for (; std::getline(keys, line); ++count)
      BOOST_CHECK_MESSAGE(r.out.find(line) != std::string::npos,
                          args << " lacks '" << line << "'");
    BOOST_CHECK_GT(count, 30);
  }
  auto r = run_cli("help");
  BOOST_CHECK_NE(r.out.find("child-sessions-max-concurrency=5 "),
                 std::string::npos);
  BOOST_CHECK_NE(r.out.find("; tasks that run at once per parent session"),
                 std::string::npos);
}

BOOST_AUTO_TEST_CASE(play_without_a_file_prints_its_usage) {
  auto help = run_cli("help play");
  BOOST_CHECK_EQUAL(help.exit_code, 0);
  for (auto part : {"usage: stagehand [OPTION ...] play FILE|-", "start_session",
                    "wait_idle_timeout", "stop_result", "exit code"})
    BOOST_CHECK_MESSAGE(help.out.find(part) != std::string::npos,
                        "help play lacks " << part);
  auto bare = run_cli("play");
  BOOST_CHECK_EQUAL(bare.exit_code, 2);
  BOOST_CHECK_EQUAL(bare.err, help.out);
  auto other = run_cli("help dance");
  BOOST_CHECK_EQUAL(other.exit_code, 2);
  BOOST_CHECK_NE(other.err.find("no command 'dance'"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(config_prints_the_effective_configuration) {
  for (auto command : {"config", "--dump-config help"}) {
    auto r = run_cli(std::string{"--stagehand.codeunit-threads=9 "} + command);
    BOOST_CHECK_EQUAL(r.exit_code, 0);
    BOOST_CHECK_MESSAGE(r.out.find("\ncodeunit-threads=9 ") != std::string::npos,
                        r.out);
    BOOST_CHECK_NE(r.out.find("\npage-background-task-default-timeout=2min "),
                   std::string::npos);
    BOOST_CHECK_NE(r.out.find("\nlog-level=\"off\" "), std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(configuration_errors_reach_the_user_in_words) {
  auto r = run_cli("--stagehand.child-session-max-concurrency=3 demo");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_NE(r.err.find("stagehand: --stagehand.child-session-max-"
                            "concurrency=3: unknown key"),
                 std::string::npos);
  BOOST_CHECK_NE(r.err.find("did you mean "
                            "stagehand.child-sessions-max-concurrency?"),
                 std::string::npos);
  auto file = "/tmp/stagehand-cli-test-" + std::to_string(::getpid()) + ".ini";
  std::ofstream{file} << "[stagehand]\ndata-dir=./x\n";
  auto ini = run_cli("--config-file=" + file + " demo");
  std::remove(file.c_str());
  BOOST_CHECK_EQUAL(ini.exit_code, 2);
  BOOST_CHECK_NE(ini.err.find(file + ":2: stagehand.data-dir=./x: expected a "
                                     "string in double quotes"),
                 std::string::npos);
  for (auto& err : {r.err, ini.err})
    BOOST_CHECK_MESSAGE(err.find("_error(") == std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(bad_options_are_refused) {
  auto r = run_cli("--stagehand.child-sessions-max-concurrency=0 demo");
  BOOST_CHECK_EQUAL(r.exit_code, 2);
  BOOST_CHECK_NE(r.err.find("child-sessions-max-concurrency"),
                 std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
