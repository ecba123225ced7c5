#include "runtime/cancellation_token.hpp"

namespace stagehand {

void cancellation_token::cancel() {
  {
    // Holding the lock closes the gap between a sleeper's check and its wait.
    std::lock_guard<std::mutex> guard{mtx_};
    cancelled_.store(true, std::memory_order_release);
  }
  cv_.notify_all();
}

bool cancellation_token::sleep_for(caf::timespan duration) {
  std::unique_lock<std::mutex> guard{mtx_};
  return !cv_.wait_for(guard, duration, [this] {
    return cancelled();
  });
}

} // namespace stagehand
