// Tests actors/parent_session.hpp: closing a session closes its pages first,
// answers only then, and refuses pages that arrive afterwards.
#include <boost/test/unit_test.hpp>

#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

BOOST_FIXTURE_TEST_SUITE(actors_parent_session, actor_fixture)

BOOST_AUTO_TEST_CASE(close_answers_after_every_page_has_closed) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  auto id = self->request(session.actor, caf::infinite, close_session{});
  sched.run();
  bool closed = false;
  id.receive(
    [&] {
      closed = true;
    },
    [](caf::error&) {});
  BOOST_CHECK(closed);
  BOOST_CHECK_EQUAL(count(kind::cancelled), 1u);
  // A second close finds the session gone.
  bool second_failed = false;
  self->request(session.actor, caf::infinite, close_session{})
    .receive([] {},
             [&](caf::error&) {
               second_failed = true;
             });
  BOOST_CHECK(second_failed);
}

BOOST_AUTO_TEST_CASE(closing_a_session_without_pages_stops_the_supervisor) {
  auto session = open_session();
  self->send(session.actor, close_session{});
  sched.run();
  bool gone = false;
  self->request(session.supervisor, caf::infinite, load_atom::value)
    .receive([](std::uint64_t, std::uint64_t) {},
             [&](caf::error&) {
               gone = true;
             });
  BOOST_CHECK(gone);
}

BOOST_AUTO_TEST_SUITE_END()
