// The soak's floor: the Beast floor server answers the soak's synchronous
// submits (with its fixed 202) on as many connections, for a short time:
// a floor that does no work does not drift, so seconds measure it.
#include "benchmarks/common/beast_floor_server.hpp"
#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

http_load::timed_result soak_beast_floor(std::chrono::seconds duration) {
  beast_floor_server server;
  http_load load{server.port(), soak_connections};
  return load.run_for(duration, http_api_submit_sync, 202);
}

} // namespace stagehand::bench
