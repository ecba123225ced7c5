// Tests runtime/background_job.hpp and the background session API of
// runtime/runtime.hpp end to end, on the real scheduler, real worker threads
// and real company files: a stop while the codeunit sleeps or runs a query
// rolls its transaction back, every dialog follows the no-UI rules, chains
// of sessions are bounded, and each session leaves its event rows.
// Synchronisation is by latches the codeunits open, never by sleeping.
#include <boost/test/unit_test.hpp>

#include <future>
#include <mutex>
#include <vector>

#include "runtime/errc.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

namespace {

/// Test codeunits.
enum : codeunit_id {
  /// Inserts PBTData 1, signals `reached`, then sleeps an hour.
  insert_then_sleep = 61001,
  /// Inserts PBTData 1, signals `reached`, then runs a query that counts to
  /// a billion.
  insert_then_query = 61002,
  /// Calls the dialog named by parameter `Dialog`, then returns.
  dialog = 61003,
  /// Starts itself again until refused; the innermost stores the refusal.
  recurse = 61004,
};

/// A `start_session` request from outside any session.
start_session request(codeunit_id codeunit, dictionary params = {},
                      std::string company = "CRONUS") {
  start_session req;
  req.codeunit = codeunit;
  req.company = std::move(company);
  req.parameters = std::move(params);
  return req;
}

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
      ctx.db().query("INSERT INTO PBTData (Id) VALUES (1)");
      reached.set_value();
      ctx.sleep(std::chrono::hours(1));
    });
    units.add(insert_then_query, "InsertThenQuery", [this](codeunit_context& ctx) {
      ctx.db().query("INSERT INTO PBTData (Id) VALUES (1)");
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

} // namespace

BOOST_FIXTURE_TEST_SUITE(runtime_background_job, session_fixture)

BOOST_AUTO_TEST_CASE(a_stop_while_sleeping_rolls_back_at_once) {
  auto id = rt->start_session(request(insert_then_sleep));
  BOOST_REQUIRE(id);
  require_ready(reached.get_future(), "the session reaching its sleep");
  BOOST_CHECK(rt->is_session_active(*id));
  auto stopped = rt->stop_session(*id, "Stopped by the administrator.");
  BOOST_REQUIRE(stopped);
  BOOST_CHECK(*stopped);
  auto outcome = outcome_of(*id);
  BOOST_CHECK(outcome.what == outcome_kind::stopped);
  BOOST_CHECK_EQUAL(outcome.comment, "Stopped by the administrator.");
  BOOST_CHECK(!rt->is_session_active(*id));
  // The worker records the Stop after its rollback; the pool drains here.
  start_runtime();
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM PBTData"), 0);
  auto events = events_of(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[0].what == event_kind::start);
  BOOST_CHECK(events[1].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[1].comment, "Stopped by the administrator.");
}

BOOST_AUTO_TEST_CASE(a_stop_while_in_a_query_interrupts_it_and_rolls_back) {
  auto id = rt->start_session(request(insert_then_query));
  BOOST_REQUIRE(id);
  require_ready(reached.get_future(), "the session reaching its query");
  auto stopped = rt->stop_session(*id, "Query took too long.");
  BOOST_REQUIRE(stopped);
  BOOST_CHECK(*stopped);
  BOOST_CHECK(outcome_of(*id).what == outcome_kind::stopped);
  // Shutting down waits for the worker: it only returns once SQLite has
  // interrupted the billion-row count, long before it could finish.
  auto begun = std::chrono::steady_clock::now();
  start_runtime();
  BOOST_CHECK(std::chrono::steady_clock::now() - begun < std::chrono::seconds(30));
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM PBTData"), 0);
  auto events = events_of(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[1].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[1].comment, "Query took too long.");
}

BOOST_AUTO_TEST_CASE(block_all_customers_commits_as_the_caller) {
  {
    auto db = rt->open_admin_connection("CRONUS");
    BOOST_REQUIRE(db);
    (*db)->query("INSERT INTO Customer (\"No.\", Name) VALUES ('10000', "
                 "'Adatum'), ('20000', 'Trey'), ('30000', 'School')");
  }
  auto user = rt->open_session(client_type::web_client, "CRONUS", "BOB");
  BOOST_REQUIRE(user);
  auto id = rt->start_session(*user, request(samples::block_all_customers_codeunit));
  BOOST_REQUIRE(id);
  auto outcome = outcome_of(*id);
  BOOST_REQUIRE(outcome.what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(outcome.results.at("Blocked"), "3");
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM Customer WHERE Blocked = 1"), 3);
  auto events = events_of(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK_EQUAL(events[1].user_id, "BOB");
  std::lock_guard<std::mutex> guard{mtx};
  auto said = std::find_if(notices.begin(), notices.end(), [&](auto& n) {
    return n.what == session_notice::kind::message && n.session == *id;
  });
  BOOST_REQUIRE(said != notices.end());
  BOOST_CHECK_EQUAL(said->text, "3 customers blocked.");
}

BOOST_AUTO_TEST_CASE(dialogs_follow_the_no_ui_rules) {
  auto message = run_dialog("message");
  BOOST_CHECK(message.what == outcome_kind::completed);
  auto dialog_open = run_dialog("dialog_open");
  BOOST_CHECK(dialog_open.what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(dialog_open.results.at("reached_end"), "1");
  auto confirm = run_dialog("confirm");
  BOOST_CHECK(confirm.what == outcome_kind::failed);
  BOOST_CHECK_EQUAL(confirm.error.text,
                    "Stagehand attempted to issue a client callback to show a "
                    "confirmation dialog box.");
  auto error = run_dialog("error");
  BOOST_CHECK(error.what == outcome_kind::failed);
  BOOST_CHECK_EQUAL(error.comment, "Stopped by Error.");
  for (auto which : {"str_menu", "run_page"}) {
    auto callback = run_dialog(which);
    BOOST_CHECK(callback.what == outcome_kind::failed);
    BOOST_CHECK_EQUAL(callback.error.text, "Callback functions are not allowed.");
  }
  std::lock_guard<std::mutex> guard{mtx};
  auto messages = std::count_if(notices.begin(), notices.end(), [](auto& n) {
    return n.what == session_notice::kind::message;
  });
  // Only Message is logged; Dialog.Open is neither shown nor logged.
  BOOST_CHECK_EQUAL(messages, 1);
}

BOOST_AUTO_TEST_CASE(an_error_that_ends_a_session_is_its_close_comment) {
  auto id = rt->start_session(request(dialog, {{"Dialog", "error"}}));
  BOOST_REQUIRE(id);
  outcome_of(*id);
  auto events = events_of(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[1].what == event_kind::close);
  BOOST_CHECK_EQUAL(events[1].comment, "Stopped by Error.");
}

BOOST_AUTO_TEST_CASE(sessions_starting_sessions_stop_at_depth_fourteen) {
  auto first = rt->start_session(request(recurse));
  BOOST_REQUIRE(first);
  auto text = get_within(refusal.get_future(), "the refusal at depth 14");
  // Ids are consecutive here: the chain is the only thing starting sessions.
  BOOST_CHECK_EQUAL(text, "Excessive recursive session creation detected, "
                          "original session ID: "
                            + std::to_string(*first) + ", current session ID: "
                            + std::to_string(*first + 13) + ".");
}

BOOST_AUTO_TEST_CASE(a_session_cannot_stop_itself) {
  std::promise<std::string> answer;
  rt->codeunits().add(61005, "StopSelf", [&](codeunit_context& ctx) {
    auto stopped = ctx.stop_session(ctx.session());
    answer.set_value(stopped ? "stopped" : describe(stopped.error()));
  });
  auto id = rt->start_session(request(61005));
  BOOST_REQUIRE(id);
  BOOST_CHECK_EQUAL(get_within(answer.get_future(), "StopSelf's answer"),
                    "Session " + std::to_string(*id) + " cannot stop itself.");
  BOOST_CHECK(outcome_of(*id).what == outcome_kind::completed);
}

BOOST_AUTO_TEST_CASE(every_kind_of_session_is_in_the_active_session_list) {
  auto user = rt->open_session(client_type::web_client, "CRONUS", "CAROL");
  BOOST_REQUIRE(user);
  auto service = rt->open_session(client_type::web_service, "CRONUS", "SVC");
  BOOST_REQUIRE(service);
  auto id = rt->start_session(request(insert_then_sleep));
  BOOST_REQUIRE(id);
  require_ready(reached.get_future(), "the session reaching its sleep");
  std::map<std::string, active_session> by_type;
  for (auto& row : rt->active_sessions())
    by_type[to_string(row.client)] = row;
  BOOST_CHECK_EQUAL(by_type.at("Web Client").user_id, "CAROL");
  BOOST_CHECK_EQUAL(by_type.at("Web Service").user_id, "SVC");
  BOOST_CHECK_EQUAL(by_type.at("Background").id, *id);
  BOOST_CHECK_EQUAL(by_type.at("Background").database_name, "CRONUS");
  BOOST_CHECK_EQUAL(by_type.at("Background").unique_id.size(), 36u);
  rt->stop_session(*id);
  rt->close_session(*user);
  rt->close_session(*service);
  auto left = rt->active_sessions();
  BOOST_CHECK(std::none_of(left.begin(), left.end(), [&](auto& row) {
    return row.id == user->id || row.id == *id;
  }));
  auto logons = events_of(user->id);
  BOOST_REQUIRE_EQUAL(logons.size(), 2u);
  BOOST_CHECK(logons[0].what == event_kind::logon);
  BOOST_CHECK(logons[1].what == event_kind::logoff);
  BOOST_CHECK(logons[0].client == client_type::web_client);
  BOOST_CHECK_EQUAL(logons[0].unique_id, logons[1].unique_id);
}

BOOST_AUTO_TEST_CASE(a_child_session_is_listed_while_it_runs) {
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<std::vector<active_session>> seen;
  rt->codeunits().add(61006, "ListWhileRunning", [&](codeunit_context&) {
    seen.set_value(rt->active_sessions());
    released.wait_for(wait_limit);
  });
  auto user = rt->open_session(client_type::web_client, "CRONUS", "DAN");
  BOOST_REQUIRE(user);
  auto page = rt->open_page(*user, "CUSTOMER 10000");
  BOOST_REQUIRE(rt->enqueue_background_task(page, {61006, {}, caf::none, error_level::error, ""}));
  auto rows = get_within(seen.get_future(), "the child listing sessions");
  release.set_value();
  auto child = std::find_if(rows.begin(), rows.end(), [](auto& row) {
    return row.client == client_type::child_session;
  });
  BOOST_REQUIRE(child != rows.end());
  BOOST_CHECK_EQUAL(to_string(child->client), "Child Session");
  BOOST_CHECK_EQUAL(child->user_id, "DAN");
  BOOST_CHECK(rt->wait_idle(std::chrono::seconds(30)));
}

BOOST_AUTO_TEST_CASE(old_events_are_purged_in_batches_and_comments_truncated) {
  auto db = rt->open_admin_connection("CRONUS");
  BOOST_REQUIRE(db);
  auto now = std::chrono::system_clock::now();
  for (int i = 0; i < 7; ++i)
    session_event_log::record(**db, {100, event_kind::close,
                                     now - std::chrono::hours(24 * 91), client_type::background,
                                     "OLD", "", ""});
  session_event_log::record(**db, {101, event_kind::stop, now,
                                   client_type::background, "NEW",
                                   std::string(200, 'x'), ""});
  // Three rows per transaction: the purge must loop to get all seven.
  auto deleted = session_event_log::purge(
    **db, now - std::chrono::hours(24 * 90), 3);
  BOOST_CHECK_EQUAL(deleted, 7u);
  auto left = session_event_log::read(**db);
  BOOST_REQUIRE_EQUAL(left.size(), 1u);
  BOOST_CHECK_EQUAL(left[0].session, 101u);
  BOOST_CHECK_EQUAL(left[0].comment, std::string(132, 'x'));
  auto again = rt->purge_session_events("CRONUS");
  BOOST_REQUIRE(again);
  BOOST_CHECK_EQUAL(*again, 0u);
}

BOOST_AUTO_TEST_CASE(a_background_session_may_not_use_an_unknown_company) {
  auto id = rt->start_session(request(samples::block_all_customers_codeunit, {}, "NOPE"));
  BOOST_REQUIRE(id);
  auto outcome = outcome_of(*id);
  BOOST_CHECK(outcome.what == outcome_kind::failed);
  BOOST_CHECK(outcome.error.text.find("Company 'NOPE' does not exist")
              != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
