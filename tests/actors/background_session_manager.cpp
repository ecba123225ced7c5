// Tests actors/background_session_manager.hpp on CAF's deterministic
// scheduler: the server-wide limits, outcomes and the Session Event rows they
// leave in the company, timeouts as delayed messages, recursion depth,
// outcome subscriptions, the active session list, and the periodic purge.
// Stopping and shutdown are in background_session_manager_stopping.cpp.
#include <boost/test/unit_test.hpp>

#include "tests/support/background_session_manager_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

BOOST_FIXTURE_TEST_SUITE(actors_background_session_manager, manager_fixture)

BOOST_AUTO_TEST_CASE(ten_run_hundred_queue_and_the_111th_is_refused) {
  for (int i = 1; i <= 110; ++i)
    if (auto id = start(echo_codeunit); !id)
      BOOST_FAIL("start " << i << ": " << describe(id.error()));
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{10}, std::uint64_t{100}));
  BOOST_CHECK_EQUAL(exec->pending(), 10u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().active_background_sessions, 10u);
  BOOST_CHECK_EQUAL(svc->stats->snapshot().queued_background_sessions, 100u);
  auto refused = start(echo_codeunit);
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::session_queue_full));
  BOOST_CHECK_EQUAL(describe(refused.error()),
                    "The background session queue is full (100 sessions are "
                    "waiting).");
  // The 11th starts as soon as one of the first ten ends.
  exec->run_next();
  sched.run();
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{10}, std::uint64_t{99}));
}

BOOST_AUTO_TEST_CASE(zero_means_no_limit) {
  svc_data->sessions.max_concurrent = 0;
  svc_data->sessions.max_queued = 0;
  for (int i = 0; i < 150; ++i)
    BOOST_REQUIRE(start(echo_codeunit));
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{150}, std::uint64_t{0}));
}

BOOST_AUTO_TEST_CASE(a_queue_limit_of_zero_queues_without_limit) {
  svc_data->sessions.max_concurrent = 2;
  svc_data->sessions.max_queued = 0;
  for (int i = 1; i <= 150; ++i)
    if (auto id = start(echo_codeunit); !id)
      BOOST_FAIL("start " << i << ": " << describe(id.error()));
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{2}, std::uint64_t{148}));
  BOOST_CHECK_EQUAL(exec->pending(), 2u);
}

BOOST_AUTO_TEST_CASE(completed_sessions_commit_and_record_start_and_close) {
  auto id = start(insert_codeunit, {{"Id", "7"}});
  BOOST_REQUIRE(id);
  subscribe(*id);
  BOOST_CHECK(is_session_active_now(*id));
  run_codeunits();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(outcome->results.at("Id"), "7");
  BOOST_CHECK_EQUAL(pbt_rows(), 1);
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[0].what == event_kind::start);
  BOOST_CHECK(events[1].what == event_kind::close);
  BOOST_CHECK_EQUAL(events[1].comment, "");
  BOOST_CHECK_EQUAL(events[1].user_id, "ALICE");
  BOOST_CHECK(events[1].client == client_type::background);
  BOOST_CHECK_EQUAL(events[0].unique_id, events[1].unique_id);
  BOOST_CHECK(!is_session_active_now(*id));
}

BOOST_AUTO_TEST_CASE(a_failed_session_rolls_back_and_stores_its_error) {
  svc_data->codeunits->add(60002, "InsertThenFail", [](codeunit_context& ctx) {
    ctx.db().query("INSERT INTO PBTData (Id) VALUES ('R1')");
    ctx.error("Customer 10000 is blocked.");
  });
  auto id = start(60002);
  BOOST_REQUIRE(id);
  subscribe(*id);
  run_codeunits();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::failed);
  BOOST_CHECK_EQUAL(outcome->error.text, "Customer 10000 is blocked.");
  BOOST_CHECK_EQUAL(outcome->error.call_stack,
                    "InsertThenFail(CodeUnit 60002).OnRun");
  BOOST_CHECK_EQUAL(pbt_rows(), 0);
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK(events[1].what == event_kind::close);
  BOOST_CHECK_EQUAL(events[1].comment, "Customer 10000 is blocked.");
}

BOOST_AUTO_TEST_CASE(the_timeout_stops_a_session_and_its_stop_is_recorded) {
  auto id = start(insert_codeunit, {{"Id", "1"}}, std::chrono::seconds(30));
  BOOST_REQUIRE(id);
  subscribe(*id);
  auto outcome = outcome_at(std::chrono::seconds(30));
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::timed_out);
  BOOST_CHECK_EQUAL(outcome->comment, "The session timed out after 30000 ms.");
  // The worker sees the cancelled token and never runs the codeunit.
  run_codeunits();
  BOOST_CHECK_EQUAL(pbt_rows(), 0);
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_CHECK(events[0].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[0].comment, "The session timed out after 30000 ms.");
  BOOST_CHECK(load_of(manager) == std::make_pair(std::uint64_t{0}, std::uint64_t{0}));
}

