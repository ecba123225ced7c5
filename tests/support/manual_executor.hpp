#pragma once

#include <cstddef>
#include <deque>
#include <functional>

#include "core/blocking_executor.hpp"

namespace stagehand::test {

/// Holds codeunit jobs until the test runs them, so that a test decides
/// exactly when a codeunit "returns" relative to timeouts and cancels.
class manual_executor : public blocking_executor {
public:
  void post(std::function<void()> job) override {
    jobs_.push_back(std::move(job));
  }

  std::size_t pending() const {
    return jobs_.size();
  }

  /// Runs the oldest job. @returns false if there was none.
  bool run_next() {
    if (jobs_.empty())
      return false;
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    job();
    return true;
  }

  std::size_t run_all() {
    std::size_t n = 0;
    while (run_next())
      ++n;
    return n;
  }

  /// Drops the oldest job unrun, as if its codeunit never returned.
  void drop_next() {
    jobs_.pop_front();
  }

private:
  std::deque<std::function<void()>> jobs_;
};

} // namespace stagehand::test
