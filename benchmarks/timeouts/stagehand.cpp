// Timeouts in Stagehand: tasks whose codeunit notes when it started and then
// sleeps 2 s (returning when cancelled), with timeouts spread over
// 10–1,000 ms, all pending at once. A task's clock starts when its codeunit
// starts on a pool thread, so every task gets a thread of its own (they only
// sleep), or the tasks waiting for one would have no deadline yet. Lateness
// is the time from the deadline (the codeunit's start + timeout + the 1 ms
// resolution) to the error reaching the page.
#include <map>
#include <mutex>
#include <random>

#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "actors/session_supervisor.hpp"

namespace stagehand::bench {

namespace {

/// The bench's own codeunit: notes its start, then sleeps until cancelled.
constexpr codeunit_id noting_codeunit = 59000;

/// Enqueues five sleeping tasks with the timeouts it is given.
class sleeping_page : public page_triggers {
public:
  explicit sleeping_page(std::vector<int> timeouts_ms)
    : timeouts_ms_(std::move(timeouts_ms)) {}

  void on_after_get_curr_record(page_context& page) override {
    for (auto ms : timeouts_ms_)
      page.enqueue_background_task(
        {noting_codeunit,
         {},
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
    if (ev.what == page_event::kind::error) {
      auto now = clock_type::now();
      std::lock_guard<std::mutex> guard{mtx};
      lateness.add(micros(now - started[key] - ev.task.timeout
                          - session_supervisor_state::timeout_resolution));
      done.count_down();
    }
  };
  config cfg;
  cfg.codeunit_threads = static_cast<std::size_t>(tasks);
  auto rt = make_runtime(cfg, observe);
  rt->codeunits().add(noting_codeunit, "NotingCodeunit",
                      [&](codeunit_context& ctx) {
                        auto now = clock_type::now();
                        {
                          std::lock_guard<std::mutex> guard{mtx};
                          started[{ctx.task().page, ctx.task().id}] = now;
                        }
                        ctx.sleep(std::chrono::seconds(2));
                      });
  std::mt19937 rng{42};
  std::uniform_int_distribution<int> timeout_ms{10, 1000};
  for (std::int64_t i = 0; i < tasks / 5; ++i) {
    std::vector<int> timeouts(5);
    for (auto& t : timeouts)
      t = timeout_ms(rng);
    rt->open_page(open_session(*rt), "R",
                  std::make_shared<sleeping_page>(std::move(timeouts)));
  }
  done.wait();
  return lateness.take();
}

} // namespace stagehand::bench
