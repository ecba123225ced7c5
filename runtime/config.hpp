#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

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
/// runtime-wait-timeout=24h
/// ; stagehand serve (issue 6)
/// http-address="127.0.0.1"
/// http-port=8080
/// http-threads=2
/// http-public-url=""   ; base of Location URLs; empty: http://ADDRESS:PORT
/// api-keys=["s3cret=alice", "t0p=root:admin"]   ; KEY=USER[:admin]
/// shutdown-grace-period=30s
/// operation-max-retries=3
/// operation-retry-initial-backoff=1s
/// operation-retry-backoff-factor=2.0
/// operation-retry-max-backoff=1min
/// operation-retry-jitter=0.2
/// operation-ttl=7776000s                  ; 90 days, at least 1s
/// operation-ttl-purge-interval=1min
/// operation-ttl-purge-batch=100
/// delivery-secret="..."                   ; signs callbacks and webhooks
/// callback-allowlist=["127.0.0.0/8", "::1", "localhost"]
/// delivery-max-attempts=8
/// delivery-initial-backoff=1s
/// delivery-max-backoff=1min
/// delivery-threads=2
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

  /// spdlog level name: trace, debug, info, warn, err, critical or off.
  std::string log_level = "info";

  // -- HTTP server (issue 6) --------------------------------------------------

  /// Address `stagehand serve` listens on.
  std::string http_address = "127.0.0.1";

  /// Port `stagehand serve` listens on; 0 picks a free one (tests).
  std::uint16_t http_port = 8080;

  /// Threads that serve HTTP connections. The system database is SQLite and
  /// blocks, so requests run here and never on CAF's scheduler threads.
  std::size_t http_threads = 2;

  /// Base of the `Location` URLs; empty means `http://ADDRESS:PORT` as bound.
  std::string http_public_url;

  /// Bearer keys, each `KEY=USER` or `KEY=USER:admin`. A request's key
  /// decides its user (the operation's run-as); admins see every operation.
  std::vector<std::string> api_keys;

  /// How long SIGTERM lets running operations finish before stopping them
  /// and marking them for retry.
  caf::timespan shutdown_grace_period = std::chrono::seconds(30);

  /// Retries after a failed attempt (SPEC.md §3: up to 3).
  std::size_t operation_max_retries = 3;

  /// Backoff before retry n is `initial * factor^(n-1)`, capped at `max`,
  /// then shortened by up to `jitter` (a fraction) at random.
  caf::timespan operation_retry_initial_backoff = std::chrono::seconds(1);
  double operation_retry_backoff_factor = 2.0;
  caf::timespan operation_retry_max_backoff = std::chrono::minutes(1);
  double operation_retry_jitter = 0.2;

  /// `ttlinseconds` of new operations: 90 days, at least 1 s.
  caf::timespan operation_ttl = std::chrono::seconds(7776000);

  /// How often expired operations are purged, and how many rows one
  /// transaction deletes, so that a purge never holds the database for long.
  caf::timespan operation_ttl_purge_interval = std::chrono::minutes(1);
  std::size_t operation_ttl_purge_batch = 100;

  /// HMAC-SHA256 key that signs callbacks and webhooks; empty means a random
  /// one per process, which receivers cannot verify (serve warns).
  std::string delivery_secret;

  /// Hosts and networks callbacks and webhooks may target; empty means
  /// loopback only. Blocks server-side request forgery.
  std::vector<std::string> callback_allowlist;

  /// Delivery attempts in all, and the backoff between them (doubling).
  std::size_t delivery_max_attempts = 8;
  caf::timespan delivery_initial_backoff = std::chrono::seconds(1);
  caf::timespan delivery_max_backoff = std::chrono::minutes(1);

  /// Deliveries in flight at once, each on a thread of its own.
  std::size_t delivery_threads = 2;

  // -- parsing and validation -------------------------------------------------

  /// CAF's `parse`, after checking every `stagehand.*` key of the INI file
  /// and the command line (see `option_checker`), with CAF's own errors put
  /// into words. A default page task timeout above the maximum is lowered to
  /// it, as any longer timeout is.
  caf::error parse(int argc, char** argv, const char* ini_file = nullptr);

  /// Checks the values after parsing. The error names the key, where it was
  /// set (file and line, or the argument), the rule and an example.
  caf::error validate() const;

  /// Renders an error of `parse` or `validate` as one plain sentence; other
  /// errors as CAF does. Hides CAF's static `render`, which would print
  /// `system_error(invalid_argument, ...)`.
  static std::string render(const caf::error& err);

  // -- listings ---------------------------------------------------------------

  /// Every `stagehand.*` key as INI lines, `KEY=VALUE ; meaning`: with the
  /// defaults, or with the values in effect after `parse`.
  std::string settings_text(bool effective) const;

private:
  /// `FILE:LINE` or the argument that set each key, for `validate`'s errors.
  std::map<std::string, std::string> origins_;

  /// Each key's default as INI text, taken from the option table.
  std::map<std::string, std::string> defaults_;

  caf::error refuse(const std::string& key, const std::string& why) const;
};

} // namespace stagehand
