// Tests messages/: every message that crosses an actor boundary survives a
// round trip through CAF's binary serializer, as it must between nodes, and
// is registered with the actor system under its name.
#include <boost/test/unit_test.hpp>

#include "messages/blocking_done.hpp"
#include "messages/codeunit_returned.hpp"
#include "messages/launch_session.hpp"
#include "messages/open_session.hpp"
#include "messages/page_task_cancelled.hpp"
#include "messages/page_task_error.hpp"
#include "messages/session_ended.hpp"
#include "messages/session_finished.hpp"
#include "messages/session_timeout.hpp"
#include "messages/write_done.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/round_trip.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {} // namespace

BOOST_FIXTURE_TEST_SUITE(messages_serialization, actor_fixture)

BOOST_AUTO_TEST_CASE(background_task_round_trips) {
  background_task x{3,
                    4,
                    5,
                    50100,
                    {{"Wait", "1000"}},
                    std::chrono::milliseconds(1500),
                    error_level::warning,
                    "CUSTOMER 10000",
                    7,
                    "tag",
                    "FABRIKAM",
                    "ALICE"};
  auto y = round_trip(sys, x);
  BOOST_CHECK_EQUAL(y.session, 3u);
  BOOST_CHECK_EQUAL(y.page, 4u);
  BOOST_CHECK_EQUAL(y.id, 5u);
  BOOST_CHECK_EQUAL(y.codeunit, 50100);
  BOOST_CHECK(y.parameters == x.parameters);
  BOOST_CHECK(y.timeout == x.timeout);
  BOOST_CHECK(y.level == error_level::warning);
  BOOST_CHECK_EQUAL(y.record_id, "CUSTOMER 10000");
  BOOST_CHECK_EQUAL(y.record_epoch, 7u);
  BOOST_CHECK_EQUAL(y.tag, "tag");
  BOOST_CHECK_EQUAL(y.company, "FABRIKAM");
  BOOST_CHECK_EQUAL(y.user, "ALICE");
}

BOOST_AUTO_TEST_CASE(background_session_messages_round_trip) {
  auto s = round_trip(sys, start_session{50110,
                                         "FABRIKAM",
                                         "CUSTOMER 10000",
                                         {{"a", "b"}},
                                         std::chrono::seconds(3),
                                         std::chrono::seconds(2),
                                         7,
                                         "nightly",
                                         {}});
  BOOST_CHECK_EQUAL(s.codeunit, 50110);
  BOOST_CHECK_EQUAL(s.company, "FABRIKAM");
  BOOST_CHECK_EQUAL(s.record_id, "CUSTOMER 10000");
  BOOST_CHECK(s.parameters == (dictionary{{"a", "b"}}));
  BOOST_CHECK(s.timeout == std::chrono::seconds(3));
  BOOST_CHECK(s.budget == std::chrono::seconds(2));
  BOOST_CHECK_EQUAL(s.caller, 7u);
  BOOST_CHECK_EQUAL(s.tag, "nightly");
  auto l = round_trip(sys, launch_session{s, "ALICE"});
  BOOST_CHECK_EQUAL(l.request.codeunit, 50110);
  BOOST_CHECK_EQUAL(l.user, "ALICE");
  auto stop = round_trip(sys, stop_session{12, "maintenance", 3});
  BOOST_CHECK_EQUAL(stop.id, 12u);
  BOOST_CHECK_EQUAL(stop.comment, "maintenance");
  BOOST_CHECK_EQUAL(stop.caller, 3u);
  auto done = round_trip(
    sys, session_finished{12, session_outcome::failed(
                                {"Dialog", "Customer is blocked.", "stack"})});
  BOOST_CHECK_EQUAL(done.id, 12u);
  BOOST_CHECK(done.outcome.what == session_outcome::kind::failed);
  BOOST_CHECK_EQUAL(done.outcome.error.text, "Customer is blocked.");
  BOOST_CHECK_EQUAL(done.outcome.comment, "Customer is blocked.");
  BOOST_CHECK_EQUAL(round_trip(sys, session_timeout{5}).id, 5u);
  auto written = round_trip(
    sys, write_done{4, make_error(errc::task_failed,
                                  caf::make_message(std::string{"Dialog"},
                                                    std::string{"locked"}))});
  BOOST_CHECK_EQUAL(written.id, 4u);
  BOOST_CHECK_EQUAL(describe(written.error), "Dialog: locked");
}

