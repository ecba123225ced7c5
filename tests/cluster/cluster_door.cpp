// Tests cluster/cluster_door.hpp, coordinator.hpp and join.hpp in one
// process: a coordinator's door on loopback and a second actor system that
// joins it, for the refusals a real worker cannot easily provoke (another
// protocol version) and for the door's log lines.
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>

#include "cluster/coordinator.hpp"
#include "cluster/join.hpp"
#include "cluster/worker_agent.hpp"
#include "core/errc.hpp"
#include "core/log.hpp"
#include "messages/type_fingerprint.hpp"
#include "runtime/config.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/log_capture.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

/// A door on a free loopback port, logging into `sink`.
struct door_fixture {
  std::shared_ptr<capture_sink> sink = std::make_shared<capture_sink>();
  config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<node_table> nodes = std::make_shared<node_table>();
  std::unique_ptr<coordinator> coord;
  std::uint16_t port = 0;

  door_fixture() {
    cfg.cluster.node_name = "coord";
    cfg.enable_cluster();
    sys = std::make_unique<caf::actor_system>(cfg);
    coord = std::make_unique<coordinator>(*sys, cfg.cluster,
                                          message_types_fingerprint(cfg),
                                          nodes, make_logger("info", sink));
    auto bound = coord->listen(0);
    BOOST_REQUIRE(bound);
    port = *bound;
  }

  ~door_fixture() {
    coord.reset();
  }
};

/// The worker's side: an actor system with an agent.
struct joiner {
  config cfg;
  std::unique_ptr<caf::actor_system> sys;
  worker_actor agent;
  coordinator_ref coordinator;

  joiner() {
    cfg.enable_cluster();
    sys = std::make_unique<caf::actor_system>(cfg);
    worker_agent_setup setup;
    setup.log = make_logger("off");
    setup.coordinator = std::make_shared<coordinator_ref>();
    agent = sys->spawn(worker_agent, std::move(setup));
  }

  ~joiner() {
    caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  }

  worker_join request(const std::string& name) {
    worker_join req;
    req.node = name;
    req.capacity = 2;
    req.codeunits = {50100};
    req.types = message_types_fingerprint(cfg);
    req.agent = agent;
    return req;
  }

  caf::error join(std::uint16_t port, worker_join req) {
    auto joined = join_coordinator(*sys, {"127.0.0.1", port, false},
                                   std::move(req), coordinator);
    return joined ? caf::error{} : joined.error();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_door, door_fixture)

BOOST_AUTO_TEST_CASE(a_join_is_welcomed_listed_and_logged) {
  joiner w;
  auto joined = join_coordinator(*w.sys, {"127.0.0.1", port, false},
                                 w.request("w1"), w.coordinator);
  BOOST_REQUIRE_MESSAGE(joined, (joined ? "" : describe(joined.error())));
  BOOST_CHECK_EQUAL(joined->first.coordinator, "coord");
  BOOST_REQUIRE(nodes->find("w1"));
  BOOST_CHECK(nodes->find("w1")->live);
  // The log is written by its own thread.
  require_eventually(
    [&] {
      return sink->matching({"event=worker_joined", "node=w1", "capacity=2",
                             "codeunits=50100"})
               .size()
             == 1;
    },
    "no worker_joined line");
}

BOOST_AUTO_TEST_CASE(a_gone_agent_is_marked_lost_and_logged) {
  {
    joiner w;
    BOOST_REQUIRE(!w.join(port, w.request("w1")));
  } // the agent ends, and its system with it
  require_eventually([&] { return !nodes->find("w1")->live; },
                     "the door did not mark w1 lost");
  require_eventually(
    [&] { return !sink->matching({"event=worker_lost", "node=w1"}).empty(); },
    "no worker_lost line");
}

BOOST_AUTO_TEST_CASE(another_protocol_version_is_refused) {
  joiner w;
  auto req = w.request("w1");
  req.protocol = cluster_protocol + 1;
  auto err = w.join(port, std::move(req));
  BOOST_CHECK(is(err, errc::incompatible_version));
  BOOST_CHECK_EQUAL(describe(err),
                    "Incompatible version: this node speaks cluster protocol "
                      + std::to_string(cluster_protocol) + ", the other "
                      + std::to_string(cluster_protocol + 1) + ".");
  BOOST_CHECK(!nodes->find("w1"));
  require_eventually(
    [&] {
      return sink->matching({"event=worker_refused", "node=w1"}).size() == 1;
    },
    "no worker_refused line");
}

BOOST_AUTO_TEST_CASE(other_message_types_are_refused) {
  joiner w;
  auto req = w.request("w1");
  req.types = "1-0000000000000000";
  auto err = w.join(port, std::move(req));
  BOOST_CHECK(is(err, errc::message_types_mismatch));
  BOOST_CHECK(!nodes->find("w1"));
}

BOOST_AUTO_TEST_CASE(a_duplicate_live_name_is_refused) {
  joiner a;
  joiner b;
  BOOST_REQUIRE(!a.join(port, a.request("twin")));
  auto err = b.join(port, b.request("twin"));
  BOOST_CHECK(is(err, errc::duplicate_node));
  BOOST_CHECK(nodes->find("twin")->live);
}

BOOST_AUTO_TEST_CASE(the_door_opens_once) {
  auto again = coord->listen(0);
  BOOST_REQUIRE(!again);
  BOOST_CHECK(is(again.error(), errc::cluster_unavailable));
}

BOOST_AUTO_TEST_CASE(the_fingerprint_counts_the_registered_types) {
  auto fp = message_types_fingerprint(cfg);
  config other;
  BOOST_CHECK_EQUAL(fp, message_types_fingerprint(other));
  BOOST_CHECK_EQUAL(fp.find('-'), fp.size() - 17);
}

BOOST_AUTO_TEST_SUITE_END()
