#pragma once

#include <atomic>
#include <cstdint>

#include "server/operations/operation_status.hpp"

namespace stagehand {

/// What `operation_counters` has counted so far.
struct operation_totals {
  std::uint64_t submitted = 0;
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;
  std::uint64_t canceled = 0;
};

/// Operations submitted and ended since the server started. The stored rows
/// cannot give rates: the TTL purge deletes them, and a status count does
/// not say when a row got there. So the submit and the one place that
/// reports an operation terminal count here, and `/metrics` and the admin
/// page's rates read it.
class operation_counters {
public:
  void count_submitted(std::uint64_t n = 1) noexcept {
    submitted_.fetch_add(n, std::memory_order_relaxed);
  }

  /// Counts a terminal status; any other is not an ending and counts nothing.
  void count_ended(operation_status s) noexcept {
    if (s == operation_status::succeeded)
      succeeded_.fetch_add(1, std::memory_order_relaxed);
    else if (s == operation_status::failed)
      failed_.fetch_add(1, std::memory_order_relaxed);
    else if (s == operation_status::canceled)
      canceled_.fetch_add(1, std::memory_order_relaxed);
  }

  operation_totals snapshot() const noexcept {
    return {submitted_.load(std::memory_order_relaxed),
            succeeded_.load(std::memory_order_relaxed),
            failed_.load(std::memory_order_relaxed),
            canceled_.load(std::memory_order_relaxed)};
  }

private:
  std::atomic<std::uint64_t> submitted_{0};
  std::atomic<std::uint64_t> succeeded_{0};
  std::atomic<std::uint64_t> failed_{0};
  std::atomic<std::uint64_t> canceled_{0};
};

} // namespace stagehand
