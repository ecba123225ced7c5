// Tests core/cancellation_token.hpp: a cancel from another thread wakes a
// sleeper at once, and a sleep that is not cancelled runs its full length.
#include <boost/test/unit_test.hpp>

#include <future>
#include <thread>

#include "core/cancellation_token.hpp"
#include "services/codeunit_context.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;

BOOST_AUTO_TEST_SUITE(core_cancellation_token)

BOOST_AUTO_TEST_CASE(a_cancel_wakes_a_minute_long_sleep) {
  auto token = std::make_shared<cancellation_token>();
  background_task task;
  codeunit_context ctx{task, token};
  bool woke_cancelled = false;
  std::promise<void> woke;
  std::thread sleeper{[&] {
    try {
      ctx.sleep(std::chrono::minutes(1));
    } catch (const task_cancelled&) {
      woke_cancelled = true;
    }
    woke.set_value();
  }};
  token->cancel();
  auto in_time = woke.get_future().wait_for(test::wait_limit)
                 == std::future_status::ready;
  sleeper.join(); // a minute at most, if the cancel did not wake it
  BOOST_CHECK_MESSAGE(in_time, "the cancel did not wake the sleeper");
  BOOST_CHECK(woke_cancelled);
  BOOST_CHECK(ctx.cancelled());
  BOOST_CHECK_THROW(ctx.throw_if_cancelled(), task_cancelled);
}

BOOST_AUTO_TEST_CASE(an_uncancelled_sleep_runs_its_length) {
  cancellation_token token;
  auto before = std::chrono::steady_clock::now();
  BOOST_CHECK(token.sleep_for(std::chrono::milliseconds(20)));
  BOOST_CHECK(std::chrono::steady_clock::now() - before
              >= std::chrono::milliseconds(20));
  BOOST_CHECK(!token.cancelled());
}

BOOST_AUTO_TEST_SUITE_END()
