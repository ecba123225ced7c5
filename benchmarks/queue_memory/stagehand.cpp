// Queue memory in Stagehand: sessions whose pages hold 5 running tasks, then
// sessions whose pages hold 5 running and 100 queued; the difference is what
// 100 queued tasks cost.
#include <thread>

#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

namespace {

/// Enqueues `count` hour-long tasks when it opens.
class loaded_page : public page_triggers {
public:
  explicit loaded_page(int count) : count_(count) {}

  void on_after_get_curr_record(page_context& page) override {
    for (int i = 0; i < count_; ++i)
      page.enqueue_background_task({samples::wait_codeunit,
                                    {{"Wait", "3600000"}},
                                    caf::none,
                                    error_level::ignore,
                                    ""});
  }

private:
  int count_;
};

/// Opens `sessions` sessions with `tasks` tasks each and waits until all are
/// admitted. @returns the RSS growth.
std::size_t open_loaded(runtime& rt, std::size_t sessions, int tasks) {
  auto before = rss_bytes();
  auto target = rt.stats().enqueued + sessions * tasks;
  for (std::size_t i = 0; i < sessions; ++i)
    rt.open_page(open_session(rt), "R", std::make_shared<loaded_page>(tasks));
  while (rt.stats().enqueued < target)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return rss_bytes() - before;
}

} // namespace

double queue_memory_stagehand(std::size_t sessions) {
  config cfg;
  auto rt = make_runtime(cfg);
  auto running_only = open_loaded(*rt, sessions, 5);
  auto with_queue = open_loaded(*rt, sessions, 105);
  return (static_cast<double>(with_queue) - running_only) / (sessions * 100.0);
}

} // namespace stagehand::bench
