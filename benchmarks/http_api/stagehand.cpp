// `stagehand serve` in process: the real operation_server over a runtime
// with the sample operations, on a loopback port, driven over HTTP/1.1
// keep-alive connections. It measures accepted asynchronous submits of
// sample_Echo (202, each row committed to system.db before its answer) and
// then status GETs of the submitted ids, while the scheduler runs the
// operations in the background as it would in production.
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "core/log.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"
#include "server/operation_server.hpp"
#include "samples/sample_operations.hpp"
#include "server/scheduler/session_operation_runner.hpp"

namespace stagehand::bench {

namespace {

std::string http_api_data_dir() {
  return (std::filesystem::temp_directory_path()
          / ("stagehand-bench-http-api-" + std::to_string(::getpid())))
    .string();
}

} // namespace

http_api_result http_api_stagehand(const http_api_counts& n) {
  auto dir = http_api_data_dir();
  std::filesystem::remove_all(dir);
  serve_config cfg;
  cfg.log_level = "off";
  cfg.data_dir = dir;
  cfg.http.port = 0;
  cfg.security.api_keys = {std::string{http_api_key} + "=bench"};
  // The backlog of Echo operations left at the end is not what is measured;
  // shutdown leaves it Ready in system.db, which goes with the directory.
  cfg.operations.shutdown_grace_period = std::chrono::seconds(1);
  if (auto err = cfg.validate())
    throw std::runtime_error{"http_api: " + cfg.render(err)};
  http_api_result result;
  {
    runtime rt{cfg};
    operation_registry registry;
    if (auto err = samples::register_sample_codeunits(rt.codeunits());
        err || (err = register_sample_operations(registry)))
      throw std::runtime_error{"http_api: " + cfg.render(err)};
    session_operation_runner runner{rt};
    operation_server server{cfg, registry, runner, make_logger(cfg.log_level)};
    server.set_runtime_counters([&rt] { return rt.stats(); });
    if (auto err = server.start())
      throw std::runtime_error{"http_api: " + cfg.render(err)};
    std::mutex mtx;
    std::vector<std::string> ids;
    ids.reserve(static_cast<std::size_t>(n.submits));
    {
      http_load load{server.port(), n.connections};
      result.submits = load.run(
        n.submits, http_api_submit, 202,
        [&](const http_load::response& res) {
          std::lock_guard<std::mutex> guard{mtx};
          ids.emplace_back(res["x-ms-dyn-backgroundoperationid"]);
        });
      result.gets = load.run(
        n.gets,
        [&ids](std::int64_t i) {
          return http_api_status(ids[static_cast<std::size_t>(i) % ids.size()]);
        },
        200);
    }
    server.shutdown();
  }
  std::filesystem::remove_all(dir);
  return result;
}

} // namespace stagehand::bench
