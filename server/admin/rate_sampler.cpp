#include "server/admin/rate_sampler.hpp"

#include "core/wall_clock.hpp"

namespace stagehand {

rate_sampler::rate_sampler(rate_history& history,
                           std::function<operation_totals()> totals,
                           std::chrono::milliseconds interval)
  : history_(history), totals_(std::move(totals)), interval_(interval),
    thread_([this] {
      run();
    }) {}

rate_sampler::~rate_sampler() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void rate_sampler::run() {
  std::unique_lock<std::mutex> guard{mtx_};
  auto next = std::chrono::steady_clock::now();
  while (!stopping_) {
    history_.record(now_ms(), totals_());
    // Steps on a fixed grid, so that a slow sample does not shift the rest.
    next += interval_;
    cv_.wait_until(guard, next, [this] {
      return stopping_;
    });
  }
}

} // namespace stagehand
