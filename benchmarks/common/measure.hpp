#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace stagehand::bench {

using clock_type = std::chrono::steady_clock;

/// Microseconds between two time points, as the unit all latencies use.
inline double micros(clock_type::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

/// The value below which `p` (0..1) of the samples lie.
double percentile(std::vector<double> samples, double p);

/// Resident set size of this process, from /proc/self/status, after handing
/// free heap pages back to the kernel.
std::size_t rss_bytes();

/// Counts down completed work across threads and wakes the waiter at zero.
class latch {
public:
  explicit latch(std::int64_t count) : count_(count) {
  }

  void count_down(std::int64_t n = 1);

  void wait();

  /// @returns false if `timeout` passed before the count reached zero.
  bool wait_for(clock_type::duration timeout);

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::int64_t count_;
};

/// Hands out a fixed number of task starts to many producers, so that each
/// implementation runs exactly the same number of tasks.
class budget {
public:
  explicit budget(std::int64_t tasks) : left_(tasks) {
  }

  /// @returns true if the caller may start one more task.
  bool take() {
    std::lock_guard<std::mutex> guard{mtx_};
    if (left_ <= 0)
      return false;
    --left_;
    return true;
  }

  void stop() {
    std::lock_guard<std::mutex> guard{mtx_};
    left_ = 0;
  }

private:
  std::mutex mtx_;
  std::int64_t left_;
};

/// Collects latency samples from many threads.
class sample_set {
public:
  void add(double x) {
    std::lock_guard<std::mutex> guard{mtx_};
    values_.push_back(x);
  }

  std::vector<double> take() {
    std::lock_guard<std::mutex> guard{mtx_};
    return std::move(values_);
  }

private:
  std::mutex mtx_;
  std::vector<double> values_;
};

} // namespace stagehand::bench
