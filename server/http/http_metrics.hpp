#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "server/http/http_route.hpp"

namespace stagehand {

/// Request counts by route and status code, and request latency as a
/// histogram per route, for `GET /metrics`, and the connections the server
/// turned away. Latency runs from a request's last byte read to its answer
/// handed to the connection; for a request the connection itself refuses
/// (a malformed or oversized one), from its first byte to the refusal.
class http_metrics {
public:
  /// Upper bounds of the latency buckets, in seconds.
  static constexpr std::array<double, 12> bounds{
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
    0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

  void record(http_route route, unsigned code, std::chrono::nanoseconds latency);

  /// A connection over `http-max-connections`, answered 503.
  void connection_refused() noexcept {
    ++refused_;
  }

  /// A failed `accept`, such as EMFILE.
  void accept_failed() noexcept {
    ++accept_failures_;
  }

  std::uint64_t accept_failures() const noexcept {
    return accept_failures_;
  }

  /// Appends `stagehand_http_requests_total` and
  /// `stagehand_http_request_duration_seconds`, and the counters
  /// `stagehand_http_connections_refused_total` and
  /// `stagehand_http_accept_errors_total`, in Prometheus' text format.
  void render(std::string& out) const;

private:
  struct route_stats {
    std::map<unsigned, std::uint64_t> by_code;
    /// Not cumulative; `render` sums them up.
    std::array<std::uint64_t, bounds.size() + 1> buckets{};
    double sum = 0;
    std::uint64_t count = 0;
  };

  mutable std::mutex mtx_;
  std::array<route_stats, http_route_count> routes_;
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> accept_failures_{0};
};

} // namespace stagehand
