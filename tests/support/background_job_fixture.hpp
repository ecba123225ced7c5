#pragma once

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

/// Test codeunits of the background job tests.
enum job_codeunit : codeunit_id {
  /// Inserts PBTData R1, signals `reached`, then sleeps an hour.
  insert_then_sleep = 61001,
  /// Inserts PBTData R1, signals `reached`, then runs a query that counts to
  /// a billion.
  insert_then_query = 61002,
  /// Calls the dialog named by parameter `Dialog`, then returns.
  dialog = 61003,
  /// Starts itself again until refused; the innermost stores the refusal.
  recurse = 61004,
};

/// A `start_session` request from outside any session.
inline start_session request(codeunit_id codeunit, dictionary params = {},
                             std::string company = "CRONUS") {
  start_session req;
  req.codeunit = codeunit;
  req.company = std::move(company);
  req.parameters = std::move(params);
  return req;
}

/// A real runtime, scheduler and worker threads included, on a company file
/// of the test's own, with codeunits that signal where they are; the
/// background job tests, split over several files, all start from it.
struct session_fixture {
  test::temp_data_dir data;
  /// One per runtime, since a runtime keeps its configuration; before `rt`,
  /// so that they outlive it.
  std::vector<std::unique_ptr<config>> configs;
  std::mutex mtx;
  std::vector<session_notice> notices;
  std::promise<void> reached;
  std::promise<std::string> refusal;
  std::unique_ptr<runtime> rt;

  session_fixture() {
    start_runtime();
    BOOST_REQUIRE(!samples::register_sample_codeunits(rt->codeunits()));
    auto& units = rt->codeunits();
    units.add(insert_then_sleep, "InsertThenSleep", [this](codeunit_context& ctx) {
      ctx.db().query("INSERT INTO PBTData (Id) VALUES ('R1')");
      reached.set_value();
      ctx.sleep(std::chrono::hours(1));
    });
    units.add(insert_then_query, "InsertThenQuery", [this](codeunit_context& ctx) {
      ctx.db().query("INSERT INTO PBTData (Id) VALUES ('R1')");
      reached.set_value();
      ctx.db().query("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
                     "FROM n WHERE i < 1000000000) SELECT count(*) FROM n");
    });
    units.add(dialog, "DialogCodeunit", [](codeunit_context& ctx) {
      auto& which = ctx.parameters().at("Dialog");
      if (which == "message")
        ctx.message("Hello from the background.");
      else if (which == "confirm")
        ctx.confirm("Continue?");
      else if (which == "error")
        ctx.error("Stopped by Error.");
      else if (which == "dialog_open")
        ctx.dialog_open("Processing #1");
      else if (which == "str_menu")
        ctx.str_menu("Ship,Invoice");
      else if (which == "run_page")
        ctx.run_page(21);
      ctx.set_result({{"reached_end", "1"}});
    });
    units.add(recurse, "RecurseCodeunit", [this](codeunit_context& ctx) {
      auto next = ctx.start_session(request(recurse));
      if (!next)
        refusal.set_value(describe(next.error()));
    });
    auto admin = rt->open_admin_connection("CRONUS");
    BOOST_REQUIRE(admin);
  }

  /// Stops the running runtime, if any, letting its workers finish, and
  /// starts a new one on the same data directory.
  void start_runtime() {
    rt.reset();
    auto& cfg = *configs.emplace_back(std::make_unique<config>());
    cfg.log_level = "off";
    cfg.data_dir = data.path.string();
    rt = std::make_unique<runtime>(cfg, page_observer{},
                                   [this](const session_notice& n) {
                                     std::lock_guard<std::mutex> guard{mtx};
                                     notices.push_back(n);
                                   });
  }

  std::int64_t count(const std::string& sql) {
    auto db = rt->open_admin_connection("CRONUS");
    BOOST_REQUIRE(db);
    return std::get<std::int64_t>((*db)->query(sql)[0][0]);
  }

  session_outcome outcome_of(session_id id) {
    auto outcome = rt->wait_session(id);
    if (!outcome)
      BOOST_FAIL(describe(outcome.error()));
    return *outcome;
  }

  std::vector<session_event> events_of(session_id id) {
    auto events = rt->session_events("CRONUS", id);
    BOOST_REQUIRE(events);
    return *events;
  }

  session_outcome run_dialog(const std::string& which) {
    auto id = rt->start_session(request(dialog, {{"Dialog", which}}));
    BOOST_REQUIRE(id);
    return outcome_of(*id);
  }
};

} // namespace stagehand::test
