// Tests services/codeunit_context.hpp on a real thread: a sleep longer than
// the clock can add saturates instead of overflowing into "already over".
#include <boost/test/unit_test.hpp>

#include <future>
#include <string>
#include <thread>

#include "services/codeunit_context.hpp"

using namespace stagehand;

namespace {

/// Sleeps `duration` in a codeunit context on a thread of its own and
/// reports how the sleep ended.
template <class Duration>
void check_sleeps_until_cancelled(Duration duration, const char* what) {
  auto token = std::make_shared<cancellation_token>();
  background_task task;
  std::promise<std::string> ended;
  std::thread sleeper{[&] {
    codeunit_context ctx{task, token};
    try {
      ctx.sleep(duration);
      ended.set_value("returned");
    } catch (const task_cancelled&) {
      ended.set_value("cancelled");
    }
  }};
  auto how = ended.get_future();
  // An overflowing deadline lies in the past, so such a sleep returns at
  // once; 200 ms is ample for that and proves nothing more is needed.
  BOOST_CHECK_MESSAGE(how.wait_for(std::chrono::milliseconds(200))
                        == std::future_status::timeout,
                      what << " did not sleep");
  token->cancel("enough");
  BOOST_REQUIRE_MESSAGE(how.wait_for(std::chrono::seconds(30))
                          == std::future_status::ready,
                        what << " did not wake on cancel within 30 s");
  BOOST_CHECK_EQUAL(how.get(), "cancelled");
  sleeper.join();
}

} // namespace

BOOST_AUTO_TEST_SUITE(services_codeunit_context)

BOOST_AUTO_TEST_CASE(huge_sleeps_saturate_and_wait_for_the_token) {
  check_sleeps_until_cancelled(caf::timespan::max(), "timespan::max()");
  check_sleeps_until_cancelled(std::chrono::milliseconds::max(),
                               "milliseconds::max()");
  check_sleeps_until_cancelled(std::chrono::hours::max(), "hours::max()");
}

BOOST_AUTO_TEST_SUITE_END()