BOOST_AUTO_TEST_CASE(outcomes_and_errors_round_trip) {
  auto y = round_trip(sys, task_finished{9, 2, task_outcome::timed_out()});
  BOOST_CHECK_EQUAL(y.id, 9u);
  BOOST_CHECK_EQUAL(y.record_epoch, 2u);
  BOOST_CHECK(y.outcome.what == task_outcome::kind::timed_out);
  BOOST_CHECK_EQUAL(y.outcome.error.code, "ChildSessionTaskTimeout");
  auto z = round_trip(
    sys, task_rejected{4, make_error(errc::queue_full,
                                     caf::make_message(std::uint64_t{1},
                                                       std::uint64_t{100}))});
  BOOST_CHECK(is(z.reason, errc::queue_full));
  BOOST_CHECK_EQUAL(describe(z.reason), "The background task queue of "
                                        "session 1 is full (100 tasks are "
                                        "waiting).");
}

BOOST_AUTO_TEST_CASE(requests_round_trip) {
  auto e = round_trip(sys, enqueue_task{50100,
                                        {{"a", "b"}},
                                        caf::timespan{std::chrono::seconds(2)},
                                        error_level::ignore,
                                        "t"});
  BOOST_CHECK_EQUAL(e.codeunit, 50100);
  BOOST_REQUIRE(e.timeout);
  BOOST_CHECK(*e.timeout == std::chrono::seconds(2));
  BOOST_CHECK(e.level == error_level::ignore);
  auto c = round_trip(sys, cancel_tasks{3, {1, 2, 3}});
  BOOST_CHECK(c.ids == (std::vector<task_id>{1, 2, 3}));
  auto r = round_trip(sys, change_record{"ITEM 1000"});
  BOOST_CHECK_EQUAL(r.record_id, "ITEM 1000");
  auto p = round_trip(sys, close_page{cancel_reason::session_closed});
  BOOST_CHECK(p.reason == cancel_reason::session_closed);
  auto n = round_trip(sys, run_task_now{50105, {{"x", "y"}}, true});
  BOOST_CHECK(n.run_completion_triggers);
}

BOOST_AUTO_TEST_CASE(handles_inside_messages_round_trip) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  auto a = round_trip(sys, attach_page{page.id, page.actor});
  BOOST_CHECK_EQUAL(a.id, page.id);
  BOOST_CHECK(a.page == page.actor);
  auto internal = caf::actor_cast<page_internal_actor>(page.actor);
  auto s = round_trip(sys, submit_task{background_task{}, internal});
  BOOST_CHECK(s.page == internal);
}

