// Tests server/operation_scheduler.hpp with a runner the test drives by
// hand: attempts end only when the test ends them, so cancel before start,
// cancel while running, refusals, recovery and graceful shutdown are
// checked at exact points.
#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>

#include "runtime/log.hpp"
#include "server/operation_scheduler.hpp"
#include "runtime/wall_clock.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;

namespace {

/// Holds each started attempt until the test ends it; refuses to start while
/// `refusing`.
class manual_runner : public operation_runner {
public:
  struct attempt {
    std::uint64_t id;
    operation_run run;
    std::function<void(operation_result)> done;
  };

  caf::expected<std::uint64_t>
  start(operation_run run, std::function<void(operation_result)> done) override {
    std::lock_guard<std::mutex> guard{mtx_};
    ++asked_;
    cv_.notify_all();
    if (refusing)
      return caf::make_error(caf::sec::runtime_error, "queue full");
    auto id = next_++;
    // The test and `stop` may both end it; only the first one counts.
    auto once = [ended = std::make_shared<std::atomic<bool>>(false),
                 done = std::move(done)](operation_result r) {
      if (!ended->exchange(true))
        done(std::move(r));
    };
    live_.emplace(id, once);
    started_.push_back({id, std::move(run), std::move(once)});
    cv_.notify_all();
    return id;
  }

  bool stop(std::uint64_t id, const std::string&) override {
    std::function<void(operation_result)> done;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      stopped.push_back(id);
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

  std::size_t running() {
    std::lock_guard<std::mutex> guard{mtx_};
    return started_.size();
  }

  std::atomic<bool> refusing{false};
  std::vector<std::uint64_t> stopped;

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<attempt> started_;
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
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      auto rec = store->find(id);
      if (rec && rec->status == status)
        return *rec;
      BOOST_REQUIRE(std::chrono::steady_clock::now() < until);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

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
  for (int i = 0; i < 3; ++i)
    store->claim_next(10);
  store->cancel(canceling, std::nullopt, 20);
  store->finish(finished, operation_status::succeeded, {}, "", "", 30);
  std::vector<std::string> heard;
  scheduler = std::make_unique<operation_scheduler>(cfg, store, registry,
                                                    runner,
                                                    make_logger("off"));
  scheduler->set_completion_sink(
    [&](const operation_completion& c, delivery_finished finished) {
      heard.push_back(c.id);
      finished("");
    });
  scheduler->start("http://test");
  // Reported before start returns: the finished one never was, the
  // canceled one just became terminal.
  BOOST_CHECK((heard == std::vector<std::string>{canceling, finished}));
  auto a = runner.next();
  BOOST_CHECK_EQUAL(a.run.inputs.at("__attempt"), "1");
  a.done({});
  BOOST_CHECK_EQUAL(wait_for(running, operation_status::succeeded).retry_count,
                    1);
  scheduler->shutdown(std::chrono::seconds(0));
  BOOST_CHECK_EQUAL(heard.size(), 3u);
  BOOST_CHECK(store->unnotified().empty());
}

BOOST_AUTO_TEST_CASE(shutdown_stops_what_outlasts_the_grace_and_requeues_it) {
  start();
  auto id = submit();
  auto a = runner.next();
  scheduler->shutdown(std::chrono::milliseconds(10));
  BOOST_CHECK((runner.stopped == std::vector<std::uint64_t>{a.id}));
  auto rec = store->find(id);
  BOOST_CHECK(rec->status == operation_status::waiting_for_resources);
  BOOST_CHECK_EQUAL(rec->retry_count, 1);
  // Nothing new starts once shut down.
  submit();
  BOOST_CHECK_EQUAL(runner.running(), 0u);
}

BOOST_AUTO_TEST_SUITE_END()
