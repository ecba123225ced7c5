// Tests actors/background_session_manager.hpp on CAF's deterministic
// scheduler: stopping queued and running sessions, what a stop may not do,
// and shutdown, which stops every session and answers every subscriber.
#include <boost/test/unit_test.hpp>

#include "tests/support/background_session_manager_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using outcome_kind = session_outcome::kind;
using event_kind = session_event::kind;

BOOST_FIXTURE_TEST_SUITE(actors_background_session_manager, manager_fixture)

BOOST_AUTO_TEST_CASE(a_stopped_queued_session_never_runs) {
  std::vector<session_id> ids;
  for (int i = 1; i <= 11; ++i) {
    auto id = start(insert_codeunit, {{"Id", std::to_string(i)}});
    BOOST_REQUIRE(id);
    ids.push_back(*id);
  }
  auto queued = ids.back();
  subscribe(queued);
  auto stopped = ask<bool>(manager, stop_session{queued, "not needed", 0});
  BOOST_REQUIRE(stopped);
  BOOST_CHECK(*stopped);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::stopped);
  BOOST_CHECK_EQUAL(outcome->comment, "not needed");
  run_codeunits();
  BOOST_CHECK_EQUAL(pbt_rows(), 10);
  auto events = rows(queued);
  BOOST_REQUIRE_EQUAL(events.size(), 1u);
  BOOST_CHECK(events[0].what == event_kind::stop);
  BOOST_CHECK_EQUAL(events[0].comment, "not needed");
}

BOOST_AUTO_TEST_CASE(stop_answers_false_for_unknown_and_refuses_self) {
  auto unknown = ask<bool>(manager, stop_session{4242, "", 0});
  BOOST_REQUIRE(unknown);
  BOOST_CHECK(!*unknown);
  auto id = start(echo_codeunit);
  BOOST_REQUIRE(id);
  auto self_stop = ask<bool>(manager, stop_session{*id, "", *id});
  BOOST_REQUIRE(!self_stop);
  BOOST_CHECK(is(self_stop.error(), errc::cannot_stop_self));
  BOOST_CHECK_EQUAL(describe(self_stop.error()),
                    "Session " + std::to_string(*id) + " cannot stop itself.");
  BOOST_CHECK(is_session_active_now(*id));
}

BOOST_AUTO_TEST_CASE(a_stop_after_the_worker_claimed_its_commit_changes_nothing) {
  auto id = start(insert_codeunit, {{"Id", "3"}});
  BOOST_REQUIRE(id);
  subscribe(*id);
  // Run the codeunit, but hold back its report: the commit has happened.
  exec->run_next();
  auto late = ask<bool>(manager, stop_session{*id, "too late", 0});
  BOOST_REQUIRE(late);
  BOOST_CHECK(!*late);
  sched.run();
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(pbt_rows(), 1);
}

BOOST_AUTO_TEST_CASE(shutdown_stops_every_session_with_its_comment) {
  std::vector<session_id> ids;
  for (int i = 1; i <= 12; ++i) {
    auto id = start(insert_codeunit, {{"Id", std::to_string(i)}});
    BOOST_REQUIRE(id);
    ids.push_back(*id);
  }
  subscribe(ids.front());
  auto stopped = ask<std::uint64_t>(manager, shutdown_atom::value);
  BOOST_REQUIRE(stopped);
  BOOST_CHECK_EQUAL(*stopped, 12u);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE(outcome);
  BOOST_CHECK(outcome->what == outcome_kind::stopped);
  BOOST_CHECK_EQUAL(outcome->comment, "server shutdown");
  auto late = start(echo_codeunit);
  BOOST_CHECK(!late);
  run_codeunits();
  BOOST_CHECK_EQUAL(pbt_rows(), 0);
  for (auto id : ids) {
    auto events = rows(id);
    BOOST_REQUIRE_EQUAL(events.size(), 1u);
    BOOST_CHECK(events[0].what == event_kind::stop);
    BOOST_CHECK_EQUAL(events[0].comment, "server shutdown");
  }
}

BOOST_AUTO_TEST_CASE(shutdown_waits_for_a_committing_session_s_real_outcome) {
  auto id = start(insert_codeunit, {{"Id", "5"}});
  BOOST_REQUIRE(id);
  subscribe(*id);
  self->monitor(manager);
  // The worker has claimed and made its commit; its report is on the way
  // when shutdown overtakes it.
  exec->run_next();
  self->send<caf::message_priority::high>(manager, shutdown_atom::value);
  sched.run();
  auto stopped = fetch<std::uint64_t>();
  BOOST_REQUIRE(stopped);
  BOOST_CHECK_EQUAL(*stopped, 0u);
  auto outcome = fetch<session_outcome>();
  BOOST_REQUIRE_MESSAGE(outcome, "the subscriber got no answer");
  BOOST_CHECK(outcome->what == outcome_kind::completed);
  BOOST_CHECK_EQUAL(pbt_rows(), 1);
  BOOST_CHECK(manager_down());
}

BOOST_AUTO_TEST_CASE(shutdown_answers_queued_and_running_subscribers_then_quits) {
  std::vector<session_id> ids;
  for (int i = 1; i <= 11; ++i) {
    auto id = start(echo_codeunit);
    BOOST_REQUIRE(id);
    ids.push_back(*id);
  }
  self->monitor(manager);
  // One subscriber of a running session, one of the queued one.
  subscribe(ids.front());
  subscribe(ids.back());
  BOOST_CHECK(!manager_down());
  auto stopped = ask<std::uint64_t>(manager, shutdown_atom::value);
  BOOST_REQUIRE(stopped);
  BOOST_CHECK_EQUAL(*stopped, 11u);
  for (int i = 0; i < 2; ++i) {
    auto outcome = fetch<session_outcome>();
    BOOST_REQUIRE_MESSAGE(outcome, "subscriber " << i << " got no answer");
    BOOST_CHECK(outcome->what == outcome_kind::stopped);
    BOOST_CHECK_EQUAL(outcome->comment, "server shutdown");
  }
  BOOST_CHECK(manager_down());
}

BOOST_AUTO_TEST_SUITE_END()
