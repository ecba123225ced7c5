#include "cluster/coordinator.hpp"

#include <algorithm>
#include <chrono>

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "cluster/cluster_door.hpp"
#include "core/errc.hpp"

namespace stagehand {

namespace {

caf::error unavailable(std::string why) {
  return make_error(errc::cluster_unavailable,
                    caf::make_message(std::move(why)));
}

} // namespace

coordinator::coordinator(caf::actor_system& sys, cluster_settings settings,
                         std::string types, std::shared_ptr<node_table> nodes,
                         std::shared_ptr<spdlog::logger> log)
  : sys_(sys), settings_(std::move(settings)), types_(std::move(types)),
    nodes_(std::move(nodes)), log_(std::move(log)) {}

coordinator::~coordinator() {
  stop("runtime shutdown");
}

caf::expected<std::uint16_t> coordinator::listen(std::uint16_t port) {
  if (port_)
    return unavailable("it is already open on port " + std::to_string(*port_));
  if (!sys_.has_middleman() || !sys_.has_openssl_manager())
    return unavailable("the config did not load CAF's middleman and openssl "
                       "manager; call config::enable_cluster() before the "
                       "runtime exists");
  if (auto problem = first_problem(settings_))
    return unavailable("stagehand." + problem->key + ": " + problem->why);
  if (!door_)
    door_ = sys_.spawn(cluster_door, nodes_, settings_.node_name, types_, log_);
  auto address = settings_.address.c_str();
  // The plain middleman and the openssl manager each run their own acceptor;
  // a door is published on exactly one of them, so that no plain connection
  // can reach a door that TLS guards.
  auto bound = settings_.tls()
                 ? caf::openssl::publish(door_, port, address, true)
                 : sys_.middleman().publish(door_, port, address, true);
  if (!bound)
    return unavailable("cannot listen on " + settings_.address + ":"
                       + std::to_string(port) + ": "
                       + sys_.render(bound.error()));
  port_ = *bound;
  log_->info("event=cluster_listening address={} port={} tls={} node={}",
             settings_.address, *port_, settings_.tls(), settings_.node_name);
  return *bound;
}

void coordinator::say_goodbye(const std::string& reason) {
  // The door closes only once each worker has handled its goodbye, or the
  // bound passed. A worker hears of the closed door on another path than of
  // the goodbye (CAF's BASP hands messages to its deserialising threads but
  // kills a proxy at once), so a door closed at once could be seen lost
  // first, and the worker would end as if its coordinator had crashed. One
  // bound for all, a frozen worker's connection timeout, keeps a shutdown
  // short however many workers are frozen.
  auto deadline = std::chrono::steady_clock::now() + default_connection_timeout;
  caf::scoped_actor self{sys_};
  for (auto& node : nodes_->live()) {
    auto left = std::max(std::chrono::milliseconds{1},
                         std::chrono::duration_cast<std::chrono::milliseconds>(
                           deadline - std::chrono::steady_clock::now()));
    self->request(node.agent, left, goodbye_atom::value, reason)
      .receive(
        [&] {
          log_->info("event=worker_goodbye node={} reason=\"{}\"", node.name,
                     reason);
        },
        [&](caf::error& err) {
          log_->warn("event=worker_goodbye_unanswered node={} reason=\"{}\"",
                     node.name, sys_.render(err));
        });
  }
}

void coordinator::stop(const std::string& reason) {
  if (!door_)
    return;
  say_goodbye(reason);
  if (port_) {
    // CAF 0.17.6's caf::openssl::unpublish does not compile (it sends the
    // manager's actor an `unpublish` without the actor's address), so the
    // request that it means is sent here.
    auto mm = settings_.tls() ? sys_.openssl_manager().actor_handle()
                              : sys_.middleman().actor_handle();
    caf::scoped_actor self{sys_};
    self
      ->request(mm, std::chrono::seconds(5), caf::unpublish_atom::value,
                door_.address(), *port_)
      .receive([] {},
               [this](caf::error& err) {
                 log_->warn("event=cluster_unpublish_failed reason=\"{}\"",
                            sys_.render(err));
               });
  }
  caf::anon_send_exit(door_, caf::exit_reason::user_shutdown);
  door_ = nullptr;
  port_.reset();
}

} // namespace stagehand
