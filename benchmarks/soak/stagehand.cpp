// The soak against `stagehand serve` in process: synchronous Echo submits
// on a few keep-alive connections for minutes, so that every request runs
// the whole path (row stored, scheduled, run as a session, ending written,
// answer) while system.db and its WAL grow. What a short run cannot show:
// checkpoints, a growing database and memory that is never given back.
#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/http_api_server.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

soak_result soak_stagehand(std::chrono::seconds duration) {
  http_api_server server;
  http_load load{server.port(), soak_connections};
  soak_result result;
  // After the server started and the clients connected, so that the
  // difference is what the soak itself left resident.
  result.rss_start = rss_bytes();
  result.load = load.run_for(duration, http_api_submit_sync, 200);
  // Before the server goes: its caches and queues are part of the figure.
  result.rss_end = rss_bytes();
  return result;
}

} // namespace stagehand::bench
