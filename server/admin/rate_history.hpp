#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "server/operations/operation_counters.hpp"

namespace stagehand {

/// The operations submitted, succeeded and failed per second over the last
/// minutes: the admin page's rates chart. Samples of the running totals go
/// in; rates come out as the difference of neighbouring samples over the
/// time between them, so a late sample gives a lower rate over a longer
/// interval, not a spike.
class rate_history {
public:
  struct rate {
    /// The end of the interval, in milliseconds since the epoch.
    std::int64_t time = 0;
    double submitted = 0;
    double succeeded = 0;
    double failed = 0;
  };

  /// Keeps the last `kept` samples.
  explicit rate_history(std::size_t kept = 601);

  /// Adds the totals as they stood at `time`. A sample that is not later
  /// than the last one is ignored.
  void record(std::int64_t time, const operation_totals& totals);

  /// One rate per interval between kept samples, oldest first.
  std::vector<rate> rates() const;

private:
  struct sample {
    std::int64_t time;
    operation_totals totals;
  };

  std::size_t kept_;
  mutable std::mutex mtx_;
  std::deque<sample> samples_;
};

} // namespace stagehand
