// Tests actors/page.hpp: what runs in the page's triggers: error levels,
// IsHandled, dialogs, writes, trigger exceptions, and re-enqueueing.
#include <boost/test/unit_test.hpp>

#include "tests/support/actor_fixture.hpp"
#include "tests/support/notifications.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

BOOST_FIXTURE_TEST_SUITE(actors_page, actor_fixture)

// -- errors -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(codeunit_errors_reach_the_error_trigger_with_a_stack) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "No stock."}}));
  run_codeunits();
  auto errors = events_of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK_EQUAL(errors[0].error.code, "Dialog");
  BOOST_CHECK_EQUAL(errors[0].error.text, "No stock.");
  BOOST_CHECK_EQUAL(errors[0].error.call_stack,
                    "FailingCodeunit(CodeUnit 2).OnRun");
  BOOST_CHECK(!errors[0].handled);
  BOOST_REQUIRE_EQUAL(triggers->count("OnPageBackgroundTaskError"), 1u);
  BOOST_CHECK(notifications(events)
              == std::vector<std::string>{"error: No stock."});
}

BOOST_AUTO_TEST_CASE(error_levels_decide_the_notification) {
  auto session = open_session();
  auto page = open_page(session, "CUSTOMER 10000");
  for (auto level :
       {error_level::ignore, error_level::warning, error_level::error})
    BOOST_REQUIRE(enqueue(page, failing_codeunit,
                          {{"Message", to_string(level)}}, caf::none, level));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::error), 3u);
  BOOST_CHECK(
    notifications(events)
    == (std::vector<std::string>{"warning: warning", "error: error"}));
}

BOOST_AUTO_TEST_CASE(is_handled_suppresses_the_notification) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  triggers->on_error
    = [](page_context& ctx, const background_task&, bool& handled) {
        handled = true;
        ctx.send_notification("It took too long to get results. Try again.");
      };
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(
    enqueue(page, echo_codeunit, {}, caf::timespan{std::chrono::seconds(1)}));
  begin_codeunits();
  trigger_timeouts();
  sched.run();
  auto errors = events_of(kind::error);
  BOOST_REQUIRE_EQUAL(errors.size(), 1u);
  BOOST_CHECK(errors[0].handled);
  // The trigger's own notification follows the error event; the error's
  // notification is suppressed.
  BOOST_REQUIRE(events.back().what == kind::notification);
  BOOST_CHECK(notifications(events)
              == std::vector<std::string>{
                "info: It took too long to get results. Try again."});
}

namespace {

/// Records the outcome of each of its page's writes.
struct writing_page : recording_triggers {
  std::vector<std::pair<std::uint64_t, std::string>> done;

  void on_write_done(page_context&, std::uint64_t id,
                     const caf::error& err) override {
    done.emplace_back(id, err ? describe(err) : "committed");
  }
};

} // namespace

BOOST_AUTO_TEST_CASE(a_trigger_writes_read_write_off_the_page_s_thread) {
  temp_data_dir data;
  svc_data->companies = data.directory();
  BOOST_REQUIRE(svc_data->companies->create("CRONUS"));
  auto session = open_session();
  auto client = std::make_shared<writing_page>();
  client->on_completed = [&](page_context& ctx, const background_task&) {
    ctx.write([](database& db) {
      db.query("INSERT INTO PBTData (Id, IntA) VALUES ('R1', 10)");
    });
    ctx.write([](database& db) {
      db.query("INSERT INTO PBTData (Id, IntA) VALUES ('R2', 20)");
      throw codeunit_error{"Amount must be positive."};
    });
  };
  auto page = open_page(session, "PBTDATA R1", client);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  run_codeunits();
  BOOST_CHECK((client->done
               == std::vector<std::pair<std::uint64_t, std::string>>{
                 {1, "committed"}, {2, "Dialog: Amount must be positive."}}));
  auto db = (*svc->companies->open("CRONUS"))->open_writer();
  BOOST_REQUIRE(db);
  auto rows = (*db)->query("SELECT Id FROM PBTData");
  BOOST_REQUIRE_EQUAL(rows.size(), 1u);
  BOOST_CHECK_EQUAL(std::get<std::string>(rows[0][0]), "R1");
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_trigger_is_an_error_notification) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  int calls = 0;
  triggers->on_completed = [&](page_context&, const background_task&) {
    if (++calls == 1)
      throw std::runtime_error("Field Start Time is not editable.");
  };
  triggers->on_error = [](page_context&, const background_task&, bool&) {
    throw std::runtime_error("Error trigger failed.");
  };
  // Even at level Ignore, a failing trigger shows at Error.
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "boom"}},
                        caf::none, error_level::ignore));
  run_codeunits();
  BOOST_CHECK(
    notifications(events)
    == (std::vector<std::string>{"error: Field Start Time is not editable.",
                                 "error: Error trigger failed."}));
  // The page keeps working.
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 2u);
  BOOST_CHECK_EQUAL(calls, 2);
}

