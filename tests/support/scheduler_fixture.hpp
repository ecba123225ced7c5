#pragma once

// The scheduler tests' runner and fixture: attempts start, launch and end
// only when the test says, so that every race is checked at an exact point.

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/log.hpp"
#include "core/wall_clock.hpp"
#include "server/scheduler/operation_scheduler.hpp"
#include "tests/support/api_client.hpp"
#include "tests/support/temp_data_dir.hpp"

namespace stagehand::test {

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

inline operation_result failure(std::string text) {
  return {operation_result::status::failed, {}, "Dialog", std::move(text)};
}

struct scheduler_fixture {
  temp_data_dir dir;
  operation_settings cfg;
  std::shared_ptr<operation_store> store
    = std::move(*operation_store::open((dir.path / "system.db").string(),
                                       std::chrono::seconds(1)));
  operation_registry registry;
  manual_runner runner;
  std::unique_ptr<operation_scheduler> scheduler;

  scheduler_fixture() {
    cfg.retry_initial_backoff = std::chrono::milliseconds(1);
    cfg.retry_max_backoff = std::chrono::milliseconds(1);
    BOOST_REQUIRE(!registry.add({"op", "Op", 7, {}}));
    // A subscriber gives every completion something to deliver, so that
    // each one reaches the sink these tests listen on (one with nothing to
    // deliver is notified in its ending's write and never reaches it).
    store->add_webhook(
      {"w", operation_complete_event, "http://subscriber.test/", "u", 0});
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
    api_client::wait_until(std::chrono::seconds(10),
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

} // namespace stagehand::test
