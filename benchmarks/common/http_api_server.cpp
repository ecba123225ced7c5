#include "benchmarks/common/http_api_server.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

#include "benchmarks/common/http_api_requests.hpp"
#include "core/log.hpp"
#include "samples/sample_codeunits.hpp"
#include "samples/sample_operations.hpp"

namespace stagehand::bench {

http_api_server::http_api_server() {
  cfg_.log_level = "off";
  cfg_.data_dir = data_.path().string();
  cfg_.http.port = 0;
  cfg_.security.api_keys = {std::string{http_api_key} + "=bench"};
  // Bounds the shutdown when a backlog is still running at the end.
  cfg_.operations.shutdown_grace_period = std::chrono::seconds(1);
  if (auto err = cfg_.validate())
    throw std::runtime_error{"http_api: " + cfg_.render(err)};
  rt_ = std::make_unique<runtime>(cfg_);
  if (auto err = samples::register_sample_codeunits(rt_->codeunits());
      err || (err = register_sample_operations(registry_)))
    throw std::runtime_error{"http_api: " + cfg_.render(err)};
  runner_ = std::make_unique<session_operation_runner>(*rt_);
  server_ = std::make_unique<operation_server>(cfg_, registry_, *runner_,
                                               make_logger(cfg_.log_level));
  server_->set_runtime_counters([rt = rt_.get()] { return rt->stats(); });
  if (auto err = server_->start())
    throw std::runtime_error{"http_api: " + cfg_.render(err)};
}

} // namespace stagehand::bench
