#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "server/operations/operation_record.hpp"

namespace stagehand {

/// Why an operation's attempt ended without success, and what the scheduler
/// knows to decide its next state. Every such ending goes through one
/// decision, `decide`, so that a cancel request wins over a release, a retry
/// and a failure alike: a row with a cancel request ends Canceled at once.
struct attempt_end {
  enum class cause {
    /// The runner refused to start it (the background-session queue is
    /// full): Ready again, not counted.
    refused,
    /// It cannot run (its name is no longer registered): Failed.
    unrunnable,
    /// It ran and failed or timed out: retried while retries are left.
    failed,
    /// It was stopped (shutdown): retried at once if it had started, Ready
    /// again uncounted if it was still waiting for a session slot.
    interrupted,
  };

  cause why = cause::failed;
  std::string error_code;
  std::string error_message;
  std::int64_t now = 0;
  /// How many retries an operation gets in all.
  std::int64_t max_retries = 0;
  /// When retry number `n` (1 for the first) is due.
  std::function<std::int64_t(std::int64_t n)> retry_at;
};

/// What an `attempt_end` makes of an operation.
enum class attempt_verdict {
  /// It was no longer claimed nor running: someone else ended it.
  none,
  released,
  retried,
  failed,
  canceled,
};

/// The one decision between cancel, fail, retry and release for `cur`, the
/// operation's row as it is now.
attempt_verdict decide(const operation_record& cur, const attempt_end& end);

} // namespace stagehand
