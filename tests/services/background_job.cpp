// Tests services/background_job.hpp and the background session API of
// runtime/runtime.hpp end to end, on the real scheduler, real worker threads
// and real company files: a stop while the codeunit sleeps or runs a query
// rolls its transaction back, every dialog follows the no-UI rules, chains
// of sessions are bounded, and each session leaves its event rows.
// Synchronisation is by latches the codeunits open, never by sleeping.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "core/errc.hpp"
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

/// Waits for `f` at most `limit`, failing the test with `what` past it.
template <class T>
T get_within(std::future<T>& f, const char* what,
             std::chrono::seconds limit = std::chrono::seconds(60)) {
  if (f.wait_for(limit) != std::future_status::ready)
    BOOST_FAIL(what << ": nothing after " << limit.count() << " s");
  return f.get();
}

/// The error of `x` for a failure message; Boost builds the message even
/// when the check passes.
template <class T>
std::string why(const caf::expected<T>& x) {
  return x ? std::string{} : describe(x.error());
}

/// Codeunits block on it until the test opens it up to their number.
class gate {
public:
  void open(int n) {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      opened_ = n;
    }
    cv_.notify_all();
  }

  void pass(int n) {
    std::unique_lock<std::mutex> guard{mtx_};
    cv_.wait(guard, [&] {
      return opened_ >= n;
    });
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  int opened_ = 0;
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

} // namespace

BOOST_FIXTURE_TEST_SUITE(services_background_job, session_fixture)

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

BOOST_AUTO_TEST_CASE(a_nested_session_runs_as_its_caller_in_its_company) {
  BOOST_REQUIRE(rt->open_admin_connection("FABRIKAM"));
  std::promise<caf::expected<session_id>> nested;
  std::promise<active_session> listed;
  rt->codeunits().add(61007, "StartNested", [&](codeunit_context& ctx) {
    start_session req;
    req.codeunit = 61008;
    nested.set_value(ctx.start_session(req));
  });
  rt->codeunits().add(61008, "NestedWrites", [&](codeunit_context& ctx) {
    ctx.db().query("INSERT INTO PBTData (Id) VALUES ('R42')");
    active_session mine;
    for (auto& row : rt->active_sessions())
      if (row.id == ctx.session())
        mine = row;
    listed.set_value(mine);
  });
  auto alice = rt->open_session(client_type::web_client, "FABRIKAM", "ALICE");
  BOOST_REQUIRE(alice);
  start_session outer;
  outer.codeunit = 61007;
  auto outer_id = rt->start_session(*alice, outer);
  BOOST_REQUIRE(outer_id);
  BOOST_CHECK(outcome_of(*outer_id).what == outcome_kind::completed);
  auto nested_future = nested.get_future();
  auto inner = get_within(nested_future, "the nested start");
  BOOST_REQUIRE_MESSAGE(inner, why(inner));
  auto done = outcome_of(*inner);
  BOOST_REQUIRE_MESSAGE(done.what == outcome_kind::completed, done.comment);
  auto listed_future = listed.get_future();
  auto row = get_within(listed_future, "the nested session's row");
  BOOST_CHECK_EQUAL(row.id, *inner);
  BOOST_CHECK_EQUAL(row.user_id, "ALICE");
  BOOST_CHECK_EQUAL(row.database_name, "FABRIKAM");
  auto events = rt->session_events("FABRIKAM", *inner);
  BOOST_REQUIRE(events);
  BOOST_REQUIRE_EQUAL(events->size(), 2u);
  for (auto& ev : *events)
    BOOST_CHECK_EQUAL(ev.user_id, "ALICE");
  auto fabrikam = rt->open_admin_connection("FABRIKAM");
  BOOST_REQUIRE(fabrikam);
  BOOST_CHECK_EQUAL(std::get<std::int64_t>((*fabrikam)->query(
                      "SELECT count(*) FROM PBTData WHERE Id = 'R42'")[0][0]),
                    1);
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM PBTData"), 0);
}

