// Tests server/scheduler/operation_scheduler.hpp with a runner the test drives
// by hand: attempts end only when the test ends them, so cancel while running,
// refusals, retries, recovery and graceful shutdown are checked at exact
// points.
#include <boost/test/unit_test.hpp>

#include <future>

#include "tests/support/scheduler_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

BOOST_FIXTURE_TEST_SUITE(server_operation_scheduler, scheduler_fixture)

BOOST_AUTO_TEST_CASE(attempts_get_the_codeunit_inputs_user_and_attempt) {
  start();
  auto id = submit();
  auto a = runner.next();
  BOOST_CHECK_EQUAL(a.run.codeunit, 7);
  BOOST_CHECK_EQUAL(a.run.user, "u");
  BOOST_CHECK(a.run.limit == std::chrono::minutes(2));
  BOOST_CHECK_EQUAL(a.run.inputs.at("__attempt"), "0");
  a.done(failure("one"));
  auto b = runner.next();
  BOOST_CHECK_EQUAL(b.run.inputs.at("__attempt"), "1");
  b.done({operation_result::status::succeeded, {{"r", "1"}}, "", ""});
  auto rec = wait_for(id, operation_status::succeeded);
  BOOST_CHECK_EQUAL(rec.retry_count, 1);
  BOOST_CHECK((rec.outputs == dictionary{{"r", "1"}}));
}

BOOST_AUTO_TEST_CASE(rows_a_previous_run_left_due_later_run_when_due) {
  // Two retries due later, left by an earlier run: only the first is known
  // at start, the second is found once the first's time has passed. Nothing
  // else wakes the scheduler before the purge, a minute away.
  std::vector<std::string> ids;
  for (auto later : {300, 600}) {
    operation_record rec;
    rec.id = "00000000-0000-4000-8000-00000000010" + std::to_string(later);
    rec.name = "op";
    rec.run_as = "u";
    rec.created_on = now_ms();
    rec.ttl_seconds = 100000;
    rec.next_attempt_time = now_ms() + later;
    store->insert(rec);
    ids.push_back(rec.id);
  }
  start();
  for (auto& id : ids) {
    auto a = runner.next();
    a.done({});
    wait_for(id, operation_status::succeeded);
  }
}

