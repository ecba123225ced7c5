#include "cluster/join.hpp"

#include <cerrno>
#include <set>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

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
  if (err == caf::sec::malformed_basp_message)
    return unreachable(t, "what answers there is not a CAF node");
  if (err == caf::sec::connection_timeout)
    return unreachable(t, "the connection was accepted, but no handshake "
                          "came back in time");
  return unreachable(t, sys.render(err));
}

/// Whether a TCP connection to `t` opens before `deadline`, tried without
/// blocking. CAF 0.17's middleman connects with a blocking `connect()` on
/// the middleman actor itself: towards an address that drops SYNs it stays
/// there for the kernel's timeout (minutes), and the actor system cannot
/// shut down meanwhile. So the worker asks CAF only once a probe got
/// through. The probe is closed at once; the door sees a connection that
/// ends before its handshake.
caf::error probe(const join_target& t, clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  auto port = std::to_string(t.port);
  if (auto rc = ::getaddrinfo(t.host.c_str(), port.c_str(), &hints, &found))
    return unreachable(t, std::string{"cannot resolve the host: "}
                            + ::gai_strerror(rc));
  std::string why = "connection refused or no route";
  for (auto* ai = found; ai != nullptr; ai = ai->ai_next) {
    int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK,
                      ai->ai_protocol);
    if (fd < 0)
      continue;
    auto rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - clock::now())
                    .count();
      pollfd p{fd, POLLOUT, 0};
      if (left > 0 && ::poll(&p, 1, static_cast<int>(left)) == 1) {
        int soerr = 0;
        socklen_t len = sizeof(soerr);
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len);
        rc = soerr == 0 ? 0 : -1;
      } else {
        why = "no connection within the join's bound";
      }
    }
    ::close(fd);
    if (rc == 0) {
      ::freeaddrinfo(found);
      return caf::none;
    }
  }
  ::freeaddrinfo(found);
  return unreachable(t, why);
}

} // namespace

caf::expected<std::pair<worker_welcome, cluster_door_actor>>
join_coordinator(caf::actor_system& sys, const join_target& target,
                 worker_join request, coordinator_ref& coordinator,
                 caf::timespan within) {
  auto deadline = clock::now() + within;
  if (!sys.has_middleman() || (target.tls && !sys.has_openssl_manager()))
    return make_error(errc::cluster_unavailable,
                      caf::make_message(std::string{
                        "the config did not load CAF's middleman and openssl "
                        "manager (config::enable_cluster)"}));
  auto mm = target.tls ? sys.openssl_manager().actor_handle()
                       : sys.middleman().actor_handle();
  caf::scoped_actor self{sys};
  caf::strong_actor_ptr door_ptr;
  std::set<std::string> interface;
  // CAF 0.17.6 creates the context of an outgoing connection with a
  // `last_seen` of zero, so with heartbeats on, the first tick (within one
  // heartbeat interval) cuts it with `connection_timeout` unless the peer's
  // handshake came first. A busy coordinator can miss that by a little, so
  // the connect is tried again until the deadline.
  for (auto done = false; !done;) {
    auto left = std::chrono::duration_cast<caf::timespan>(deadline
                                                          - clock::now());
    caf::error err = probe(target, deadline);
    if (err)
      return err;
    if (left.count() > 0)
      self
        ->request(mm, left, caf::connect_atom::value, target.host, target.port)
        .receive(
          [&](const caf::node_id&, caf::strong_actor_ptr& ptr,
              std::set<std::string>& ifs) {
            door_ptr = std::move(ptr);
            interface = std::move(ifs);
            done = true;
          },
          [&](caf::error& x) { err = std::move(x); });
    else
      err = caf::sec::request_timeout;
    if (done)
      break;
    if (err == caf::sec::connection_timeout && clock::now() < deadline)
      continue;
    return connect_error(sys, target, err, within);
  }
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
  coordinator.set(door.node());
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
