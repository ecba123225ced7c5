// Tests actors/parent_session.hpp: closing a session closes its pages first,
// answers only then, and refuses pages that arrive afterwards.
#include <boost/test/unit_test.hpp>

#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

BOOST_FIXTURE_TEST_SUITE(actors_parent_session, actor_fixture)

const std::string receiver_gone
  = "refused: The receiver is gone (its page or session has closed).";

BOOST_AUTO_TEST_CASE(close_answers_after_every_page_has_closed) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_CHECK_EQUAL(ask_done(session.actor, close_session{}), "done");
  BOOST_CHECK_EQUAL(count(kind::cancelled), 1u);
  // A second close finds the session gone.
  BOOST_CHECK_EQUAL(ask_done(session.actor, close_session{}), receiver_gone);
}

BOOST_AUTO_TEST_CASE(closing_a_session_without_pages_stops_the_supervisor) {
  auto session = open_session();
  self->send(session.actor, close_session{});
  sched.run();
  // Untyped, so that a request that expects "done" compiles; a live
  // supervisor's answer would not match it and fail the check.
  auto supervisor = caf::actor_cast<caf::actor>(supervisors.at(session.id));
  BOOST_CHECK_EQUAL(ask_done(supervisor, load_atom::value), receiver_gone);
}

BOOST_AUTO_TEST_SUITE_END()
