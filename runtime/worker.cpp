#include "runtime/worker.hpp"

#include <caf/send.hpp>

#include "cluster/join.hpp"
#include "cluster/worker_agent.hpp"
#include "core/errc.hpp"
#include "core/log.hpp"
#include "data/table_catalog.hpp"
#include "messages/type_fingerprint.hpp"

namespace stagehand {

namespace {

/// The config as a worker needs it before its actor system exists.
config& prepared(config& cfg) {
  cfg.enable_cluster();
  if (cfg.cluster.node_name.empty())
    cfg.cluster.node_name = default_node_name();
  return cfg;
}

} // namespace

worker::worker(config& cfg)
  : cfg_(prepared(cfg)), node_(cfg.cluster.node_name), system_(cfg),
    log_(make_logger(cfg.log_level)),
    codeunits_(std::make_shared<codeunit_registry>()),
    pool_(std::make_shared<thread_pool>(cfg.cluster.worker_capacity)),
    companies_(std::make_shared<company_directory>(
      cfg.data_dir,
      std::make_shared<const table_catalog>(table_catalog::standard()),
      cfg.database_pool_size, cfg.database_busy_timeout, cfg.synchronous())) {
  worker_agent_setup setup;
  setup.log = log_;
  setup.ended = [this](caf::error why) {
    end(std::move(why));
  };
  setup.executor = pool_;
  setup.codeunits = codeunits_;
  setup.companies = companies_;
  setup.coordinator = coordinator_node_;
  agent_ = system_.spawn(worker_agent, std::move(setup));
}

worker::~worker() {
  leave();
  if (watch_)
    caf::anon_send_exit(watch_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(agent_, caf::exit_reason::user_shutdown);
  pool_->shutdown();
}

caf::error worker::join(const std::string& host, std::uint16_t port) {
  if (door_)
    return make_error(errc::cluster_unavailable,
                      caf::make_message("already joined " + coordinator_));
  worker_join request;
  request.node = node_;
  request.capacity = cfg_.cluster.worker_capacity;
  request.codeunits = codeunits_->ids();
  request.types = message_types_fingerprint(cfg_);
  request.agent = agent_;
  auto started = std::chrono::steady_clock::now();
  auto joined = join_coordinator(system_, {host, port, cfg_.cluster.tls()},
                                 std::move(request), *coordinator_node_);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - started)
              .count();
  if (!joined) {
    log_->warn("event=join_failed host={} port={} ms={} reason=\"{}\"", host,
               port, ms, describe(joined.error()));
    return std::move(joined.error());
  }
  coordinator_ = joined->first.coordinator;
  door_ = joined->second;
  watch_ = watch_coordinator(system_, door_, coordinator_, log_,
                             worker_ended{[this](caf::error why) {
                               end(std::move(why));
                             }});
  log_->info("event=joined node={} coordinator={} host={} port={} tls={} "
             "ms={}",
             node_, coordinator_, host, port, cfg_.cluster.tls(), ms);
  return caf::none;
}

caf::error worker::wait() {
  std::unique_lock<std::mutex> guard{mtx_};
  cv_.wait(guard, [this] {
    return ended_.has_value();
  });
  return *ended_;
}

void worker::leave() {
  end(caf::none);
}

void worker::end(caf::error why) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (ended_)
    return;
  ended_ = std::move(why);
  cv_.notify_all();
}

} // namespace stagehand
