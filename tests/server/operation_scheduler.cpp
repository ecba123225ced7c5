// Tests server/operation_scheduler.hpp with a runner the test drives by
// hand: attempts end only when the test ends them, so cancel before start,
// cancel while running, refusals, recovery and graceful shutdown are
// checked at exact points.
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>

#include "runtime/log.hpp"
#include "server/operation_scheduler.hpp"
#include "runtime/wall_clock.hpp"
#include "tests/support/temp_data_dir.hpp"
#include "tests/support/api_client.hpp"

using namespace stagehand;

namespace {

/// Holds each started attempt until the test ends it; refuses to start while
/// `refusing`; leaves attempts waiting for a slot unless `launch_at_once`.
class manual_runner : public operation_runner {
public:
  struct attempt {
    std::uint64_t id;
    operation_run run;
    /// Says that the attempt began.
    std::function<void()> launch;
    std::function<void(operation_result)> done;
  };

  caf::expected<std::uint64_t>
  start(operation_run run, std::function<void()> started,
        std::function<void(operation_result)> done) override {
    // What the test does while the scheduler waits for this answer.
    if (during_start)
      during_start();
    std::lock_guard<std::mutex> guard{mtx_};
    ++asked_;
    cv_.notify_all();
    if (throwing)
      throw std::runtime_error("runner broke");
    if (refusing)
      return caf::make_error(caf::sec::runtime_error, "queue full");
    if (launch_at_once)
      started();
    auto id = next_++;
    // The test and `stop` may both end it; only the first one counts.
    auto once = [ended = std::make_shared<std::atomic<bool>>(false),
                 done = std::move(done)](operation_result r) {
      if (!ended->exchange(true))
        done(std::move(r));
    };
    live_.emplace(id, once);
    started_.push_back({id, std::move(run), std::move(started),
                        std::move(once)});
    cv_.notify_all();
    return id;
  }

  bool stop(std::uint64_t id, const std::string&) override {
    std::function<void(operation_result)> done;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      stopped_.push_back(id);
      auto i = live_.find(id);
      if (i == live_.end())
        return false;
      done = std::move(i->second);
      live_.erase(i);
    }
    done({operation_result::status::stopped, {}, "", ""});
    return true;
  }

  /// Waits for the next started attempt.
  attempt next() {
    std::unique_lock<std::mutex> guard{mtx_};
    BOOST_REQUIRE(cv_.wait_for(guard, std::chrono::seconds(10),
                               [this] { return !started_.empty(); }));
    auto a = std::move(started_.front());
    started_.pop_front();
    return a;
  }

  /// Waits until start was asked `n` times in all.
  void wait_asked(std::size_t n) {
    std::unique_lock<std::mutex> guard{mtx_};
    BOOST_REQUIRE(cv_.wait_for(guard, std::chrono::seconds(10),
                               [&] { return asked_ >= n; }));
  }

  /// The attempts `stop` was asked for, in order.
  std::vector<std::uint64_t> stopped() {
    std::lock_guard<std::mutex> guard{mtx_};
    return stopped_;
  }

  std::size_t running() {
    std::lock_guard<std::mutex> guard{mtx_};
    return started_.size();
  }

  std::atomic<bool> refusing{false};
  std::atomic<bool> throwing{false};
  bool launch_at_once = true;
  std::function<void()> during_start;

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<attempt> started_;
  std::vector<std::uint64_t> stopped_;
  std::map<std::uint64_t, std::function<void(operation_result)>> live_;
  std::size_t asked_ = 0;
  std::uint64_t next_ = 1;
};

operation_result failure(std::string text) {
  return {operation_result::status::failed, {}, "Dialog", std::move(text)};
}

struct scheduler_fixture {
  test::temp_data_dir dir;
  config cfg;
  std::shared_ptr<operation_store> store
    = std::move(*operation_store::open((dir.path / "system.db").string(),
                                       std::chrono::seconds(1)));
  operation_registry registry;
  manual_runner runner;
  std::unique_ptr<operation_scheduler> scheduler;

  scheduler_fixture() {
    cfg.operation_retry_initial_backoff = std::chrono::milliseconds(1);
    cfg.operation_retry_max_backoff = std::chrono::milliseconds(1);
    BOOST_REQUIRE(!registry.add({"op", "Op", 7, {}}));
  }

  ~scheduler_fixture() {
    scheduler.reset();
  }

  void start() {
    scheduler = std::make_unique<operation_scheduler>(cfg, store, registry,
                                                      runner,
                                                      make_logger("off"));
    hear_completions();
    scheduler->start("http://test");
  }

  std::string submit() {
    operation_record rec;
    rec.id = "00000000-0000-4000-8000-00000000000" + std::to_string(next_++);
    rec.name = "op";
    rec.run_as = "u";
    // Times are the wall clock's: the scheduler purges by it.
    rec.created_on = now_ms();
    rec.ttl_seconds = 100000;
    rec.next_attempt_time = 1;
    store->insert(rec);
    if (scheduler)
      scheduler->wake();
    return rec.id;
  }

  operation_record wait_for(const std::string& id, operation_status status) {
    std::optional<operation_record> rec;
    test::api_client::wait_until(std::chrono::seconds(10),
                     "operation " + id + " to reach status "
                       + std::to_string(status_code(status)),
                     [&] {
                       rec = store->find(id);
                       return rec && rec->status == status;
                     });
    return *rec;
  }

  /// A cancel landing in the middle of a start, on the scheduler's thread
  /// (so no Boost.Test check here: the test checks what it did).
  void cancel_the_only_operation() {
    auto all = store->list(operation_query{});
    if (all.size() == 1)
      scheduler->cancel(all[0].id, std::nullopt);
  }

  /// Records every completion the scheduler reports.
  void hear_completions() {
    scheduler->set_completion_sink(
      [this](const operation_completion& c, delivery_finished finished) {
        std::lock_guard<std::mutex> guard{heard_mtx};
        heard.push_back(c.id);
        finished("");
      });
  }

  std::mutex heard_mtx;
  std::vector<std::string> heard;

  int next_ = 0;
};

} // namespace

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
  cfg.operation_max_retries = 0;
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

// -- waiting for a session slot (issue 10 item 5) -----------------------------

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
  test::api_client::wait_until(std::chrono::seconds(10),
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
  test::api_client::wait_until(std::chrono::seconds(10),
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
  test::api_client::wait_until(std::chrono::seconds(10),
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