// -- re-enqueueing ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(triggers_re_enqueue_without_recursion) {
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  int remaining = 50;
  triggers->on_completed = [&](page_context& ctx, const background_task& task) {
    if (remaining-- > 0) {
      auto id = ctx.enqueue_background_task(
        {task.codeunit, task.parameters, caf::none, task.level, task.tag});
      BOOST_CHECK(id);
    }
  };
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::completed), 51u);
  BOOST_CHECK_EQUAL(triggers->max_depth, 1);
  // Re-enqueueing from the error trigger works the same way.
  int retries = 3;
  triggers->on_error
    = [&](page_context& ctx, const background_task& task, bool& handled) {
        handled = true;
        if (retries-- > 0)
          BOOST_CHECK(ctx.enqueue_background_task(
            {task.codeunit, task.parameters, caf::none, task.level, ""}));
      };
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "retry"}}));
  run_codeunits();
  BOOST_CHECK_EQUAL(count(kind::error), 4u);
  BOOST_CHECK_EQUAL(triggers->max_depth, 1);
}

BOOST_AUTO_TEST_CASE(a_task_stays_pending_until_its_triggers_return) {
  // wait_idle polls this count from another thread: if it touched zero
  // between a completion and the trigger's re-enqueue, a caller would see an
  // idle runtime with work still to come.
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  std::vector<std::uint64_t> seen_in_trigger;
  int remaining = 2;
  auto pending = [&] { return svc->stats->pending_tasks.load(); };
  triggers->on_completed = [&](page_context& ctx, const background_task& task) {
    seen_in_trigger.push_back(pending());
    if (remaining-- > 0)
      ctx.enqueue_background_task(
        {task.codeunit, task.parameters, caf::none, task.level, task.tag});
  };
  triggers->on_error = [&](page_context&, const background_task&, bool&) {
    seen_in_trigger.push_back(pending());
  };
  auto page = open_page(session, "CUSTOMER 10000", triggers);
  BOOST_REQUIRE(enqueue(page, echo_codeunit));
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "x"}}));
  run_codeunits();
  BOOST_REQUIRE_EQUAL(seen_in_trigger.size(), 4u);
  for (auto n : seen_in_trigger)
    BOOST_CHECK_GE(n, 1u);
  BOOST_CHECK_EQUAL(pending(), 0u);
}

BOOST_AUTO_TEST_CASE(a_refused_re_enqueue_becomes_an_error_notification) {
  svc_data->limits.max_concurrency = 1;
  svc_data->limits.max_queue_length = 0;
  auto session = open_session();
  auto triggers = std::make_shared<recording_triggers>();
  triggers->on_record = [](page_context& ctx) {
    BOOST_CHECK(ctx.enqueue_background_task(
      {echo_codeunit, {}, caf::none, error_level::error, "first"}));
    BOOST_CHECK(ctx.enqueue_background_task(
      {echo_codeunit, {}, caf::none, error_level::error, "second"}));
  };
  open_page(session, "CUSTOMER 10000", triggers);
  auto failed = events_of(kind::enqueue_failed);
  BOOST_REQUIRE_EQUAL(failed.size(), 1u);
  BOOST_CHECK_EQUAL(failed[0].task.tag, "second");
  BOOST_CHECK_EQUAL(notifications(events).size(), 1u);
}

BOOST_AUTO_TEST_SUITE_END()
