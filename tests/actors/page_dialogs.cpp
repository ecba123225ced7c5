// Tests the dialogs of actors/page.hpp: a page's triggers reach the client,
// but a page background task's completion and error triggers have no UI.
#include <boost/test/unit_test.hpp>

#include "tests/support/actor_fixture.hpp"
#include "tests/support/notifications.hpp"

using namespace stagehand;
using namespace stagehand::test;
using kind = page_event::kind;

namespace {

/// A client that answers Confirm with No and StrMenu with option 2, and
/// remembers the pages it was asked to run.
struct answering_client : recording_triggers {
  std::vector<std::string> asked;
  std::vector<std::int32_t> ran;

  bool on_confirm(page_context&, const std::string& question, bool) override {
    asked.push_back(question);
    return false;
  }

  int on_str_menu(page_context&, const std::string& options, int) override {
    asked.push_back(options);
    return 2;
  }

  void on_run_page(page_context&, std::int32_t page) override {
    ran.push_back(page);
  }
};

/// The error a dialog raises in a task's trigger.
std::string refused(const std::string& call, const std::string& trigger) {
  return "error: " + call + " is not allowed in " + trigger
         + ": page background task triggers have no UI; send a notification "
           "instead.";
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_page_dialogs, actor_fixture)

BOOST_AUTO_TEST_CASE(dialogs_in_a_page_reach_the_client) {
  auto session = open_session();
  auto client = std::make_shared<answering_client>();
  bool confirmed = true;
  int choice = 0;
  client->on_record = [&](page_context& ctx) {
    ctx.message("Customer selected.");
    confirmed = ctx.confirm("Post the order?");
    choice = ctx.str_menu("Ship,Invoice,Ship and Invoice");
    ctx.run_page(21);
  };
  open_page(session, "CUSTOMER 10000", client);
  BOOST_CHECK(notifications(events)
              == (std::vector<std::string>{"info: Customer selected."}));
  BOOST_CHECK(!confirmed);
  BOOST_CHECK_EQUAL(choice, 2);
  BOOST_CHECK(client->asked
              == (std::vector<std::string>{"Post the order?",
                                           "Ship,Invoice,Ship and Invoice"}));
  BOOST_CHECK(client->ran == std::vector<std::int32_t>{21});
}

BOOST_AUTO_TEST_CASE(dialogs_in_task_triggers_are_refused) {
  auto session = open_session();
  auto client = std::make_shared<answering_client>();
  // Each completion tries one dialog after a notification; the dialog's
  // error ends the trigger, so the last notification never goes out.
  std::vector<std::function<void(page_context&)>> dialogs{
    [](page_context& ctx) { ctx.confirm("Post the order?"); },
    [](page_context& ctx) { ctx.str_menu("Ship,Invoice"); },
    [](page_context& ctx) { ctx.run_page(21); },
  };
  client->on_completed = [&](page_context& ctx, const background_task& task) {
    ctx.send_notification("Task " + std::to_string(task.id) + " done.");
    dialogs.at(task.id - 1)(ctx);
    ctx.send_notification("Not reached.");
  };
  client->on_error = [](page_context& ctx, const background_task&, bool&) {
    ctx.send_notification("Task failed.");
    ctx.confirm("Retry?");
  };
  auto page = open_page(session, "CUSTOMER 10000", client);
  for (std::size_t i = 0; i < dialogs.size(); ++i) {
    BOOST_REQUIRE(enqueue(page, echo_codeunit));
    run_codeunits();
  }
  // At level Ignore, the error trigger's own error still shows at Error.
  BOOST_REQUIRE(enqueue(page, failing_codeunit, {{"Message", "boom"}},
                        caf::none, error_level::ignore));
  run_codeunits();
  const std::string completed = "OnPageBackgroundTaskCompleted";
  BOOST_CHECK(notifications(events)
              == (std::vector<std::string>{
                "info: Task 1 done.", refused("confirm", completed),
                "info: Task 2 done.", refused("str_menu", completed),
                "info: Task 3 done.", refused("run_page", completed),
                "info: Task failed.",
                refused("confirm", "OnPageBackgroundTaskError")}));
  BOOST_CHECK(client->asked.empty());
  BOOST_CHECK(client->ran.empty());
  // The page keeps working, and its other triggers keep their dialogs.
  client->on_record = [](page_context& ctx) { ctx.run_page(22); };
  self->send(page.actor, change_record{"CUSTOMER 20000"});
  sched.run();
  BOOST_CHECK(client->ran == std::vector<std::int32_t>{22});
}

BOOST_AUTO_TEST_SUITE_END()
