#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

#include <caf/timespan.hpp>

namespace stagehand {

/// Shared between a child session actor and the worker thread that runs its
/// codeunit: the actor cancels, the codeunit notices at its next check or
/// wakes from its current sleep.
class cancellation_token {
public:
  void cancel();

  bool cancelled() const noexcept {
    return cancelled_.load(std::memory_order_acquire);
  }

  /// Sleeps for `duration` unless cancelled first.
  /// @returns false if the token was cancelled.
  bool sleep_for(caf::timespan duration);

private:
  std::atomic<bool> cancelled_{false};
  std::mutex mtx_;
  std::condition_variable cv_;
};

} // namespace stagehand
