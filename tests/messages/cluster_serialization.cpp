// Tests the cluster's messages (messages/worker_join.hpp,
// worker_welcome.hpp): they survive CAF's binary serializer with the worker's
// agent inside, and are registered by name, as the join needs between nodes.
#include <boost/test/unit_test.hpp>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "messages/worker_join.hpp"
#include "messages/worker_welcome.hpp"
#include "tests/support/actor_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

template <class T>
T round_trip(caf::actor_system& sys, T x) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  if (auto err = sink(x))
    BOOST_FAIL("cannot serialize: " << sys.render(err));
  T y;
  caf::binary_deserializer source{sys, buf};
  if (auto err = source(y))
    BOOST_FAIL("cannot deserialize: " << sys.render(err));
  return y;
}

// An argument it does not need: CAF 0.17 dereferences a null argument tuple
// when a function actor is spawned without any.
worker_actor::behavior_type quiet_agent(int) {
  return {[](run_remote_task&) {}, [](cancel_remote_task&) {},
          [](goodbye_atom, const std::string&) {}};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(messages_cluster_serialization, actor_fixture)

BOOST_AUTO_TEST_CASE(a_join_round_trips_with_its_agent) {
  auto agent = sys.spawn(quiet_agent, 0);
  worker_join x;
  x.node = "w1";
  x.capacity = 4;
  x.codeunits = {50100, 50105};
  x.types = "47-0123456789abcdef";
  x.agent = agent;
  auto y = round_trip(sys, x);
  BOOST_CHECK_EQUAL(y.protocol, cluster_protocol);
  BOOST_CHECK_EQUAL(y.node, "w1");
  BOOST_CHECK_EQUAL(y.capacity, 4u);
  BOOST_CHECK(y.codeunits == x.codeunits);
  BOOST_CHECK_EQUAL(y.types, x.types);
  BOOST_CHECK(y.agent == agent);
  caf::anon_send_exit(agent, caf::exit_reason::user_shutdown);
  sched.run();
}

BOOST_AUTO_TEST_CASE(a_welcome_round_trips) {
  BOOST_CHECK_EQUAL(round_trip(sys, worker_welcome{"coord"}).coordinator,
                    "coord");
}

BOOST_AUTO_TEST_CASE(the_join_messages_are_registered_by_name) {
  for (auto name : {"stagehand::worker_join", "stagehand::worker_welcome"})
    BOOST_CHECK_MESSAGE(sys.config().value_factories_by_name.count(name) == 1,
                        name << " is not registered");
}

BOOST_AUTO_TEST_SUITE_END()
