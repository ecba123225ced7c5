// Tests server/operations/retry_policy.hpp: the documented schedule, its cap
// and the jitter's bounds.
#include <boost/test/unit_test.hpp>

#include "server/operations/retry_policy.hpp"

using namespace stagehand;
using namespace std::chrono;

BOOST_AUTO_TEST_SUITE(server_retry_policy)

BOOST_AUTO_TEST_CASE(backoff_doubles_up_to_the_cap_and_jitter_only_shortens) {
  operation_settings cfg;
  cfg.retry_initial_backoff = seconds(1);
  cfg.retry_backoff_factor = 2.0;
  cfg.retry_max_backoff = seconds(5);
  cfg.retry_jitter = 0.5;
  retry_policy p{cfg};
  BOOST_CHECK_EQUAL(p.max_retries(), 3u);
  BOOST_CHECK(p.delay(1, 0.0) == seconds(1));
  BOOST_CHECK(p.delay(2, 0.0) == seconds(2));
  BOOST_CHECK(p.delay(3, 0.0) == seconds(4));
  BOOST_CHECK(p.delay(4, 0.0) == seconds(5));
  BOOST_CHECK(p.delay(2, 1.0) == seconds(1));
  for (int i = 0; i < 100; ++i) {
    auto d = p.delay(3);
    BOOST_CHECK(d > seconds(2) && d <= seconds(4));
  }
}

BOOST_AUTO_TEST_SUITE_END()
