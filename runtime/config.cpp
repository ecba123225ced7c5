#include "runtime/config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <caf/sec.hpp>
#include <spdlog/common.h>

#include "messages/attach_page.hpp"
#include "messages/background_task.hpp"
#include "messages/blocking_done.hpp"
#include "messages/cancel_reason.hpp"
#include "messages/cancel_task.hpp"
#include "messages/cancel_tasks.hpp"
#include "messages/change_record.hpp"
#include "messages/child_finished.hpp"
#include "messages/close_page.hpp"
#include "messages/close_session.hpp"
#include "messages/codeunit_returned.hpp"
#include "messages/dictionary.hpp"
#include "messages/enqueue_task.hpp"
#include "messages/error_level.hpp"
#include "messages/open_page.hpp"
#include "messages/open_session.hpp"
#include "messages/page_detached.hpp"
#include "messages/page_handle.hpp"
#include "messages/page_notification.hpp"
#include "messages/page_task_cancelled.hpp"
#include "messages/page_task_completed.hpp"
#include "messages/page_task_error.hpp"
#include "messages/page_task_started.hpp"
#include "messages/page_tasks_done.hpp"
#include "messages/run_task_now.hpp"
#include "messages/session_ended.hpp"
#include "messages/session_finished.hpp"
#include "messages/session_handle.hpp"
#include "messages/session_outcome.hpp"
#include "messages/session_timeout.hpp"
#include "messages/start_session.hpp"
#include "messages/stop_session.hpp"
#include "messages/submit_task.hpp"
#include "messages/task_admitted.hpp"
#include "messages/task_error.hpp"
#include "messages/task_finished.hpp"
#include "messages/task_outcome.hpp"
#include "messages/task_rejected.hpp"
#include "messages/task_started.hpp"
#include "messages/timeout_tick.hpp"
#include "messages/write_done.hpp"
#include "runtime/api_key.hpp"
#include "runtime/errc.hpp"
#include "runtime/option_checker.hpp"
#include "runtime/prompt_clock_scheduler.hpp"

