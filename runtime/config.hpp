#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/timespan.hpp>

#include "runtime/session_limits.hpp"
#include "runtime/task_limits.hpp"

namespace stagehand {

/// Stagehand's settings live in CAF's own configuration, so that one INI file
/// (`caf-application.ini`, or `--config-file=`) and one command line set both
/// CAF and Stagehand. It also registers every message type that crosses an
/// actor boundary, so that actors can later live on different nodes.
///
/// ```ini
/// [stagehand]
/// child-sessions-max-concurrency=5
/// child-sessions-max-queue-length=100
/// page-background-task-default-timeout=2min
/// page-background-task-max-timeout=10min
/// codeunit-threads=256
/// log-level="info"
/// data-dir="./data"
/// database-pool-size=8
/// database-busy-timeout=5s
/// background-sessions-max-concurrent=10
/// background-sessions-max-queued=100
/// background-sessions-default-timeout=8h
/// maximum-session-recursion-depth=14
/// session-event-retention=2160h
/// session-event-purge-batch=500
/// session-event-purge-interval=1h
/// ```
class config : public caf::actor_system_config {
public:
  config();

  // -- settings (SPEC.md §1 defaults) -----------------------------------------

  task_limits limits;

  /// Background sessions (SPEC.md §2) and session event retention.
  session_limits sessions;

  /// Upper bound of threads that run blocking codeunit work, process-wide.
  std::size_t codeunit_threads = 256;

  /// Where company files live, `<data-dir>/<company>.db`.
  std::string data_dir = "./data";

  /// Read-only connections per company: at most this many child sessions
  /// query one company at once.
  std::size_t database_pool_size = 8;

  /// How long a writer waits for another writer's lock before failing.
  caf::timespan database_busy_timeout = std::chrono::seconds(5);

  /// spdlog level name: trace, debug, info, warn, err, critical or off.
  std::string log_level = "info";

  // -- validation -------------------------------------------------------------

  /// Checks the values after parsing; the error names the offending key.
  caf::error validate() const;
};

} // namespace stagehand
