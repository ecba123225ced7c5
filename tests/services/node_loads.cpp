// Tests services/node_loads.hpp: each node's load for /metrics, `local`
// reckoned from the runtime's counters, the workers from the node table.
#include <boost/test/unit_test.hpp>

#include "services/node_loads.hpp"

using namespace stagehand;
using namespace std::chrono;

namespace {

node_entry worker(const std::string& name, std::size_t capacity) {
  node_entry x;
  x.name = name;
  x.capacity = capacity;
  x.codeunits = {50100};
  return x;
}

counters active(std::uint64_t tasks, std::uint64_t sessions) {
  counters c;
  c.active_child_sessions = tasks;
  c.active_background_sessions = sessions;
  return c;
}

} // namespace

BOOST_AUTO_TEST_SUITE(services_node_loads)

BOOST_AUTO_TEST_CASE(alone_local_runs_what_the_counters_say) {
  // No worker joined: the table counts nothing (its fast path), yet the
  // tasks and sessions run here.
  node_table t;
  t.configure(placement_mode::spread, 6);
  auto loads = node_loads(t, active(2, 1));
  BOOST_REQUIRE_EQUAL(loads.size(), 1u);
  BOOST_CHECK_EQUAL(loads[0].name, "local");
  BOOST_CHECK_EQUAL(loads[0].running, 3u);
  BOOST_CHECK_EQUAL(loads[0].capacity, 6u);
  BOOST_CHECK_EQUAL(loads[0].lost_total, 0u);
  BOOST_CHECK_EQUAL(loads[0].last_heard_seconds, 0.0);
}

BOOST_AUTO_TEST_CASE(workers_follow_local_in_join_order_with_their_figures) {
  node_table t;
  t.configure(placement_mode::spread, 8);
  BOOST_REQUIRE(!t.add(worker("w1", 4)));
  BOOST_REQUIRE(!t.add(worker("w2", 2)));
  // Two pieces of work placed on workers; this process lacks the codeunit.
  BOOST_REQUIRE(t.place(50100, false));
  BOOST_REQUIRE(t.place(50100, false));
  BOOST_REQUIRE(t.mark_lost("w2"));
  auto joined = t.find("w1")->last_heard;
  auto loads = node_loads(t, active(4, 1), joined + milliseconds(2500));
  BOOST_REQUIRE_EQUAL(loads.size(), 3u);
  BOOST_CHECK_EQUAL(loads[0].name, "local");
  // 5 running in all, 2 of them on workers.
  BOOST_CHECK_EQUAL(loads[0].running, 3u);
  BOOST_CHECK_EQUAL(loads[1].name, "w1");
  BOOST_CHECK_EQUAL(loads[2].name, "w2");
  BOOST_CHECK_EQUAL(loads[1].running + loads[2].running, 2u);
  BOOST_CHECK_EQUAL(loads[1].capacity, 4u);
  BOOST_CHECK_EQUAL(loads[2].capacity, 2u);
  BOOST_CHECK_EQUAL(loads[1].lost_total, 0u);
  BOOST_CHECK_EQUAL(loads[2].lost_total, 1u);
  BOOST_CHECK_CLOSE(loads[1].last_heard_seconds, 2.5, 1e-6);
}

BOOST_AUTO_TEST_CASE(a_lost_node_that_rejoins_keeps_its_lost_count) {
  node_table t;
  BOOST_REQUIRE(!t.add(worker("w1", 4)));
  BOOST_REQUIRE(t.mark_lost("w1"));
  BOOST_REQUIRE(!t.add(worker("w1", 4)));
  BOOST_REQUIRE(t.mark_lost("w1"));
  auto loads = node_loads(t, counters{});
  BOOST_REQUIRE_EQUAL(loads.size(), 2u);
  BOOST_CHECK_EQUAL(loads[1].lost_total, 2u);
}

BOOST_AUTO_TEST_CASE(local_never_runs_less_than_nothing) {
  // The counters move a moment after the table: for an instant the workers
  // may hold more than the counters say runs in all.
  node_table t;
  BOOST_REQUIRE(!t.add(worker("w1", 4)));
  BOOST_REQUIRE(t.place(50100, false));
  auto loads = node_loads(t, counters{});
  BOOST_CHECK_EQUAL(loads[0].running, 0u);
  BOOST_CHECK_EQUAL(loads[1].running, 1u);
}

BOOST_AUTO_TEST_CASE(with_placement_remote_local_has_no_capacity) {
  node_table t;
  t.configure(placement_mode::remote, 8);
  BOOST_CHECK_EQUAL(node_loads(t, counters{})[0].capacity, 0u);
  t.configure(placement_mode::local, 8);
  BOOST_CHECK_EQUAL(node_loads(t, counters{})[0].capacity, 8u);
}

BOOST_AUTO_TEST_SUITE_END()
