// Isolation in Stagehand: `sleepers` sessions (20 in the full run) keep 5
// codeunits each sleeping 100 ms (50100) while a probe page runs empty tasks
// one after another.
#include <limits>

#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

std::vector<double> isolation_stagehand(int sleepers, std::int64_t probes) {
  config cfg;
  auto rt = make_runtime(cfg);
  auto forever = std::make_shared<budget>(std::numeric_limits<int>::max());
  auto never = std::make_shared<latch>(std::numeric_limits<int>::max());
  enqueue_task sleep{samples::wait_codeunit,
                     {{"Wait", "100"}},
                     caf::none,
                     error_level::error,
                     ""};
  for (int i = 0; i < sleepers; ++i)
    rt->open_page(open_session(*rt), "R",
                  std::make_shared<refill_page>(sleep, 5, forever, never));
  auto done = std::make_shared<latch>(probes);
  sample_set latencies;
  enqueue_task empty{
    samples::empty_codeunit, {}, caf::none, error_level::error, ""};
  rt->open_page(open_session(*rt), "PROBE",
                std::make_shared<refill_page>(empty, 1,
                                              std::make_shared<budget>(probes),
                                              done, &latencies));
  done->wait();
  forever->stop();
  return latencies.take();
}

} // namespace stagehand::bench
