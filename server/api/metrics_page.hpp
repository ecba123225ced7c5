#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "core/metrics.hpp"
#include "core/node_load.hpp"
#include "server/http/http_metrics.hpp"
#include "server/operations/operation_counters.hpp"
#include "server/operations/operation_status.hpp"
#include "server/http/request_handler.hpp"

namespace stagehand {

/// `GET /metrics` in Prometheus' text format: the runtime's session and
/// task gauges, each node's load (`nodes`, one series per node under the
/// label `node`), stored operations by status, operations submitted and
/// ended since the start (`totals`), then the HTTP request counts and
/// latencies.
http_response
metrics_page(const counters& stats, const std::vector<node_load>& nodes,
             const std::map<operation_status, std::int64_t>& by_status,
             const http_metrics& http, const operation_totals& totals = {});

} // namespace stagehand
