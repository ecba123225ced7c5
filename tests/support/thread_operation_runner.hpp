#pragma once

// TEMPORARY: stands in for the lead's background-session runner (issue 5)
// until it lands; `make_operation_runner` in operation_runner_factory.hpp is
// the one place to swap it out.

#include <atomic>
#include <condition_variable>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "messages/background_task.hpp"
#include "runtime/codeunit_registry.hpp"
#include "runtime/errc.hpp"
#include "server/operation_runner.hpp"

namespace stagehand::test {

/// Runs each attempt's codeunit on a thread of its own, with a watchdog that
/// enforces the execution limit; `stop` and the limit cancel the codeunit's
/// token, as a background session's stop would.
class thread_operation_runner : public operation_runner {
public:
  thread_operation_runner(std::shared_ptr<codeunit_registry> codeunits,
                          company_directory* companies)
    : codeunits_(std::move(codeunits)), companies_(companies) {
    watchdog_ = std::thread{[this] { watch(); }};
  }

  ~thread_operation_runner() override {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      closing_ = true;
      for (auto& [id, a] : active_)
        a->token->cancel();
      cv_.notify_all();
    }
    watchdog_.join();
    for (auto& t : threads_)
      t.second.join();
  }

  caf::expected<std::uint64_t>
  start(operation_run run, std::function<void(operation_result)> done) override {
    auto a = std::make_shared<attempt>();
    a->done = std::move(done);
    a->deadline = std::chrono::steady_clock::now() + run.limit;
    std::lock_guard<std::mutex> guard{mtx_};
    reap();
    a->id = next_id_++;
    active_.emplace(a->id, a);
    cv_.notify_all();
    auto cu = codeunits_->find(run.codeunit);
    auto body = [this, a, cu, run = std::move(run)] {
      operation_result result;
      if (!cu) {
        result.what = operation_result::status::failed;
        result.error_message
          = describe(make_error(errc::unknown_codeunit,
                                caf::make_message(run.codeunit)));
      } else {
        background_task task;
        task.id = a->id;
        task.codeunit = run.codeunit;
        task.parameters = run.inputs;
        task.company = run.company;
        auto outcome = cu->invoke(task, a->token, companies_);
        if (outcome.what == task_outcome::kind::completed) {
          result.outputs = std::move(outcome.results);
        } else {
          result.what = operation_result::status::failed;
          result.error_code = outcome.error.code;
          result.error_message = outcome.error.text;
        }
      }
      report(*a, std::move(result));
      a->exited = true;
    };
    threads_.emplace_back(a, std::thread{std::move(body)});
    return a->id;
  }

  bool stop(std::uint64_t id, const std::string& comment) override {
    std::shared_ptr<attempt> a;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      auto i = active_.find(id);
      if (i == active_.end())
        return false;
      a = i->second;
    }
    operation_result result;
    result.what = operation_result::status::stopped;
    result.error_message = comment;
    report(*a, std::move(result));
    a->token->cancel();
    return true;
  }

private:
  struct attempt {
    std::uint64_t id = 0;
    std::shared_ptr<cancellation_token> token
      = std::make_shared<cancellation_token>();
    std::function<void(operation_result)> done;
    std::chrono::steady_clock::time_point deadline;
    std::atomic<bool> reported{false};
    std::atomic<bool> exited{false};
  };

  /// Delivers the attempt's one result: whichever of finishing, timing out
  /// and stopping comes first.
  void report(attempt& a, operation_result result) {
    if (a.reported.exchange(true))
      return;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      active_.erase(a.id);
    }
    a.done(std::move(result));
  }

  void watch() {
    std::unique_lock<std::mutex> guard{mtx_};
    while (!closing_) {
      auto next = std::chrono::steady_clock::time_point::max();
      std::vector<std::shared_ptr<attempt>> expired;
      auto now = std::chrono::steady_clock::now();
      for (auto& [id, a] : active_)
        if (a->deadline <= now)
          expired.push_back(a);
        else
          next = std::min(next, a->deadline);
      if (!expired.empty()) {
        guard.unlock();
        for (auto& a : expired) {
          operation_result result;
          result.what = operation_result::status::timed_out;
          result.error_code = timeout_error_code;
          result.error_message = "The operation exceeded its execution limit.";
          report(*a, std::move(result));
          a->token->cancel();
        }
        guard.lock();
        continue;
      }
      if (next == std::chrono::steady_clock::time_point::max())
        cv_.wait(guard);
      else
        cv_.wait_until(guard, next);
    }
  }

  /// Joins the threads of attempts whose codeunit has returned.
  void reap() {
    for (auto i = threads_.begin(); i != threads_.end();)
      if (i->first->exited) {
        i->second.join();
        i = threads_.erase(i);
      } else {
        ++i;
      }
  }

  std::shared_ptr<codeunit_registry> codeunits_;
  company_directory* companies_;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool closing_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<attempt>> active_;
  std::list<std::pair<std::shared_ptr<attempt>, std::thread>> threads_;
  std::thread watchdog_;
};

} // namespace stagehand::test
