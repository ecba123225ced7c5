#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "server/admin/rate_history.hpp"

namespace stagehand {

/// Records the operation totals into a `rate_history` once per interval, on
/// a thread of its own, so that the rates cover the minutes before anyone
/// opened the admin page. Stops when destroyed.
class rate_sampler {
public:
  /// `history` must outlive the sampler; `totals` is called on its thread.
  rate_sampler(rate_history& history, std::function<operation_totals()> totals,
               std::chrono::milliseconds interval = std::chrono::seconds(1));

  rate_sampler(const rate_sampler&) = delete;
  rate_sampler& operator=(const rate_sampler&) = delete;

  ~rate_sampler();

private:
  void run();

  rate_history& history_;
  std::function<operation_totals()> totals_;
  std::chrono::milliseconds interval_;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

} // namespace stagehand
