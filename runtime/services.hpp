#pragma once

#include <memory>

#include <spdlog/logger.h>

#include "runtime/blocking_executor.hpp"
#include "runtime/codeunit_registry.hpp"
#include "runtime/company_directory.hpp"
#include "runtime/metrics.hpp"
#include "runtime/page_event.hpp"
#include "runtime/task_limits.hpp"

namespace stagehand {

/// What every session, page and child actor of one runtime shares. Immutable
/// once actors run; the pieces inside are thread-safe.
struct services {
  task_limits limits;
  std::shared_ptr<codeunit_registry> codeunits;
  std::shared_ptr<blocking_executor> executor;
  std::shared_ptr<metrics> stats;
  /// May be null: a runtime without company databases.
  std::shared_ptr<company_directory> companies;
  /// May be empty.
  page_observer observer;
  std::shared_ptr<spdlog::logger> log;
};

using services_ptr = std::shared_ptr<const services>;

} // namespace stagehand