BOOST_AUTO_TEST_CASE(a_ready_operation_canceled_never_runs) {
  runner.refusing = true;
  start();
  auto id = submit();
  runner.wait_asked(1);
  // Refused: back to Ready, not counted.
  auto rec = wait_for(id, operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(rec.retry_count, 0);
  auto out = scheduler->cancel(id, std::nullopt);
  BOOST_CHECK(out.what == operation_store::cancel_outcome::kind::canceled);
  runner.refusing = false;
  auto other = submit();
  auto a = runner.next();
  BOOST_CHECK_EQUAL(a.run.inputs.at("__attempt"), "0");
  a.done({});
  wait_for(other, operation_status::succeeded);
  BOOST_CHECK_EQUAL(runner.running(), 0u);
  BOOST_CHECK(store->find(id)->status == operation_status::canceled);
}

BOOST_AUTO_TEST_CASE(a_failure_after_a_cancel_request_is_not_retried) {
  start();
  auto id = submit();
  auto a = runner.next();
  wait_for(id, operation_status::in_progress);
  auto out = scheduler->cancel(id, std::nullopt);
  BOOST_CHECK(out.what == operation_store::cancel_outcome::kind::canceling);
  a.done(failure("late"));
  auto rec = wait_for(id, operation_status::canceled);
  BOOST_CHECK_EQUAL(rec.retry_count, 0);
  BOOST_CHECK_EQUAL(rec.error_message, "late");
}

BOOST_AUTO_TEST_CASE(a_timeout_counts_as_a_failure) {
  cfg.max_retries = 0;
  start();
  auto id = submit();
  runner.next().done({operation_result::status::timed_out, {}, "", ""});
  auto rec = wait_for(id, operation_status::failed);
  BOOST_CHECK_EQUAL(rec.error_message,
                    "The operation exceeded its execution limit.");
}

BOOST_AUTO_TEST_CASE(waiters_hear_the_terminal_record_once) {
  start();
  auto id = submit();
  std::atomic<int> calls{0};
  scheduler->await(id, [&](const operation_record& rec) {
    BOOST_CHECK(rec.status == operation_status::succeeded);
    ++calls;
  });
  runner.next().done({});
  wait_for(id, operation_status::succeeded);
  scheduler->shutdown(std::chrono::seconds(0));
  BOOST_CHECK_EQUAL(calls.load(), 1);
  // Already terminal: answered at once.
  scheduler->await(id, [&](const operation_record&) { ++calls; });
  BOOST_CHECK_EQUAL(calls.load(), 2);
}

BOOST_AUTO_TEST_CASE(start_recovers_interrupted_and_undelivered_operations) {
  auto running = submit();
  auto canceling = submit();
  auto finished = submit();
  auto waiting = submit();
  for (int i = 0; i < 3; ++i)
    BOOST_REQUIRE(store->mark_started(store->claim_next(10)->id, 10));
  store->claim_next(10);
  store->cancel(canceling, std::nullopt, 20);
  store->succeed(finished, {}, 30);
  scheduler = std::make_unique<operation_scheduler>(cfg, store, registry,
                                                    runner,
                                                    make_logger("off"));
  hear_completions();
  scheduler->start("http://test");
  // Reported before start returns: the finished one never was, the
  // canceled one just became terminal.
  BOOST_CHECK((heard == std::vector<std::string>{canceling, finished}));
  auto a = runner.next();
  BOOST_CHECK_EQUAL(a.run.inputs.at("__attempt"), "1");
  a.done({});
  BOOST_CHECK_EQUAL(wait_for(running, operation_status::succeeded).retry_count,
                    1);
  // The one that waited for a slot never started: its try is not counted.
  auto b = runner.next();
  BOOST_CHECK_EQUAL(b.run.inputs.at("__attempt"), "0");
  b.done({});
  wait_for(waiting, operation_status::succeeded);
  scheduler->shutdown(std::chrono::seconds(0));
  BOOST_CHECK_EQUAL(heard.size(), 4u);
  BOOST_CHECK(store->unnotified().empty());
}

BOOST_AUTO_TEST_CASE(shutdown_stops_what_outlasts_the_grace_and_requeues_it) {
  start();
  auto id = submit();
  auto a = runner.next();
  wait_for(id, operation_status::in_progress);
  scheduler->shutdown(std::chrono::milliseconds(10));
  BOOST_CHECK((runner.stopped() == std::vector<std::uint64_t>{a.id}));
  auto rec = store->find(id);
  BOOST_CHECK(rec->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(rec->retry_count, 1);
}

BOOST_AUTO_TEST_CASE(shutdown_waits_for_a_start_in_flight_and_stops_it) {
  // The runner answers only when the test lets it, after shutdown began: a
  // shutdown that did not count the start would neither wait nor stop it.
  std::promise<void> entered;
  std::promise<void> go;
  auto go_now = go.get_future().share();
  runner.during_start = [&entered, go_now, first = true]() mutable {
    if (!std::exchange(first, false))
      return;
    entered.set_value();
    go_now.wait();
  };
  start();
  auto id = submit();
  BOOST_REQUIRE(entered.get_future().wait_for(std::chrono::seconds(10))
                == std::future_status::ready);
  auto stopping = std::async(std::launch::async, [this] {
    scheduler->shutdown(std::chrono::milliseconds(10));
  });
  // Shutdown must not finish while the start is still in flight.
  BOOST_CHECK(stopping.wait_for(std::chrono::milliseconds(100))
              == std::future_status::timeout);
  go.set_value();
  BOOST_REQUIRE(stopping.wait_for(std::chrono::seconds(10))
                == std::future_status::ready);
  auto a = runner.next();
  BOOST_CHECK((runner.stopped() == std::vector<std::uint64_t>{a.id}));
  BOOST_CHECK_EQUAL(store->find(id)->retry_count, 1);
}

BOOST_AUTO_TEST_CASE(a_runner_that_throws_leaves_no_start_counted) {
  runner.throwing = true;
  start();
  submit();
  runner.wait_asked(1);
  // With the start still counted, shutdown would wait the grace and then
  // 5 s for it; uncounted, it has nothing to wait for.
  auto began = std::chrono::steady_clock::now();
  scheduler->shutdown(std::chrono::seconds(3));
  BOOST_CHECK(std::chrono::steady_clock::now() - began
              < std::chrono::seconds(2));
}

BOOST_AUTO_TEST_SUITE_END()
