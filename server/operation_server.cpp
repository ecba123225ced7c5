#include "server/operation_server.hpp"

#include <filesystem>

#include <caf/sec.hpp>

namespace stagehand {

operation_server::operation_server(const serve_config& cfg,
                                   const operation_registry& registry,
                                   operation_runner& runner,
                                   std::shared_ptr<spdlog::logger> log)
  : cfg_(cfg), registry_(registry), runner_(runner), log_(std::move(log)) {}

operation_server::~operation_server() {
  shutdown();
}

void operation_server::set_completion_sink(completion_sink sink) {
  sink_ = std::move(sink);
}

void operation_server::set_target_check(std::unique_ptr<target_check> check) {
  check_ = std::move(check);
}

void operation_server::set_runtime_counters(std::function<counters()> fn) {
  counters_ = std::move(fn);
}

void operation_server::set_node_loads(
  std::function<std::vector<node_load>()> fn) {
  node_loads_ = std::move(fn);
}

void operation_server::set_admin_sources(admin_sources sources) {
  admin_ = std::move(sources);
}

caf::error operation_server::start() {
  std::error_code ec;
  std::filesystem::create_directories(cfg_.data_dir, ec);
  auto path = (std::filesystem::path{cfg_.data_dir} / "system.db").string();
  auto store = operation_store::open(path, cfg_.database_busy_timeout,
                                     cfg_.http.threads, cfg_.synchronous());
  if (!store)
    return store.error();
  store_ = std::move(*store);
  scheduler_ = std::make_unique<operation_scheduler>(cfg_.operations, store_,
                                                     registry_, runner_, log_);
  scheduler_->set_completion_sink(sink_);
  if (!check_)
    check_ = std::make_unique<target_check>(callback_allowlist{});
  api_ = std::make_unique<operations_api>(cfg_.security, cfg_.operations,
                                          *store_, registry_, *scheduler_,
                                          metrics_, *check_);
  api_->set_runtime_counters(counters_);
  api_->set_node_loads(node_loads_);
  api_->set_admin_sources(admin_);
  http_server::limits limits;
  limits.max_connections = cfg_.http.max_connections;
  limits.connection.header_timeout
    = std::chrono::duration_cast<std::chrono::milliseconds>(
      cfg_.http.header_timeout);
  http_ = std::make_unique<http_server>(*api_, metrics_, log_, limits);
  if (auto err = http_->listen(cfg_.http.address, cfg_.http.port))
    return err;
  auto endpoint = http_->local_endpoint();
  auto host = endpoint.address().to_string();
  if (endpoint.address().is_v6())
    host = "[" + host + "]";
  base_url_ = cfg_.http.public_url.empty()
                ? "http://" + host + ":" + std::to_string(endpoint.port())
                : cfg_.http.public_url;
  while (!base_url_.empty() && base_url_.back() == '/')
    base_url_.pop_back();
  try {
    scheduler_->start(base_url_);
  } catch (const std::exception& e) {
    return caf::make_error(caf::sec::runtime_error,
                           path + ": recovery failed: " + e.what());
  }
  http_->start(cfg_.http.threads);
  running_ = true;
  log_->info("event=serving url={} data_dir=\"{}\" database_synchronous={}",
             base_url_, cfg_.data_dir, to_string(store_->synchronous()));
  return caf::none;
}

std::uint16_t operation_server::port() const {
  return http_ ? http_->local_endpoint().port() : 0;
}

void operation_server::shutdown() {
  if (!running_)
    return;
  running_ = false;
  log_->info("event=shutdown_started grace_ms={}",
             std::chrono::duration_cast<std::chrono::milliseconds>(
               cfg_.operations.shutdown_grace_period)
               .count());
  http_->stop_accepting();
  scheduler_->shutdown(cfg_.operations.shutdown_grace_period);
  // Before the connections go: a check's answer still reaches its client.
  check_->shutdown();
  http_->stop();
  log_->info("event=server_shutdown");
}

} // namespace stagehand
