// Throughput through Stagehand: each session's page keeps 5 empty tasks
// (codeunit 50105) in flight by re-enqueueing from its completion trigger.
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

double throughput_stagehand(std::size_t sessions, std::int64_t tasks) {
  config cfg;
  auto rt = make_runtime(cfg);
  auto budget_ptr = std::make_shared<budget>(tasks);
  auto done = std::make_shared<latch>(tasks);
  enqueue_task empty{
    samples::empty_codeunit, {}, caf::none, error_level::error, ""};
  auto start = clock_type::now();
  for (std::size_t i = 0; i < sessions; ++i)
    rt->open_page(open_session(*rt), "R",
                  std::make_shared<refill_page>(empty, 5, budget_ptr, done));
  done->wait();
  auto seconds = micros(clock_type::now() - start) / 1e6;
  return static_cast<double>(tasks) / seconds;
}

} // namespace stagehand::bench
