// Tests services/node_table.hpp: adding, finding, losing and listing the
// workers of a coordinator.
#include <boost/test/unit_test.hpp>

#include "core/errc.hpp"
#include "services/node_table.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/fake_worker.hpp"

using namespace stagehand;

namespace {

/// A time strictly after `t`, waited for without sleeping.
std::chrono::steady_clock::time_point after(
  std::chrono::steady_clock::time_point t) {
  auto now = std::chrono::steady_clock::now();
  while (now <= t)
    now = std::chrono::steady_clock::now();
  return now;
}

node_entry node(const std::string& name) {
  node_entry x;
  x.name = name;
  x.capacity = 4;
  x.codeunits = {50105, 50100};
  return x;
}

} // namespace

BOOST_AUTO_TEST_SUITE(services_node_table)

BOOST_AUTO_TEST_CASE(an_added_node_is_live_and_found_by_name) {
  node_table t;
  BOOST_REQUIRE(!t.add(node("a")));
  auto a = t.find("a");
  BOOST_REQUIRE(a);
  BOOST_CHECK(a->live);
  BOOST_CHECK_EQUAL(a->capacity, 4u);
  BOOST_CHECK(a->has(50100));
  BOOST_CHECK(a->has(50105));
  BOOST_CHECK(!a->has(50101));
  BOOST_CHECK(!t.find("b"));
  BOOST_CHECK_EQUAL(t.live().size(), 1u);
}

BOOST_AUTO_TEST_CASE(a_live_name_cannot_join_twice) {
  node_table t;
  BOOST_REQUIRE(!t.add(node("a")));
  auto err = t.add(node("a"));
  BOOST_CHECK(is(err, errc::duplicate_node));
  BOOST_CHECK_EQUAL(describe(err),
                    "A live node is already called 'a' (set "
                    "stagehand.node-name).");
  BOOST_CHECK_EQUAL(t.list().size(), 1u);
}

BOOST_AUTO_TEST_CASE(a_lost_node_is_counted_once_and_may_join_again) {
  node_table t;
  BOOST_REQUIRE(!t.add(node("a")));
  BOOST_CHECK(t.mark_lost("a"));
  BOOST_CHECK(!t.mark_lost("a"));
  BOOST_CHECK(!t.mark_lost("nobody"));
  BOOST_CHECK(!t.find("a")->live);
  BOOST_CHECK(t.live().empty());
  BOOST_CHECK_EQUAL(t.find("a")->lost_count, 1u);
  BOOST_REQUIRE(!t.add(node("a")));
  BOOST_CHECK(t.find("a")->live);
  BOOST_CHECK_EQUAL(t.find("a")->lost_count, 1u);
  BOOST_CHECK_EQUAL(t.list().size(), 1u);
}

BOOST_AUTO_TEST_CASE(list_keeps_the_order_of_joining) {
  node_table t;
  for (auto name : {"c", "a", "b"})
    BOOST_REQUIRE(!t.add(node(name)));
  t.mark_lost("a");
  auto all = t.list();
  BOOST_REQUIRE_EQUAL(all.size(), 3u);
  BOOST_CHECK_EQUAL(all[0].name, "c");
  BOOST_CHECK_EQUAL(all[1].name, "a");
  BOOST_CHECK_EQUAL(all[2].name, "b");
  BOOST_CHECK_EQUAL(t.live().size(), 2u);
}

BOOST_FIXTURE_TEST_CASE(heard_by_agent_touches_that_agent_s_node_only,
                        test::actor_fixture) {
  node_table t;
  auto old_agent = test::join_fake_worker(sys, t, "w1", 2, {50100});
  BOOST_REQUIRE(t.mark_lost("w1"));
  auto new_agent = test::join_fake_worker(sys, t, "w1", 2, {50100});
  auto joined = t.find("w1")->last_heard;
  after(joined);
  // A late report of the replaced agent is not news of the new node.
  t.heard(old_agent.address());
  BOOST_CHECK(t.find("w1")->last_heard == joined);
  t.heard(new_agent.address());
  BOOST_CHECK(t.find("w1")->last_heard > joined);
}

BOOST_AUTO_TEST_SUITE_END()
