// `stagehand serve` in process, driven over HTTP/1.1 keep-alive
// connections. It measures accepted asynchronous submits of sample_Echo
// (202, each row committed to system.db before its answer) and then status
// GETs of the submitted ids, while the scheduler runs the operations in the
// background as it would in production, and then as many `GET /healthz`.
#include <mutex>
#include <string>

#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/http_api_server.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

http_api_result http_api_stagehand(const http_api_counts& n) {
  http_api_server server;
  std::mutex mtx;
  std::vector<std::string> ids;
  ids.reserve(static_cast<std::size_t>(n.submits));
  http_load load{server.port(), n.connections};
  http_api_result result;
  result.submits = load.run(
    n.submits, http_api_submit, 202,
    [&](std::int64_t, const http_load::response& res) {
      std::lock_guard<std::mutex> guard{mtx};
      ids.emplace_back(res["x-ms-dyn-backgroundoperationid"]);
    });
  result.gets = load.run(
    n.gets,
    [&ids](std::int64_t i) {
      return http_api_status(ids[static_cast<std::size_t>(i) % ids.size()]);
    },
    200);
  result.healthz = load.run(
    n.gets,
    [](std::int64_t) {
      return http_api_request(boost::beast::http::verb::get, "/healthz");
    },
    200);
  return result;
}

} // namespace stagehand::bench
