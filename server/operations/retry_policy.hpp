#pragma once

#include <cstddef>

#include <caf/timespan.hpp>

#include "server/operations/operation_settings.hpp"

namespace stagehand {

/// When a failed attempt runs again (SPEC.md §3 leaves the schedule to us).
/// Retry n waits `initial * factor^(n-1)`, capped at `max`, shortened by a
/// random fraction of up to `jitter`, so that operations that failed
/// together do not all retry in the same instant.
class retry_policy {
public:
  /// The schedule of failed operation attempts (`operation-retry-*`).
  explicit retry_policy(const operation_settings& settings);

  /// Any other schedule, such as the notifier's for deliveries.
  retry_policy(std::size_t max_retries, caf::timespan initial, double factor,
               caf::timespan max, double jitter);

  std::size_t max_retries() const noexcept {
    return max_retries_;
  }

  /// The delay before retry `n` (1 for the first retry), with the jitter
  /// fraction taken from `u` in [0, 1).
  caf::timespan delay(std::size_t n, double u) const;

  /// The same with `u` drawn at random.
  caf::timespan delay(std::size_t n) const;

private:
  std::size_t max_retries_;
  caf::timespan initial_;
  double factor_;
  caf::timespan max_;
  double jitter_;
};

} // namespace stagehand
