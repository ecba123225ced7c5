#include "core/cancellation_token.hpp"

namespace stagehand {

bool cancellation_token::cancel(std::string reason) {
  {
    // Holding the lock closes the gap between a sleeper's check and its wait.
    std::lock_guard<std::mutex> guard{mtx_};
    auto expected = running_state;
    if (!state_.compare_exchange_strong(expected, cancelled_state,
                                        std::memory_order_acq_rel))
      return expected == cancelled_state;
    reason_ = std::move(reason);
  }
  cv_.notify_all();
  return true;
}

bool cancellation_token::try_finish() noexcept {
  auto expected = running_state;
  return state_.compare_exchange_strong(expected, finishing_state,
                                        std::memory_order_acq_rel);
}

std::string cancellation_token::reason() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return reason_;
}

bool cancellation_token::sleep_for(caf::timespan duration) {
  std::unique_lock<std::mutex> guard{mtx_};
  return !cv_.wait_for(guard, duration, [this] {
    return cancelled();
  });
}

} // namespace stagehand
