// Tests core/time_budget.hpp on the clock of CAF's test coordinator, which
// moves only when the test moves it.
#include <boost/test/unit_test.hpp>

#include <caf/detail/test_actor_clock.hpp>

#include "core/time_budget.hpp"

using namespace stagehand;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(core_time_budget)

BOOST_AUTO_TEST_CASE(
  what_is_left_shrinks_as_the_clock_moves_and_stops_at_zero) {
  caf::detail::test_actor_clock clock;
  auto budget = time_budget::starting_now(clock, 10s);
  BOOST_CHECK(budget);
  BOOST_CHECK(budget.remaining() == caf::timespan{10s});
  clock.current_time += 7s;
  BOOST_CHECK(budget.remaining() == caf::timespan{3s});
  clock.current_time += 3s;
  BOOST_CHECK(budget.remaining() == caf::timespan{0});
  clock.current_time += 1h;
  BOOST_CHECK(budget.remaining() == caf::timespan{0});
}

BOOST_AUTO_TEST_CASE(a_budget_passed_on_starts_again_on_the_receivers_clock) {
  // Two nodes whose clocks are a day apart: only the length crosses.
  caf::detail::test_actor_clock coordinator;
  caf::detail::test_actor_clock worker;
  worker.current_time += 24h;
  auto sent = time_budget::starting_now(coordinator, 10s);
  coordinator.current_time += 4s;
  auto received = time_budget::starting_now(worker, sent.remaining());
  BOOST_CHECK(received.remaining() == caf::timespan{6s});
  worker.current_time += 6s;
  BOOST_CHECK(received.remaining() == caf::timespan{0});
}

BOOST_AUTO_TEST_CASE(no_budget_has_no_limit) {
  time_budget none;
  BOOST_CHECK(!none);
  BOOST_CHECK(none.remaining() == caf::timespan::max());
}

BOOST_AUTO_TEST_SUITE_END()
