#pragma once

#include <chrono>
#include <cstddef>

#include <caf/timespan.hpp>

namespace stagehand {

/// The background session settings of SPEC.md §2, per server, plus how long
/// session events are kept. Defaults are the platform's.
struct session_limits {
  /// BackgroundSessionsMaxConcurrent; 0 means no limit.
  std::size_t max_concurrent = 10;
  /// BackgroundSessionsMaxQueued; 0 means no limit. Over it, starting fails.
  std::size_t max_queued = 100;
  /// BackgroundSessionsDefaultTimeout.
  caf::timespan default_timeout = std::chrono::hours(8);
  /// MaximumSessionRecursionDepth: background sessions in one chain of
  /// sessions starting sessions.
  std::size_t max_recursion_depth = 14;
  /// Session events older than this are purged.
  caf::timespan event_retention = std::chrono::hours(24 * 90);
  /// Rows deleted per purge transaction, so a purge never holds the write
  /// lock for long.
  std::size_t purge_batch = 500;
  /// How often the purge runs.
  caf::timespan purge_interval = std::chrono::hours(1);
};

} // namespace stagehand
