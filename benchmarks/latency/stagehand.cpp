// Latency through Stagehand: one page, one empty task at a time, measured
// from enqueue to the completion trigger.
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

std::vector<double> latency_stagehand(std::int64_t tasks) {
  config cfg;
  auto rt = make_runtime(cfg);
  auto done = std::make_shared<latch>(tasks);
  sample_set latencies;
  enqueue_task empty{
    samples::empty_codeunit, {}, caf::none, error_level::error, ""};
  rt->open_page(open_session(*rt), "R",
                std::make_shared<refill_page>(
                  empty, 1, std::make_shared<budget>(tasks), done, &latencies));
  done->wait();
  return latencies.take();
}

} // namespace stagehand::bench
