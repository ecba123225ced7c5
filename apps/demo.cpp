#include "apps/demo.hpp"

#include <chrono>
#include <iomanip>
#include <mutex>
#include <ostream>
#include <sstream>

#include "core/errc.hpp"
#include "runtime/runtime.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::apps {

namespace {

/// The article's page extension of the Customer Card, trigger for trigger:
/// three fields that a background task fills in, and friendlier
/// notifications for its errors. The error trigger tests the error code
/// before the text, as the article does, so a timeout takes the first branch.
class customer_card : public page_triggers {
public:
  explicit customer_card(caf::timespan timeout) : timeout_(timeout) {}

  std::string fields() const {
    return "Start Time=" + start_time_ + ", Duration=" + duration_
           + " ms, End Time=" + end_time_;
  }

  void on_after_get_curr_record(page_context& page) override {
    if (auto id = page.enqueue_background_task({samples::wait_codeunit,
                                                {{"Wait", "1000"}},
                                                timeout_,
                                                error_level::warning,
                                                "WaitTask"}))
      wait_task_id_ = *id;
  }

  void on_page_background_task_completed(page_context& page,
                                         const background_task& task,
                                         const dictionary& results) override {
    if (task.id != wait_task_id_)
      return;
    start_time_ = results.at("started");
    duration_ = results.at("waited");
    end_time_ = results.at("finished");
    page.send_notification("Start and finish times have been updated.");
  }

  void on_page_background_task_error(page_context& page, const background_task&,
                                     const task_error& error,
                                     bool& is_handled) override {
    if (error.code == timeout_error_code) {
      is_handled = true;
      page.send_notification(
        "Something went wrong. The start and finish times haven't been "
        "updated.");
    } else if (error.text == task_error::timeout().text) {
      is_handled = true;
      page.send_notification("It took too long to get results. Try again.");
    }
  }

private:
  caf::timespan timeout_;
  task_id wait_task_id_ = 0;
  std::string start_time_ = "-";
  std::string duration_ = "-";
  std::string end_time_ = "-";
};

/// Prints page events as timeline lines, from whichever actor thread.
class timeline {
public:
  explicit timeline(std::ostream& out)
    : out_(out), start_(std::chrono::steady_clock::now()) {}

  void say(const std::string& text) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start_)
                .count();
    out_ << '[' << std::setw(6) << ms << " ms] " << text << std::endl;
  }

  void on_event(const page_event& ev) {
    auto task = "task " + std::to_string(ev.task.id) + " (codeunit "
                + std::to_string(ev.task.codeunit) + ")";
    switch (ev.what) {
    case page_event::kind::enqueued:
      say(
        "enqueued " + task + " with timeout "
        + std::to_string(
          std::chrono::duration_cast<std::chrono::milliseconds>(ev.task.timeout)
            .count())
        + " ms");
      break;
    case page_event::kind::started:
      say("child session started " + task);
      break;
    case page_event::kind::completed: {
      std::ostringstream results;
      for (auto& [key, value] : ev.results)
        results << ' ' << key << '=' << value;
      say("completed " + task + ":" + results.str());
      break;
    }
    case page_event::kind::error:
      say("error in " + task + ": " + ev.error.code + ": " + ev.error.text
          + (ev.handled ? " (handled by the page)" : ""));
      break;
    case page_event::kind::notification:
      say("notification (" + ev.level + "): " + ev.text);
      break;
    case page_event::kind::cancelled:
      say("cancelled " + task + ": " + to_string(ev.reason));
      break;
    case page_event::kind::enqueue_failed:
      say("enqueue failed: " + ev.text);
      break;
    }
  }

private:
  std::mutex mtx_;
  std::ostream& out_;
  std::chrono::steady_clock::time_point start_;
};

} // namespace

int run_demo(config& cfg, std::ostream& out) {
  timeline log{out};
  runtime rt{cfg, [&log](const page_event& ev) {
               log.on_event(ev);
             }};
  if (auto err = samples::register_sample_codeunits(rt.codeunits())) {
    out << describe(err) << '\n';
    return 1;
  }
  auto session = rt.open_session();
  if (!session) {
    out << describe(session.error()) << '\n';
    return 1;
  }
  for (auto timeout_ms : {10000, 500}) {
    log.say("-- Customer Card opens on CUSTOMER 10000; PBTWaitCodeunit waits "
            "1000 ms, timeout "
            + std::to_string(timeout_ms) + " ms --");
    auto card
      = std::make_shared<customer_card>(std::chrono::milliseconds(timeout_ms));
    auto page = rt.open_page(*session, "CUSTOMER 10000", card);
    if (auto done = rt.wait_all_tasks_done(page); !done) {
      out << describe(done.error()) << '\n';
      return 1;
    }
    log.say("page shows: " + card->fields());
    rt.close_page(page);
  }
  return 0;
}

} // namespace stagehand::apps