namespace stagehand {

config::config() {
  opt_group{custom_options_, "stagehand"}
    .add(limits.max_concurrency, "child-sessions-max-concurrency",
         "tasks that run at once per parent session")
    .add(limits.max_queue_length, "child-sessions-max-queue-length",
         "tasks that may wait per parent session")
    .add(limits.default_timeout, "page-background-task-default-timeout",
         "timeout of a task enqueued without one")
    .add(limits.max_timeout, "page-background-task-max-timeout",
         "longest timeout a task may have")
    .add(limits.subscriber_reply_timeout, "subscriber-reply-timeout",
         "how long a page awaits its subscriber's IsHandled answer")
    .add(codeunit_threads, "codeunit-threads",
         "max threads running blocking codeunit work")
    .add(log_level, "log-level", "spdlog level (trace ... off)")
    .add(data_dir, "data-dir", "directory of the company database files")
    .add(database_pool_size, "database-pool-size",
         "read-only connections per company")
    .add(database_busy_timeout, "database-busy-timeout",
         "how long a writer waits for the write lock")
    .add(sessions.max_concurrent, "background-sessions-max-concurrent",
         "background sessions that run at once (0: no limit)")
    .add(sessions.max_queued, "background-sessions-max-queued",
         "background sessions that may wait (0: no limit)")
    .add(sessions.default_timeout, "background-sessions-default-timeout",
         "timeout of a background session started without one")
    .add(sessions.max_recursion_depth, "maximum-session-recursion-depth",
         "background sessions in one chain of sessions starting sessions")
    .add(sessions.event_retention, "session-event-retention",
         "how long session events are kept")
    .add(sessions.purge_batch, "session-event-purge-batch",
         "session events deleted per purge transaction")
    .add(sessions.purge_interval, "session-event-purge-interval",
         "how often old session events are purged")
    .add(runtime_wait_timeout, "runtime-wait-timeout",
         "longest a runtime call waits for codeunits to answer")
    // -- HTTP server (issue 6) ---
    .add(http_address, "http-address", "address stagehand serve listens on")
    .add(http_port, "http-port", "port stagehand serve listens on (0: any)")
    .add(http_threads, "http-threads", "threads serving HTTP connections")
    .add(http_public_url, "http-public-url",
         "base of Location URLs (default http://ADDRESS:PORT)")
    .add(http_max_connections, "http-max-connections",
         "connections open at once; one more is answered 503")
    .add(http_header_timeout, "http-header-timeout",
         "time a request header may take before its connection closes")
    .add(api_keys, "api-keys", "bearer keys, each KEY=USER or KEY=USER:admin")
    .add(shutdown_grace_period, "shutdown-grace-period",
         "how long running operations may finish after SIGTERM")
    .add(operation_max_retries, "operation-max-retries",
         "retries after a failed operation attempt")
    .add(operation_retry_initial_backoff, "operation-retry-initial-backoff",
         "delay before the first retry")
    .add(operation_retry_backoff_factor, "operation-retry-backoff-factor",
         "growth of the delay per retry")
    .add(operation_retry_max_backoff, "operation-retry-max-backoff",
         "longest delay before a retry")
    .add(operation_retry_jitter, "operation-retry-jitter",
         "fraction by which a delay is shortened at random")
    .add(operation_ttl, "operation-ttl", "ttlinseconds of new operations")
    .add(operation_ttl_purge_interval, "operation-ttl-purge-interval",
         "how often expired operations are purged")
    .add(operation_ttl_purge_batch, "operation-ttl-purge-batch",
         "expired operations deleted per transaction")
    .add(delivery_secret, "delivery-secret",
         "HMAC-SHA256 key of callback and webhook signatures")
    .add(callback_allowlist, "callback-allowlist",
         "hosts and networks callbacks may target (empty: loopback)")
    .add(delivery_max_attempts, "delivery-max-attempts",
         "attempts per callback or webhook delivery")
    .add(delivery_initial_backoff, "delivery-initial-backoff",
         "wait after a delivery's first failed attempt")
    .add(delivery_max_backoff, "delivery-max-backoff",
         "longest wait between delivery attempts")
    .add(delivery_threads, "delivery-threads", "deliveries in flight at once");
  for (auto& opt : custom_options_)
    if (opt.category() == "stagehand")
      defaults_.emplace(
        std::string{opt.long_name().begin(), opt.long_name().end()},
        ini_text(*opt.get()));
  // A codeunit's result comes back from a pool thread while the scheduler's
  // workers idle. CAF's moderate polling phase sleeps 50 us between polls and
  // ignores new work meanwhile; skipping it sends an idle worker from its
  // short spin straight to the condition variable that an enqueue signals.
  // A longer spin is no better: where codeunits keep the cores busy, a
  // spinning worker takes CPU from the one doing the work.
  set("work-stealing.moderate-poll-attempts", std::size_t{0});
  add_error_category(errc_category, render_errc);
  add_message_type<dictionary>("stagehand::dictionary");
  add_message_type<error_level>("stagehand::error_level");
  add_message_type<cancel_reason>("stagehand::cancel_reason");
  add_message_type<task_error>("stagehand::task_error");
  add_message_type<task_outcome>("stagehand::task_outcome");
  add_message_type<background_task>("stagehand::background_task");
  add_message_type<enqueue_task>("stagehand::enqueue_task");
  add_message_type<run_task_now>("stagehand::run_task_now");
  add_message_type<cancel_task>("stagehand::cancel_task");
  add_message_type<change_record>("stagehand::change_record");
  add_message_type<close_page>("stagehand::close_page");
  add_message_type<task_admitted>("stagehand::task_admitted");
  add_message_type<task_rejected>("stagehand::task_rejected");
  add_message_type<task_started>("stagehand::task_started");
  add_message_type<task_finished>("stagehand::task_finished");
  add_message_type<write_done>("stagehand::write_done");
  add_message_type<submit_task>("stagehand::submit_task");
  add_message_type<cancel_tasks>("stagehand::cancel_tasks");
  add_message_type<child_finished>("stagehand::child_finished");
  add_message_type<timeout_tick>("stagehand::timeout_tick");
  add_message_type<codeunit_returned>("stagehand::codeunit_returned");
  add_message_type<attach_page>("stagehand::attach_page");
  add_message_type<page_detached>("stagehand::page_detached");
  add_message_type<close_session>("stagehand::close_session");
  add_message_type<session_outcome>("stagehand::session_outcome");
  add_message_type<start_session>("stagehand::start_session");
  add_message_type<stop_session>("stagehand::stop_session");
  add_message_type<session_finished>("stagehand::session_finished");
  add_message_type<session_timeout>("stagehand::session_timeout");
  // -- the actor-native embedding API (issue 13) ---
  add_message_type<open_session>("stagehand::open_session");
  add_message_type<open_page>("stagehand::open_page");
  add_message_type<session_handle>("stagehand::session_handle");
  add_message_type<page_handle>("stagehand::page_handle");
  add_message_type<blocking_done>("stagehand::blocking_done");
  add_message_type<page_task_started>("stagehand::page_task_started");
  add_message_type<page_task_completed>("stagehand::page_task_completed");
  add_message_type<page_task_error>("stagehand::page_task_error");
  add_message_type<page_task_cancelled>("stagehand::page_task_cancelled");
  add_message_type<page_notification>("stagehand::page_notification");
  add_message_type<page_tasks_done>("stagehand::page_tasks_done");
  add_message_type<session_ended>("stagehand::session_ended");
  // CAF 0.17's clock holds due timers back while actors keep ending.
  use_prompt_clock(*this);
}

caf::error config::validate() const {
  auto invalid = [this](const char* key, const std::string& why) {
    return refuse(key, why);
  };
  if (limits.max_concurrency == 0)
    return invalid("child-sessions-max-concurrency", "must be at least 1");
  if (limits.default_timeout.count() <= 0)
    return invalid("page-background-task-default-timeout", "must be positive");
  if (limits.max_timeout < limits.default_timeout) // only if set in code
    return invalid("page-background-task-max-timeout",
                   "must not be below page-background-task-default-timeout ("
                     + ini_text(caf::config_value{limits.default_timeout})
                     + "); config::parse lowers the default for you");
  if (limits.subscriber_reply_timeout.count() <= 0)
    return invalid("subscriber-reply-timeout", "must be positive");
  if (codeunit_threads == 0)
    return invalid("codeunit-threads", "must be at least 1");
  if (data_dir.empty())
    return invalid("data-dir", "must not be empty");
  if (database_pool_size == 0)
    return invalid("database-pool-size", "must be at least 1");
  if (database_busy_timeout.count() < 0)
    return invalid("database-busy-timeout", "must not be negative");
  if (sessions.default_timeout.count() <= 0)
    return invalid("background-sessions-default-timeout", "must be positive");
  if (sessions.max_recursion_depth == 0)
    return invalid("maximum-session-recursion-depth", "must be at least 1");
  if (sessions.event_retention.count() <= 0)
    return invalid("session-event-retention", "must be positive");
  if (sessions.purge_batch == 0)
    return invalid("session-event-purge-batch", "must be at least 1");
  if (sessions.purge_interval.count() <= 0)
    return invalid("session-event-purge-interval", "must be positive");
  if (runtime_wait_timeout.count() <= 0)
    return invalid("runtime-wait-timeout", "must be positive");
  // -- HTTP server (issue 6) ---
  if (http_address.empty())
    return invalid("http-address", "must not be empty");
  if (http_threads == 0)
    return invalid("http-threads", "must be at least 1");
  if (http_max_connections == 0)
    return invalid("http-max-connections", "must be at least 1");
  if (http_header_timeout < std::chrono::milliseconds(1))
    return invalid("http-header-timeout", "must be at least 1ms");
  if (auto why = check_api_keys(api_keys); !why.empty())
    return invalid("api-keys", why);
  if (shutdown_grace_period.count() < 0)
    return invalid("shutdown-grace-period", "must not be negative");
  if (operation_retry_initial_backoff.count() < 0)
    return invalid("operation-retry-initial-backoff", "must not be negative");
  if (!(operation_retry_backoff_factor >= 1.0))
    return invalid("operation-retry-backoff-factor", "must be at least 1");
  if (operation_retry_max_backoff < operation_retry_initial_backoff)
    return invalid(
      "operation-retry-max-backoff",
      "must not be below operation-retry-initial-backoff ("
        + ini_text(caf::config_value{operation_retry_initial_backoff})
        + "); lower that one too");
  if (!(operation_retry_jitter >= 0.0 && operation_retry_jitter <= 1.0))
    return invalid("operation-retry-jitter", "must be between 0 and 1");
  if (operation_ttl < std::chrono::seconds(1))
    return invalid("operation-ttl", "must be at least 1s");
  if (operation_ttl_purge_interval.count() <= 0)
    return invalid("operation-ttl-purge-interval", "must be positive");
  if (operation_ttl_purge_batch == 0)
    return invalid("operation-ttl-purge-batch", "must be at least 1");
  if (delivery_max_attempts == 0)
    return invalid("delivery-max-attempts", "must be at least 1");
  if (delivery_initial_backoff.count() < 0)
    return invalid("delivery-initial-backoff", "must not be negative");
  if (delivery_max_backoff < delivery_initial_backoff)
    return invalid("delivery-max-backoff",
                   "must not be below delivery-initial-backoff ("
                     + ini_text(caf::config_value{delivery_initial_backoff})
                     + "); lower that one too");
  if (delivery_threads == 0)
    return invalid("delivery-threads", "must be at least 1");
  if (spdlog::level::from_str(log_level) == spdlog::level::off
      && log_level != "off")
    return invalid("log-level", "expected one of trace, debug, info, warn, "
                                "err, critical or off");
  return caf::none;
}

caf::error config::refuse(const std::string& key,
                          const std::string& why) const {
  auto* opt = custom_options_.qualified_name_lookup("stagehand." + key);
  auto value = opt != nullptr ? ini_text(*opt->get()) : std::string{};
  auto fallback = defaults_.count(key) > 0 ? defaults_.at(key) : value;
  auto origin = origins_.find(key);
  if (origin == origins_.end())
    return option_checker::make("stagehand." + key + "=" + value + ": " + why
                                + " (default " + fallback + ")");
  if (origin->second.compare(0, 2, "--") == 0) // set on the command line
    return option_checker::make(origin->second + ": " + why
                                + ", for example --stagehand." + key + "="
                                + fallback);
  return option_checker::make(origin->second + ": stagehand." + key + "="
                              + value + ": " + why + ", for example " + key
                              + "=" + fallback);
}

// -- parsing ------------------------------------------------------------------

caf::error config::parse(int argc, char** argv, const char* ini_file) {
  std::vector<std::string> args{argv + std::min(argc, 1), argv + argc};
  std::string path = ini_file != nullptr ? ini_file : "caf-application.ini";
  auto named = ini_file != nullptr;
  for (auto& arg : args) {
    if (arg == "--" || arg.empty() || arg.front() != '-')
      break;
    if (arg.compare(0, 14, "--config-file=") == 0) {
      path = arg.substr(14);
      named = true;
    }
  }
  origins_.clear();
  option_checker check{custom_options_, "stagehand", defaults_};
  if (std::ifstream in{path}; in) {
    if (auto err = check.check_ini(in, path, origins_))
      return err;
  } else if (named) {
    return option_checker::make("cannot open the configuration file " + path
                                + ": " + std::strerror(errno));
  }
  if (auto err = check.check_cli(args, origins_))
    return err;
  if (auto err = caf::actor_system_config::parse(argc, argv, ini_file))
    return option_checker::translate(err, path);
  // A maximum below the default lowers the default too, as it caps any
  // other timeout: no rule between the two keys to learn.
  limits.default_timeout = std::min(limits.default_timeout, limits.max_timeout);
  return caf::none;
}

std::string config::render(const caf::error& err) {
  if (err && err.category() == caf::atom("system")
      && err.code() == static_cast<std::uint8_t>(caf::sec::invalid_argument)
      && err.context().match_elements<std::string>())
    return err.context().get_as<std::string>(0);
  return caf::actor_system_config::render(err);
}

// -- listings -----------------------------------------------------------------

std::string config::settings_text(bool effective) const {
  std::ostringstream out;
  out << "[stagehand]\n";
  for (auto& opt : custom_options_) {
    if (opt.category() != "stagehand")
      continue;
    std::string key{opt.long_name().begin(), opt.long_name().end()};
    auto line
      = key + "=" + (effective ? ini_text(*opt.get()) : defaults_.at(key));
    if (line.size() < 46)
      line.resize(46, ' ');
    out << line << " ; "
        << std::string{opt.description().begin(), opt.description().end()}
        << '\n';
  }
  return out.str();
}

} // namespace stagehand
