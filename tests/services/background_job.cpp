// Tests services/background_job.hpp and the background session API of
// runtime/runtime.hpp end to end, on the real scheduler, real worker threads
// and real company files: what a session may do and what it leaves. Every
// dialog follows the no-UI rules, chains of sessions are bounded, sessions
// are listed while they run, run as their caller in its company, and leave
// their event rows. Stops, waits and shutdown are in
// background_job_stopping.cpp.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <caf/scoped_actor.hpp>

#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "tests/support/background_job_fixture.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/error_text.hpp"

using namespace stagehand;
using namespace stagehand::test;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

BOOST_FIXTURE_TEST_SUITE(services_background_job, session_fixture)

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

BOOST_AUTO_TEST_CASE(the_caller_decides_the_user_and_an_unknown_caller_is_refused) {
  auto carol = rt->open_session(client_type::web_client, "CRONUS", "CAROL");
  BOOST_REQUIRE(carol);
  // Through the runtime actor, as a service on another node would ask: the
  // message names the session, and the runtime takes the user from it.
  auto req = request(samples::block_all_customers_codeunit);
  req.caller = carol->id;
  caf::scoped_actor self{rt->system()};
  caf::expected<session_id> id{caf::error{}};
  self->request(rt->actor(), wait_limit, req)
    .receive([&](session_id x) { id = x; },
             [&](caf::error& err) { id = std::move(err); });
  BOOST_REQUIRE_MESSAGE(id, why(id));
  BOOST_CHECK(outcome_of(*id).what == outcome_kind::completed);
  auto events = rt->session_events("CRONUS", *id);
  BOOST_REQUIRE(events);
  BOOST_REQUIRE(!events->empty());
  for (auto& ev : *events)
    BOOST_CHECK_EQUAL(ev.user_id, "CAROL");
  req.caller = 999'999;
  auto refused = rt->start_session(req);
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::unknown_session));
}

BOOST_AUTO_TEST_SUITE_END()
