#include "cluster/join.hpp"

#include <set>

#include <caf/actor_cast.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/scoped_actor.hpp>

#include "core/errc.hpp"

namespace stagehand {

namespace {

using clock = std::chrono::steady_clock;

caf::error unreachable(const join_target& t, std::string why) {
  return make_error(errc::coordinator_unreachable,
                    caf::make_message(t.host, t.port, std::move(why)));
}

/// The middleman's word for a failed connect, as a Stagehand error.
caf::error connect_error(caf::actor_system& sys, const join_target& t,
                         const caf::error& err, caf::timespan within) {
  if (err == caf::sec::request_timeout)
    return unreachable(t, "no answer within "
                            + std::to_string(std::chrono::duration_cast<
                                               std::chrono::milliseconds>(
                                               within)
                                               .count())
                            + " ms");
  if (err == caf::sec::disconnect_during_handshake) {
    if (t.tls)
      return make_error(errc::certificate_refused,
                        caf::make_message(t.host, t.port));
    return unreachable(t, "the handshake failed; if the coordinator uses "
                          "TLS, set cluster-certificate, cluster-key and "
                          "cluster-ca");
  }
  if (err == caf::sec::no_actor_published_at_port)
    return unreachable(t, "nothing is published on that port");
  if (err == caf::sec::cannot_connect_to_node)
    return unreachable(t, "connection refused or no route");
  return unreachable(t, sys.render(err));
}

} // namespace

caf::expected<std::pair<worker_welcome, cluster_door_actor>>
join_coordinator(caf::actor_system& sys, const join_target& target,
                 worker_join request, caf::timespan within) {
  auto deadline = clock::now() + within;
  if (!sys.has_middleman() || (target.tls && !sys.has_openssl_manager()))
    return make_error(errc::cluster_unavailable,
                      caf::make_message(std::string{
                        "the config did not load CAF's middleman and openssl "
                        "manager (config::enable_cluster)"}));
  auto mm = target.tls ? sys.openssl_manager().actor_handle()
                       : sys.middleman().actor_handle();
  caf::scoped_actor self{sys};
  caf::error failed;
  caf::strong_actor_ptr door_ptr;
  std::set<std::string> interface;
  self->request(mm, within, caf::connect_atom::value, target.host, target.port)
    .receive(
      [&](const caf::node_id&, caf::strong_actor_ptr& ptr,
          std::set<std::string>& ifs) {
        door_ptr = std::move(ptr);
        interface = std::move(ifs);
      },
      [&](caf::error& err) { failed = connect_error(sys, target, err, within); });
  if (failed)
    return failed;
  if (!door_ptr)
    return unreachable(target, "nothing is published on that port");
  // Another door protocol shows as another interface of the published actor.
  if (!sys.assignable(interface,
                      sys.message_types(caf::detail::type_list<
                                        cluster_door_actor>{})))
    return make_error(errc::incompatible_version,
                      caf::make_message(std::string{
                        "the actor at that port is not a Stagehand cluster "
                        "door of this protocol"}));
  auto door = caf::actor_cast<cluster_door_actor>(door_ptr);
  auto left = std::chrono::duration_cast<caf::timespan>(deadline - clock::now());
  if (left.count() <= 0)
    return unreachable(target, "no answer in time");
  caf::expected<std::pair<worker_welcome, cluster_door_actor>> result{
    unreachable(target, "the door did not answer the join")};
  self->request(door, left, std::move(request))
    .receive(
      [&](worker_welcome& welcome) {
        result = std::make_pair(std::move(welcome), door);
      },
      [&](caf::error& err) {
        result = err == caf::sec::request_timeout
                   ? unreachable(target, "the door did not answer the join")
                   : std::move(err);
      });
  return result;
}

} // namespace stagehand
