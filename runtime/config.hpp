#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <caf/actor_system_config.hpp>
#include <caf/timespan.hpp>

#include "core/cluster_settings.hpp"
#include "core/session_limits.hpp"
#include "core/task_limits.hpp"
#include "data/synchronous_mode.hpp"

namespace stagehand {

/// Stagehand's settings live in CAF's own configuration, so that one INI file
/// (`caf-application.ini`, or `--config-file=`) and one command line set both
/// CAF and Stagehand. It also registers every message type that crosses an
/// actor boundary (`register_message_types`), so that actors can later live on
/// different nodes. A tool that adds keys of its own derives from it, as
/// `serve_config` does.
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
/// runtime-wait-timeout=24h
/// cluster-port=0
/// cluster-address="127.0.0.1"
/// cluster-certificate=""
/// cluster-key=""
/// cluster-ca=""
/// node-name=""
/// worker-capacity=8
/// placement="spread"
/// ; `stagehand serve` adds its own keys: see `serve_config`.
/// ```
class config : public caf::actor_system_config {
public:
  config();

  // -- settings (SPEC.md §1 defaults) -----------------------------------------

  task_limits limits;

  /// Background sessions (SPEC.md §2) and session event retention.
  session_limits sessions;

  /// How long a `runtime` call waits for an answer that depends on codeunits
  /// (`wait_session`, `on_session_outcome`, `run_page_background_task`,
  /// `wait_all_tasks_done`, a web-service enqueue) before it gives up with
  /// `no_answer`. Calls that actors answer at once use
  /// `runtime_reply_timeout` instead.
  caf::timespan runtime_wait_timeout = std::chrono::hours(24);

  /// Upper bound of threads that run blocking codeunit work, process-wide.
  std::size_t codeunit_threads = 256;

  /// Where company files live, `<data-dir>/<company>.db`.
  std::string data_dir = "./data";

  /// Read-only connections per company: at most this many child sessions
  /// query one company at once.
  std::size_t database_pool_size = 8;

  /// How long a writer waits for another writer's lock before failing.
  caf::timespan database_busy_timeout = std::chrono::seconds(5);

  /// `normal` or `full`: what a commit to any of our SQLite files promises
  /// (see `synchronous_mode`); `synchronous()` reads it.
  std::string database_synchronous = "normal";

  /// `database_synchronous`, which `validate` has checked.
  synchronous_mode synchronous() const {
    return parse_synchronous(database_synchronous)
      .value_or(synchronous_mode::normal);
  }

  /// spdlog level name: trace, debug, info, warn, err, critical or off.
  std::string log_level = "info";

  /// The coordinator's door, the worker's identity and placement. The node
  /// name is filled in by `parse` when empty.
  cluster_settings cluster;

  // -- clustering -------------------------------------------------------------

  /// Loads CAF's middleman and `caf::openssl::manager`, once; `parse` calls
  /// it when `cluster-port` is set, and `stagehand::worker` always. Call it
  /// before the runtime exists to use `runtime::listen_for_workers` without
  /// a `cluster-port`. It is not loaded by default, so that a runtime that
  /// never clusters starts no network thread. Do not also
  /// `load<caf::io::middleman>()` on a config that calls it.
  void enable_cluster();

  /// True once `enable_cluster` has loaded the modules.
  bool cluster_enabled() const {
    return cluster_enabled_;
  }

  // -- parsing and validation -------------------------------------------------

  /// CAF's `parse`, after checking every `stagehand.*` key of the INI file
  /// and the command line (see `option_checker`), with CAF's own errors put
  /// into words. A default page task timeout above the maximum is lowered to
  /// it, as any longer timeout is.
  caf::error parse(int argc, char** argv, const char* ini_file = nullptr);

  /// Checks the values after parsing. The error names the key, where it was
  /// set (file and line, or the argument), the rule and an example.
  virtual caf::error validate() const;

  /// Renders an error of `parse` or `validate` as one plain sentence; other
  /// errors as CAF does. Hides CAF's static `render`, which would print
  /// `system_error(invalid_argument, ...)`.
  static std::string render(const caf::error& err);

  // -- listings ---------------------------------------------------------------

  /// Every `stagehand.*` key as INI lines, `KEY=VALUE ; meaning`: with the
  /// defaults, or with the values in effect after `parse`.
  std::string settings_text(bool effective) const;

protected:
  /// Remembers the default of every `stagehand.*` key registered so far, for
  /// `settings_text` and for `refuse`'s examples. A derived config calls it
  /// after adding its keys.
  void record_defaults();

  /// The error for `key`'s value: why, where it was set, and an example.
  caf::error refuse(const std::string& key, const std::string& why) const;

private:
  /// `FILE:LINE` or the argument that set each key, for `validate`'s errors.
  std::map<std::string, std::string> origins_;

  /// Each key's default as INI text, taken from the option table.
  std::map<std::string, std::string> defaults_;

  /// Maps the TLS files onto CAF's `openssl.*` options.
  void apply_tls();

  bool cluster_enabled_ = false;
};

} // namespace stagehand
