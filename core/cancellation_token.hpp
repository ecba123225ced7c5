#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>

#include <caf/timespan.hpp>

namespace stagehand {

/// Raised by a cancellation-aware wait (a sleep, a database call, a pool
/// connection) once its token is cancelled, to unwind a codeunit quickly.
class task_cancelled : public std::exception {
public:
  const char* what() const noexcept override {
    return "The task was cancelled.";
  }
};

/// Shared between the actor that owns a running codeunit and the worker thread
/// that runs it: the actor cancels, the codeunit notices at its next check or
/// wakes from its current sleep. For work that writes, the token also decides
/// who ends it: the worker claims the right to commit with `try_finish`, a
/// stopper claims the right to roll back with `cancel`, and only the first
/// claim succeeds, so a stop can never arrive after a commit it reported.
class cancellation_token {
public:
  /// Cancels, remembering `reason` for whoever unwinds.
  /// @returns false if the worker had already claimed to finish.
  bool cancel(std::string reason = {});

  bool cancelled() const noexcept {
    return state_.load(std::memory_order_acquire) == cancelled_state;
  }

  /// The worker's claim to commit. @returns false if cancelled first.
  bool try_finish() noexcept;

  /// Why `cancel` was called; only meaningful once `cancelled()`.
  std::string reason() const;

  /// Sleeps for `duration` unless cancelled first.
  /// @returns false if the token was cancelled.
  bool sleep_for(caf::timespan duration);

private:
  static constexpr std::uint8_t running_state = 0;
  static constexpr std::uint8_t finishing_state = 1;
  static constexpr std::uint8_t cancelled_state = 2;

  std::atomic<std::uint8_t> state_{running_state};
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::string reason_;
};

} // namespace stagehand
