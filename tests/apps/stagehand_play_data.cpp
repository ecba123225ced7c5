// Tests apps/: runs the real `stagehand play` on scenarios that read and
// write company data and run background sessions, and checks the JSON Lines
// it prints and what the company files hold afterwards.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "tests/support/cli_run.hpp"
#include "tests/support/temp_data_dir.hpp"

using nlohmann::json;
using stagehand::test::of;
using stagehand::test::play_file;

BOOST_AUTO_TEST_SUITE(apps_stagehand)

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

BOOST_AUTO_TEST_CASE(play_prints_no_ending_for_a_session_that_queues) {
  stagehand::test::temp_data_dir dir;
  // One at a time: the later sessions queue behind the running one.
  auto r = play_file("background_sessions.jsonl",
                     "--stagehand.data-dir=" + dir.path.string()
                       + " --stagehand.background-sessions-max-concurrent=1");
  BOOST_REQUIRE_EQUAL(r.exit_code, 0);
  std::map<std::string, std::string> ended;
  for (auto& ev : of(r, "session_ended")) {
    auto label = ev.at("session").get<std::string>();
    BOOST_CHECK_MESSAGE(ended.count(label) == 0, label << " ended twice");
    ended[label] = ev.at("outcome").get<std::string>();
  }
  BOOST_CHECK_EQUAL(ended.size(), 4u);
  BOOST_CHECK_EQUAL(ended["held"], "stopped");
  BOOST_CHECK_EQUAL(ended["fails"], "failed");
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

BOOST_AUTO_TEST_SUITE_END()
