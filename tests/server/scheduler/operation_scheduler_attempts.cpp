// Tests server/scheduler/operation_scheduler_attempts.cpp: an attempt that
// waits for a session slot leaves its operation Waiting For Resources until it
// launches, and a cancel or a shutdown that lands while it waits, or while
// its start is in flight, stops it before it runs.
#include <boost/test/unit_test.hpp>

#include <future>

#include "tests/support/scheduler_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

BOOST_FIXTURE_TEST_SUITE(server_operation_scheduler_attempts, scheduler_fixture)

BOOST_AUTO_TEST_CASE(an_operation_is_in_progress_only_once_its_attempt_began) {
  runner.launch_at_once = false;
  start();
  auto id = submit();
  auto a = runner.next();
  // Handed to the runner, but waiting for a slot: still 0/0.
  auto rec = store->find(id);
  BOOST_CHECK(rec->status == operation_status::waiting_for_resources);
  BOOST_CHECK(!rec->start_time);
  a.launch();
  rec = wait_for(id, operation_status::in_progress);
  BOOST_CHECK(rec->start_time);
  a.done({});
  wait_for(id, operation_status::succeeded);
}

BOOST_AUTO_TEST_CASE(a_cancel_while_waiting_for_a_slot_stops_the_attempt) {
  runner.launch_at_once = false;
  start();
  auto id = submit();
  auto a = runner.next();
  auto out = scheduler->cancel(id, std::nullopt);
  BOOST_CHECK(out.what == operation_store::cancel_outcome::kind::canceled);
  BOOST_CHECK(store->find(id)->status == operation_status::canceled);
  // Stopped by the cancel, or by the scheduler once its start returned.
  api_client::wait_until(std::chrono::seconds(10),
                               "the waiting attempt to be stopped",
                               [&] { return !runner.stopped().empty(); });
  BOOST_CHECK((runner.stopped() == std::vector<std::uint64_t>{a.id}));
  // Its stop comes back as an interrupted attempt, which changes nothing.
  auto other = submit();
  runner.next().launch();
  wait_for(other, operation_status::in_progress);
  auto rec = store->find(id);
  BOOST_CHECK(rec->status == operation_status::canceled);
  BOOST_CHECK(!rec->start_time);
  std::lock_guard<std::mutex> guard{heard_mtx};
  BOOST_CHECK((heard == std::vector<std::string>{id}));
}

BOOST_AUTO_TEST_CASE(a_cancel_while_the_start_is_in_flight_stops_the_attempt) {
  start();
  std::atomic<bool> canceled{false};
  runner.during_start = [&] {
    if (!canceled.exchange(true))
      cancel_the_only_operation();
  };
  auto id = submit();
  auto a = runner.next();
  api_client::wait_until(std::chrono::seconds(10),
                               "the canceled attempt to be stopped", [&] {
                                 return !runner.stopped().empty();
                               });
  // Its launch may ask once more, when its start is found canceled.
  for (auto stopped : runner.stopped())
    BOOST_CHECK_EQUAL(stopped, a.id);
  auto rec = store->find(id);
  BOOST_CHECK(rec->status == operation_status::canceled);
  BOOST_CHECK(!rec->start_time);
}

BOOST_AUTO_TEST_CASE(a_cancel_between_claim_and_refusal_ends_canceled_at_once) {
  runner.refusing = true;
  start();
  std::atomic<int> cancels{0};
  runner.during_start = [&] {
    if (cancels++ == 0)
      cancel_the_only_operation();
  };
  auto id = submit();
  runner.wait_asked(1);
  // Not at the next restart: now, and reported.
  auto rec = wait_for(id, operation_status::canceled);
  BOOST_CHECK_EQUAL(rec.retry_count, 0);
  api_client::wait_until(std::chrono::seconds(10),
                               "the cancel to be reported", [&] {
                                 std::lock_guard<std::mutex> guard{heard_mtx};
                                 return heard.size() == 1;
                               });
}

BOOST_AUTO_TEST_CASE(shutdown_stops_waiting_attempts_at_once_uncounted) {
  runner.launch_at_once = false;
  start();
  auto id = submit();
  auto a = runner.next();
  auto began = std::chrono::steady_clock::now();
  scheduler->shutdown(std::chrono::seconds(5));
  // Not held for the grace period: a waiting attempt has nothing to finish.
  BOOST_CHECK(std::chrono::steady_clock::now() - began
              < std::chrono::seconds(2));
  BOOST_CHECK((runner.stopped() == std::vector<std::uint64_t>{a.id}));
  auto rec = store->find(id);
  BOOST_CHECK(rec->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(rec->retry_count, 0);
  BOOST_CHECK(rec->next_attempt_time);
}

BOOST_AUTO_TEST_CASE(a_waiter_that_comes_during_shutdown_hears_at_once) {
  runner.launch_at_once = false;
  start();
  auto running = submit();
  auto a = runner.next();
  a.launch();
  wait_for(running, operation_status::in_progress);
  // Shutdown waits up to its grace for the running attempt...
  auto stopping = std::async(std::launch::async, [this] {
    scheduler->shutdown(std::chrono::seconds(5));
  });
  BOOST_CHECK(stopping.wait_for(std::chrono::milliseconds(50))
              == std::future_status::timeout);
  // ...while a synchronous submit's waiter is answered now, not then.
  auto late = submit();
  std::promise<operation_record> heard_late;
  scheduler->await(late, [&](const operation_record& rec) {
    heard_late.set_value(rec);
  });
  auto answer = heard_late.get_future();
  BOOST_REQUIRE(answer.wait_for(std::chrono::milliseconds(500))
                == std::future_status::ready);
  BOOST_CHECK(answer.get().status == operation_status::waiting_for_resources);
  a.done({});
  BOOST_REQUIRE(stopping.wait_for(std::chrono::seconds(10))
                == std::future_status::ready);
  BOOST_CHECK(store->find(running)->status == operation_status::succeeded);
}

BOOST_AUTO_TEST_SUITE_END()
