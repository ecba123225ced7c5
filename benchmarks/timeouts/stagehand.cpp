// Timeouts in Stagehand: tasks on the spinning codeunit (50104, which ignores
// cancellation) with timeouts spread over 10–1,000 ms, all pending at once.
// Lateness is the time from a task's deadline (start + timeout) to its error
// reaching the page. One codeunit thread leaves a core to the scheduler, as
// the README advises for CPU-bound codeunits on small machines.
#include <map>
#include <mutex>
#include <random>

#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

namespace {

/// Enqueues five spinning tasks with the timeouts it is given.
class spinning_page : public page_triggers {
public:
  explicit spinning_page(std::vector<int> timeouts_ms)
    : timeouts_ms_(std::move(timeouts_ms)) {}

  void on_after_get_curr_record(page_context& page) override {
    for (auto ms : timeouts_ms_)
      page.enqueue_background_task(
        {samples::spin_codeunit,
         {{"Ms", "2000"}},
         caf::timespan{std::chrono::milliseconds(ms)},
         error_level::ignore,
         ""});
  }

private:
  std::vector<int> timeouts_ms_;
};

} // namespace

std::vector<double> timeouts_stagehand(std::int64_t tasks) {
  std::mutex mtx;
  std::map<std::pair<page_id, task_id>, clock_type::time_point> started;
  sample_set lateness;
  latch done{tasks};
  auto observe = [&](const page_event& ev) {
    std::pair<page_id, task_id> key{ev.page, ev.task.id};
    if (ev.what == page_event::kind::started) {
      std::lock_guard<std::mutex> guard{mtx};
      started[key] = clock_type::now();
    } else if (ev.what == page_event::kind::error) {
      auto now = clock_type::now();
      std::lock_guard<std::mutex> guard{mtx};
      lateness.add(micros(now - started[key] - ev.task.timeout));
      done.count_down();
    }
  };
  config cfg;
  cfg.codeunit_threads = 1;
  auto rt = make_runtime(cfg, observe);
  std::mt19937 rng{42};
  std::uniform_int_distribution<int> timeout_ms{10, 1000};
  for (std::int64_t i = 0; i < tasks / 5; ++i) {
    std::vector<int> timeouts(5);
    for (auto& t : timeouts)
      t = timeout_ms(rng);
    rt->open_page(open_session(*rt), "R",
                  std::make_shared<spinning_page>(std::move(timeouts)));
  }
  done.wait();
  return lateness.take();
}

} // namespace stagehand::bench