BOOST_AUTO_TEST_CASE(the_default_timeout_is_eight_hours) {
  auto id = start(echo_codeunit);
  BOOST_REQUIRE(id);
  subscribe(*id);
  auto outcome = outcome_at(std::chrono::hours(8));
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::timed_out);
}

BOOST_AUTO_TEST_CASE(recursion_deeper_than_fourteen_is_refused_with_its_text) {
  session_id client = 77;
  auto first = start(echo_codeunit, {}, {}, client);
  BOOST_REQUIRE(first);
  auto current = *first;
  for (int depth = 2; depth <= 14; ++depth) {
    auto next = start(echo_codeunit, {}, {}, current);
    if (!next)
      BOOST_FAIL("depth " << depth << ": " << describe(next.error()));
    current = *next;
  }
  auto refused = start(echo_codeunit, {}, {}, current);
  BOOST_REQUIRE(!refused);
  BOOST_CHECK(is(refused.error(), errc::session_recursion));
  BOOST_CHECK_EQUAL(describe(refused.error()),
                    "Excessive recursive session creation detected, original "
                    "session ID: 77, current session ID: "
                      + std::to_string(current) + ".");
}

BOOST_AUTO_TEST_CASE(late_subscribers_get_recent_outcomes_and_unknown_ids_fail) {
  auto id = start(failing_codeunit, {{"Message", "boom"}});
  BOOST_REQUIRE(id);
  run_codeunits();
  subscribe(*id);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::failed);
  BOOST_CHECK_EQUAL(outcome->comment, "boom");
  subscribe(999999);
  auto unknown = fetch<session_outcome>();
  BOOST_REQUIRE(!unknown);
  BOOST_CHECK(is(unknown.error(), errc::unknown_session));
}

BOOST_AUTO_TEST_CASE(unknown_codeunits_and_negative_timeouts_are_refused) {
  auto unknown = start(4711);
  BOOST_REQUIRE(!unknown);
  BOOST_CHECK_EQUAL(describe(unknown.error()), "Codeunit 4711 is not registered.");
  auto negative = start(echo_codeunit, {}, -std::chrono::seconds(1));
  BOOST_REQUIRE(!negative);
  BOOST_CHECK(is(negative.error(), errc::negative_timeout));
}

BOOST_AUTO_TEST_CASE(without_a_caller_a_session_runs_as_admin_on_cronus) {
  auto id = start(echo_codeunit, {}, {}, 0, "");
  BOOST_REQUIRE(id);
  auto listed = svc->registry->list();
  BOOST_REQUIRE_EQUAL(listed.size(), 1u);
  BOOST_CHECK_EQUAL(listed[0].user_id, "ADMIN");
  BOOST_CHECK_EQUAL(listed[0].database_name, "CRONUS");
  run_codeunits();
  auto events = rows(*id);
  BOOST_REQUIRE_EQUAL(events.size(), 2u);
  BOOST_CHECK_EQUAL(events[0].user_id, "ADMIN");
}

BOOST_AUTO_TEST_CASE(running_sessions_are_in_the_active_session_list) {
  auto id = start(echo_codeunit);
  BOOST_REQUIRE(id);
  auto listed = svc->registry->list();
  BOOST_REQUIRE_EQUAL(listed.size(), 1u);
  BOOST_CHECK_EQUAL(listed[0].id, *id);
  BOOST_CHECK(listed[0].client == client_type::background);
  BOOST_CHECK_EQUAL(to_string(listed[0].client), "Background");
  BOOST_CHECK_EQUAL(listed[0].user_id, "ALICE");
  BOOST_CHECK_EQUAL(listed[0].database_name, "CRONUS");
  BOOST_CHECK_EQUAL(listed[0].unique_id.size(), 36u);
  run_codeunits();
  BOOST_CHECK(svc->registry->list().empty());
}

BOOST_AUTO_TEST_CASE(the_hourly_purge_keeps_ninety_days_of_events) {
  old_event(1, std::chrono::hours(24 * 91));
  old_event(2, std::chrono::hours(24 * 89));
  // Nothing happens until the purge interval has passed.
  advance_time(std::chrono::hours(1) - std::chrono::milliseconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(exec->run_all(), 0u);
  BOOST_CHECK_EQUAL(rows(1).size(), 1u);
  advance_time(std::chrono::milliseconds(1));
  sched.run();
  BOOST_CHECK_EQUAL(exec->run_all(), 1u);
  BOOST_CHECK_EQUAL(rows(1).size(), 0u);
  BOOST_CHECK_EQUAL(rows(2).size(), 1u);
  // And again an hour later.
  old_event(3, std::chrono::hours(24 * 90) + std::chrono::minutes(1));
  advance_time(std::chrono::hours(1));
  sched.run();
  BOOST_CHECK_EQUAL(exec->run_all(), 1u);
  BOOST_CHECK_EQUAL(rows(3).size(), 0u);
  BOOST_CHECK_EQUAL(rows(2).size(), 1u);
}

BOOST_AUTO_TEST_SUITE_END()
