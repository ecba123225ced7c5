// Tests the cluster's messages (messages/worker_join.hpp, worker_welcome.hpp,
// run_remote_session.hpp, cancel_remote_session.hpp): they survive CAF's
// binary serializer with the actor handles inside, and are registered by
// name, as messages between nodes need.
#include <boost/test/unit_test.hpp>

#include "messages/run_remote_session.hpp"
#include "messages/session_stop_acknowledged.hpp"
#include "messages/worker_join.hpp"
#include "messages/worker_welcome.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/fake_worker.hpp"
#include "tests/support/round_trip.hpp"

using namespace stagehand;
using namespace stagehand::test;

BOOST_FIXTURE_TEST_SUITE(messages_cluster_serialization, actor_fixture)

BOOST_AUTO_TEST_CASE(a_join_round_trips_with_its_agent) {
  auto agent = sys.spawn(fake_worker, 0);
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

BOOST_AUTO_TEST_CASE(a_placed_session_round_trips_with_its_report_handle) {
  run_remote_session x;
  x.session.session = 12;
  x.session.codeunit = 50110;
  x.session.parameters = {{"Wait", "5"}};
  x.session.company = "FABRIKAM";
  x.session.user = "ALICE";
  x.unique_id = "{guid}";
  x.report_to = caf::actor_cast<session_report_actor>(caf::actor{self});
  auto y = round_trip(sys, x);
  BOOST_CHECK_EQUAL(y.session.session, 12u);
  BOOST_CHECK_EQUAL(y.session.codeunit, 50110);
  BOOST_CHECK(y.session.parameters == x.session.parameters);
  BOOST_CHECK_EQUAL(y.session.company, "FABRIKAM");
  BOOST_CHECK_EQUAL(y.session.user, "ALICE");
  BOOST_CHECK_EQUAL(y.unique_id, "{guid}");
  BOOST_CHECK(y.report_to == x.report_to);
  auto cancel
    = round_trip(sys, cancel_remote_session{12, "not needed", x.report_to});
  BOOST_CHECK_EQUAL(cancel.id, 12u);
  BOOST_CHECK_EQUAL(cancel.comment, "not needed");
  BOOST_CHECK(cancel.report_to == x.report_to);
  BOOST_CHECK_EQUAL(round_trip(sys, session_stop_acknowledged{12}).id, 12u);
}

BOOST_AUTO_TEST_CASE(the_cluster_messages_are_registered_by_name) {
  for (auto name :
       {"stagehand::worker_join", "stagehand::worker_welcome",
        "stagehand::run_remote_task", "stagehand::cancel_remote_task",
        "stagehand::run_remote_session", "stagehand::cancel_remote_session",
        "stagehand::session_report_actor",
        "stagehand::session_stop_acknowledged"})
    BOOST_CHECK_MESSAGE(sys.config().value_factories_by_name.count(name) == 1,
                        name << " is not registered");
}

BOOST_AUTO_TEST_SUITE_END()
