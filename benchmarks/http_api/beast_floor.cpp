// The floor under http_api: the Beast floor server
// (benchmarks/common/beast_floor_server.hpp), driven by the same client
// with the same requests, so the ratio is what Stagehand adds on top of
// HTTP on loopback. The one-client figures (end to end, round trip, $batch)
// all compare with one run of submits on one connection, each awaited: the
// fastest any server could answer that client.
#include "benchmarks/common/beast_floor_server.hpp"
#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

http_api_result http_api_beast_floor(const http_api_counts& n) {
  beast_floor_server server;
  http_load load{server.port(), n.connections};
  http_api_result result;
  result.submits = load.run(n.submits, http_api_submit, 202);
  result.gets = load.run(
    n.gets, [](std::int64_t) { return http_api_status(beast_floor_id); },
    200);
  return result;
}

http_load::result http_api_sequential_beast_floor(std::int64_t requests) {
  beast_floor_server server;
  http_load load{server.port(), 1};
  return load.run(requests, http_api_submit, 202);
}

} // namespace stagehand::bench
