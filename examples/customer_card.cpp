// Demonstrates embedding Stagehand: register a codeunit, open a session and a
// page whose OnAfterGetCurrRecord trigger enqueues a background task, and
// handle its result in the completion trigger, as the seeds' Customer Card.
#include <iostream>

#include "runtime/runtime.hpp"

namespace {

/// The page: enqueues a slow read when the record shows, and fills its
/// fields when the result arrives.
class customer_card : public stagehand::page_triggers {
public:
  void on_after_get_curr_record(stagehand::page_context& page) override {
    page.enqueue_background_task({50100,
                                  {{"Wait", "200"}},
                                  caf::none,
                                  stagehand::error_level::warning,
                                  "times"});
  }

  void on_page_background_task_completed(
    stagehand::page_context& page, const stagehand::background_task&,
    const stagehand::dictionary& results) override {
    std::cout << "waited " << results.at("waited") << " ms for "
              << page.record_id() << '\n';
    page.send_notification("Start and finish times have been updated.");
  }
};

} // namespace

int main(int argc, char** argv) {
  stagehand::config cfg;
  if (auto err = cfg.parse(argc, argv); err || (err = cfg.validate())) {
    std::cerr << cfg.render(err) << '\n';
    return 2;
  }
  stagehand::runtime rt{cfg};
  rt.codeunits().add(
    50100, "PBTWaitCodeunit", [](stagehand::codeunit_context& ctx) {
      auto ms = std::stoi(ctx.parameters().at("Wait"));
      ctx.sleep(std::chrono::milliseconds(ms)); // wakes early if cancelled
      ctx.set_result({{"waited", std::to_string(ms)}});
    });
  auto session = rt.open_session();
  if (!session) {
    std::cerr << stagehand::describe(session.error()) << '\n';
    return 1;
  }
  auto page = rt.open_page(*session, "CUSTOMER 10000",
                           std::make_shared<customer_card>());
  if (auto done = rt.wait_all_tasks_done(page); !done) {
    std::cerr << stagehand::describe(done.error()) << '\n';
    return 1;
  }
  std::cout << "completed: " << rt.stats().completed << '\n';
}
