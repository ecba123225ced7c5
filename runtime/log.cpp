#include "runtime/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace stagehand {

std::shared_ptr<spdlog::logger> make_logger(const std::string& level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto log = std::make_shared<spdlog::logger>("stagehand", std::move(sink));
  log->set_pattern("%Y-%m-%dT%H:%M:%S.%e level=%l %v");
  log->set_level(spdlog::level::from_str(level));
  return log;
}

} // namespace stagehand
