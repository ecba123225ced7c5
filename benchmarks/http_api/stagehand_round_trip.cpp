// The synchronous round trip: one client submits Echo without
// `Prefer: respond-async`, one after another on one connection, so that
// each answer (200 with the outputs) comes only once the scheduler has run
// the operation. The latency is a job queue's enqueue-to-result time.
#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/http_api_server.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

std::vector<double> http_api_round_trip_stagehand(std::int64_t submits) {
  http_api_server server;
  http_load load{server.port(), 1};
  return load.run(submits, http_api_submit_sync, 200).latencies;
}

} // namespace stagehand::bench
