#include "runtime/config.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/sec.hpp>
#include <spdlog/common.h>

#include "messages/message_types.hpp"
#include "core/errc.hpp"
#include "core/option_checker.hpp"
#include "core/prompt_clock_scheduler.hpp"

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
    .add(limits.cancel_ack_timeout, "cancel-ack-timeout",
         "how long a cancelled task on a worker holds its slot unacknowledged")
    .add(codeunit_threads, "codeunit-threads",
         "max threads running blocking codeunit work")
    .add(log_level, "log-level", "spdlog level (trace ... off)")
    .add(data_dir, "data-dir", "directory of the company database files")
    .add(database_pool_size, "database-pool-size",
         "read-only connections per company")
    .add(database_busy_timeout, "database-busy-timeout",
         "how long a writer waits for the write lock")
    .add(database_synchronous, "database-synchronous",
         "what a commit promises: normal (survives a crash of the process) "
         "or full (survives a power loss too)")
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
    .add(cluster.port, "cluster-port",
         "port the coordinator accepts workers on (0: none)")
    .add(cluster.address, "cluster-address",
         "address of the door; beyond loopback only with TLS")
    .add(cluster.certificate, "cluster-certificate",
         "this node's certificate (PEM) for mutual TLS")
    .add(cluster.key, "cluster-key", "this node's private key (PEM)")
    .add(cluster.ca, "cluster-ca", "CA that signed the cluster's certificates")
    .add(cluster.node_name, "node-name", "this node's name (empty: host:pid)")
    .add(cluster.worker_capacity, "worker-capacity",
         "codeunits a worker runs at once")
    .add(cluster.placement, "placement",
         "where work runs: local, spread or remote");
  record_defaults();
  // A lost node must be seen within a second. CAF 0.17 sends no heartbeats
  // by default, so a frozen (SIGSTOPped) peer would never be cut off; with
  // these, it is after about the timeout plus one interval. They take
  // effect only where the middleman is loaded, and CAF's own keys
  // (--middleman.heartbeat-interval=...) override them.
  set("middleman.heartbeat-interval",
      caf::timespan{default_heartbeat_interval});
  set("middleman.connection-timeout",
      caf::timespan{default_connection_timeout});
  // A codeunit's result comes back from a pool thread while the scheduler's
  // workers idle. CAF's moderate polling phase sleeps 50 us between polls and
  // ignores new work meanwhile; skipping it sends an idle worker from its
  // short spin straight to the condition variable that an enqueue signals.
  // A longer spin is no better: where codeunits keep the cores busy, a
  // spinning worker takes CPU from the one doing the work.
  set("work-stealing.moderate-poll-attempts", std::size_t{0});
  add_error_category(errc_category, render_errc);
  register_message_types(*this);
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
  if (limits.cancel_ack_timeout.count() <= 0)
    return invalid("cancel-ack-timeout", "must be positive");
  if (codeunit_threads == 0)
    return invalid("codeunit-threads", "must be at least 1");
  if (data_dir.empty())
    return invalid("data-dir", "must not be empty");
  if (database_pool_size == 0)
    return invalid("database-pool-size", "must be at least 1");
  if (database_busy_timeout.count() < 0)
    return invalid("database-busy-timeout", "must not be negative");
  if (!parse_synchronous(database_synchronous))
    return invalid("database-synchronous", "expected normal or full, got '"
                                             + database_synchronous + "'");
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
  if (auto problem = first_problem(cluster))
    return invalid(problem->key.c_str(), problem->why);
  if (spdlog::level::from_str(log_level) == spdlog::level::off
      && log_level != "off")
    return invalid("log-level", "expected one of trace, debug, info, warn, "
                                "err, critical or off");
  return caf::none;
}

void config::record_defaults() {
  for (auto& opt : custom_options_)
    if (opt.category() == "stagehand")
      defaults_.emplace(
        std::string{opt.long_name().begin(), opt.long_name().end()},
        ini_text(*opt.get()));
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
  if (cluster.node_name.empty())
    cluster.node_name = default_node_name();
  if (cluster.port != 0)
    enable_cluster();
  apply_tls();
  return caf::none;
}

void config::enable_cluster() {
  if (cluster_enabled_)
    return;
  cluster_enabled_ = true;
  load<caf::io::middleman>();
  load<caf::openssl::manager>();
  apply_tls();
}

void config::apply_tls() {
  // CAF's openssl manager asks for a peer certificate on both sides as soon
  // as any of these is set; only the three together make a usable door.
  if (!cluster.tls())
    return;
  set("openssl.certificate", cluster.certificate);
  set("openssl.key", cluster.key);
  set("openssl.cafile", cluster.ca);
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