BOOST_AUTO_TEST_CASE(the_actor_api_round_trips_with_its_handles) {
  auto session = open_session();
  session.company = "FABRIKAM";
  session.user = "ALICE";
  session.records_events = true;
  auto s = round_trip(sys, session);
  BOOST_CHECK_EQUAL(s.id, session.id);
  BOOST_CHECK(s.actor == session.actor);
  BOOST_CHECK_EQUAL(s.company, "FABRIKAM");
  BOOST_CHECK_EQUAL(s.user, "ALICE");
  BOOST_CHECK(s.records_events);
  auto page = open_page(session, "CUSTOMER 10000");
  auto p = round_trip(sys, page);
  BOOST_CHECK(p.actor == page.actor);
  BOOST_CHECK_EQUAL(p.session, session.id);
  stagehand::open_session owned{client_type::web_service, "CRONUS", "BOB",
                                session.actor.address()};
  auto o = round_trip(sys, owned);
  BOOST_CHECK(o.client == client_type::web_service);
  BOOST_CHECK_EQUAL(o.user, "BOB");
  BOOST_CHECK(o.owner == session.actor.address());
  background_task warned;
  warned.level = error_level::warning;
  auto e = round_trip(
    sys, page_task_error{page.id, warned, task_error{"Code", "text", ""}});
  BOOST_CHECK_EQUAL(e.error.text, "text");
  BOOST_CHECK(e.task.level == error_level::warning);
  auto c = round_trip(sys, page_task_cancelled{page.id, background_task{},
                                               cancel_reason::subscriber_lost});
  BOOST_CHECK(c.reason == cancel_reason::subscriber_lost);
  auto ended = round_trip(
    sys, session_ended{9, session_outcome::stopped("server shutdown")});
  BOOST_CHECK_EQUAL(ended.id, 9u);
  BOOST_CHECK_EQUAL(ended.outcome.comment, "server shutdown");
  auto done = round_trip(sys, blocking_done{4, make_error(errc::page_closed)});
  BOOST_CHECK(is(done.error, errc::page_closed));
}

BOOST_AUTO_TEST_CASE(every_message_type_is_registered_by_name) {
  auto& names = cfg.type_names_by_rtti;
  auto registered = [&](const std::type_info& ti, const char* name) {
    auto i = names.find(std::type_index{ti});
    return i != names.end() && i->second == name;
  };
#define CHECK_REGISTERED(type)                                                 \
  BOOST_CHECK_MESSAGE(registered(typeid(type), "stagehand::" #type),           \
                      #type " is not registered")
  CHECK_REGISTERED(background_task);
  CHECK_REGISTERED(enqueue_task);
  CHECK_REGISTERED(run_task_now);
  CHECK_REGISTERED(cancel_task);
  CHECK_REGISTERED(change_record);
  CHECK_REGISTERED(close_page);
  CHECK_REGISTERED(task_admitted);
  CHECK_REGISTERED(task_rejected);
  CHECK_REGISTERED(task_started);
  CHECK_REGISTERED(task_finished);
  CHECK_REGISTERED(submit_task);
  CHECK_REGISTERED(cancel_tasks);
  CHECK_REGISTERED(child_started);
  CHECK_REGISTERED(child_finished);
  CHECK_REGISTERED(timeout_tick);
  CHECK_REGISTERED(codeunit_returned);
  CHECK_REGISTERED(attach_page);
  CHECK_REGISTERED(page_detached);
  CHECK_REGISTERED(close_session);
  CHECK_REGISTERED(task_outcome);
  CHECK_REGISTERED(task_error);
  CHECK_REGISTERED(dictionary);
  CHECK_REGISTERED(start_session);
  CHECK_REGISTERED(launch_session);
  CHECK_REGISTERED(session_supervisor_actor);
  CHECK_REGISTERED(stop_session);
  CHECK_REGISTERED(session_finished);
  CHECK_REGISTERED(session_timeout);
  CHECK_REGISTERED(session_outcome);
  CHECK_REGISTERED(write_done);
  // Named in full: inside the fixture, these names are its own functions.
  BOOST_CHECK(
    registered(typeid(stagehand::open_session), "stagehand::open_session"));
  BOOST_CHECK(registered(typeid(stagehand::open_page), "stagehand::open_page"));
  CHECK_REGISTERED(session_handle);
  CHECK_REGISTERED(page_handle);
  CHECK_REGISTERED(blocking_done);
  CHECK_REGISTERED(page_task_started);
  CHECK_REGISTERED(page_task_completed);
  CHECK_REGISTERED(page_task_error);
  CHECK_REGISTERED(page_task_cancelled);
  CHECK_REGISTERED(page_notification);
  CHECK_REGISTERED(page_tasks_done);
  CHECK_REGISTERED(session_ended);
#undef CHECK_REGISTERED
}

BOOST_AUTO_TEST_SUITE_END()