BOOST_AUTO_TEST_CASE(wait_idle_never_sees_a_session_move_from_queue_to_slot) {
  config cfg;
  cfg.log_level = "off";
  cfg.data_dir = data.path.string();
  cfg.sessions.max_concurrent = 1;
  runtime one_slot{cfg};
  gate first;
  gate second;
  std::atomic<int> second_running{0};
  one_slot.codeunits().add(61009, "First", [&](codeunit_context& ctx) {
    first.pass(std::stoi(ctx.parameters().at("Round")));
  });
  one_slot.codeunits().add(61010, "Second", [&](codeunit_context& ctx) {
    auto round = std::stoi(ctx.parameters().at("Round"));
    second_running = round;
    second.pass(round);
  });
  // While `watching`, the second session of the round has not ended, so the
  // runtime is busy; `watching` is read again after an idle answer, so an
  // answer that came after the round ended does not count.
  std::atomic<bool> watching{false};
  std::atomic<bool> done{false};
  std::atomic<int> idle_seen{0};
  std::thread watcher{[&] {
    while (!done)
      if (watching && one_slot.wait_idle(caf::timespan{0}) && watching)
        ++idle_seen;
  }};
  // Joins the watcher however the test ends, failed checks included.
  std::shared_ptr<void> join_watcher{nullptr, [&](void*) {
    done = true;
    watcher.join();
  }};
  for (int round = 1; round <= 60; ++round) {
    dictionary params{{"Round", std::to_string(round)}};
    BOOST_REQUIRE(one_slot.start_session(request(61009, params)));
    auto queued = one_slot.start_session(request(61010, params));
    BOOST_REQUIRE(queued);
    watching = true;
    first.open(round);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (second_running < round) {
      if (std::chrono::steady_clock::now() > deadline)
        BOOST_FAIL("round " << round << ": the queued session never started");
      std::this_thread::yield();
    }
    watching = false;
    second.open(round);
    auto ended = one_slot.wait_session(*queued);
    BOOST_REQUIRE_MESSAGE(ended, why(ended));
  }
  join_watcher.reset();
  BOOST_CHECK_EQUAL(idle_seen.load(), 0);
}

BOOST_AUTO_TEST_CASE(waits_for_an_outcome_end_at_the_runtime_wait_timeout) {
  config cfg;
  cfg.log_level = "off";
  cfg.data_dir = data.path.string();
  cfg.runtime_wait_timeout = std::chrono::milliseconds(100);
  // Declared before the runtime, so that a wait that never ends is ended by
  // the runtime's shutdown before the future is destroyed.
  std::future<caf::expected<session_outcome>> waiting;
  runtime bounded{cfg};
  BOOST_REQUIRE(!samples::register_sample_codeunits(bounded.codeunits()));
  auto id = bounded.start_session(
    request(samples::wait_codeunit, {{"Wait", "3600000"}}));
  BOOST_REQUIRE(id);
  waiting = std::async(std::launch::async, [&] {
    return bounded.wait_session(*id);
  });
  auto waited = get_within(waiting, "wait_session");
  BOOST_REQUIRE(!waited);
  BOOST_CHECK(is(waited.error(), errc::no_answer));
  BOOST_CHECK_EQUAL(describe(waited.error()),
                    "No answer within 100 ms (stagehand.runtime-wait-timeout).");
  std::promise<caf::expected<session_outcome>> heard;
  bounded.on_session_outcome(*id, [&](caf::expected<session_outcome> outcome) {
    heard.set_value(std::move(outcome));
  });
  auto heard_future = heard.get_future();
  auto late = get_within(heard_future, "on_session_outcome");
  BOOST_REQUIRE(!late);
  BOOST_CHECK(is(late.error(), errc::no_answer));
  // The bound ends the wait, not the session.
  BOOST_CHECK(bounded.is_session_active(*id));
}

BOOST_AUTO_TEST_CASE(shutdown_answers_an_outcome_subscriber_once) {
  auto id = rt->start_session(request(insert_then_sleep));
  BOOST_REQUIRE(id);
  auto reached_future = reached.get_future();
  get_within(reached_future, "the session's insert");
  std::mutex answers_mtx;
  std::vector<caf::expected<session_outcome>> answers;
  rt->on_session_outcome(*id, [&](caf::expected<session_outcome> outcome) {
    std::lock_guard<std::mutex> guard{answers_mtx};
    answers.push_back(std::move(outcome));
  });
  rt.reset();
  std::lock_guard<std::mutex> guard{answers_mtx};
  BOOST_REQUIRE_EQUAL(answers.size(), 1u);
  // Subscribed before the shutdown: stopped; after it: shutting_down.
  if (answers[0]) {
    BOOST_CHECK(answers[0]->what == outcome_kind::stopped);
    BOOST_CHECK_EQUAL(answers[0]->comment, "server shutdown");
  } else {
    BOOST_CHECK(is(answers[0].error(), errc::shutting_down));
  }
  start_runtime();
  BOOST_CHECK_EQUAL(count("SELECT count(*) FROM PBTData"), 0);
}

BOOST_AUTO_TEST_SUITE_END()
