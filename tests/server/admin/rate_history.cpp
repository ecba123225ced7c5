// Tests server/admin/rate_history.hpp: per-second rates from samples of the
// operation totals.
#include <boost/test/unit_test.hpp>

#include "server/admin/rate_history.hpp"

using namespace stagehand;

BOOST_AUTO_TEST_SUITE(server_admin_rate_history)

BOOST_AUTO_TEST_CASE(rates_are_differences_over_the_time_between_samples) {
  rate_history history;
  history.record(1'000, {10, 4, 1, 0});
  history.record(2'000, {16, 6, 1, 0});
  // Two seconds late: the rate spreads over both.
  history.record(4'000, {20, 10, 3, 0});
  auto rates = history.rates();
  BOOST_REQUIRE_EQUAL(rates.size(), 2u);
  BOOST_CHECK_EQUAL(rates[0].time, 2'000);
  BOOST_CHECK_CLOSE(rates[0].submitted, 6.0, 1e-9);
  BOOST_CHECK_CLOSE(rates[0].succeeded, 2.0, 1e-9);
  BOOST_CHECK_EQUAL(rates[0].failed, 0.0);
  BOOST_CHECK_EQUAL(rates[1].time, 4'000);
  BOOST_CHECK_CLOSE(rates[1].submitted, 2.0, 1e-9);
  BOOST_CHECK_CLOSE(rates[1].succeeded, 2.0, 1e-9);
  BOOST_CHECK_CLOSE(rates[1].failed, 1.0, 1e-9);
}

BOOST_AUTO_TEST_CASE(ignores_a_sample_that_is_not_later) {
  rate_history history;
  history.record(5'000, {1, 0, 0, 0});
  history.record(5'000, {100, 0, 0, 0});
  history.record(4'000, {100, 0, 0, 0});
  history.record(6'000, {3, 0, 0, 0});
  auto rates = history.rates();
  BOOST_REQUIRE_EQUAL(rates.size(), 1u);
  BOOST_CHECK_CLOSE(rates[0].submitted, 2.0, 1e-9);
}

BOOST_AUTO_TEST_CASE(keeps_only_the_last_samples) {
  rate_history history{3};
  for (std::int64_t s = 1; s <= 10; ++s)
    history.record(s * 1'000, {static_cast<std::uint64_t>(s * s), 0, 0, 0});
  auto rates = history.rates();
  BOOST_REQUIRE_EQUAL(rates.size(), 2u);
  BOOST_CHECK_EQUAL(rates[0].time, 9'000);
  BOOST_CHECK_CLOSE(rates[0].submitted, 17.0, 1e-9);
  BOOST_CHECK_CLOSE(rates[1].submitted, 19.0, 1e-9);
}

BOOST_AUTO_TEST_SUITE_END()
