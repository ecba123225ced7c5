#pragma once

#include <chrono>
#include <cstddef>

#include <caf/timespan.hpp>

namespace stagehand {

/// How background operations are retried, kept and stopped
/// (`stagehand.operation-*`, `stagehand.shutdown-grace-period`).
struct operation_settings {
  /// How long SIGTERM lets running operations finish before stopping them
  /// and marking them for retry.
  caf::timespan shutdown_grace_period = std::chrono::seconds(30);

  /// Retries after a failed attempt (SPEC.md §3: up to 3).
  std::size_t max_retries = 3;

  /// Backoff before retry n is `initial * factor^(n-1)`, capped at `max`,
  /// then shortened by up to `jitter` (a fraction) at random.
  caf::timespan retry_initial_backoff = std::chrono::seconds(1);
  double retry_backoff_factor = 2.0;
  caf::timespan retry_max_backoff = std::chrono::minutes(1);
  double retry_jitter = 0.2;

  /// `ttlinseconds` of new operations: 90 days, at least 1 s.
  caf::timespan ttl = std::chrono::seconds(7776000);

  /// How often expired operations are purged, and how many rows one
  /// transaction deletes, so that a purge never holds the database for long.
  caf::timespan ttl_purge_interval = std::chrono::minutes(1);
  std::size_t ttl_purge_batch = 100;
};

} // namespace stagehand
