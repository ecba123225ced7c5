#pragma once

#include <cstdint>
#include <map>

#include "runtime/metrics.hpp"
#include "server/http_metrics.hpp"
#include "server/operation_status.hpp"
#include "server/request_handler.hpp"

namespace stagehand {

/// `GET /metrics` in Prometheus' text format: the runtime's session and
/// task gauges, stored operations by status, then the HTTP request counts
/// and latencies.
http_response
metrics_page(const counters& stats,
             const std::map<operation_status, std::int64_t>& by_status,
             const http_metrics& http);

} // namespace stagehand
