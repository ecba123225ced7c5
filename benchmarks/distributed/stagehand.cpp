// Tasks/s and latency of empty tasks (codeunit 50105) with placement local,
// or placed on `stagehand worker` processes over loopback, with or without
// TLS: the same refill pages as benchmarks/throughput and benchmarks/latency,
// in a coordinator runtime.
#include <atomic>
#include <optional>
#include <stdexcept>

#include "benchmarks/common/bench_cluster.hpp"
#include "benchmarks/common/cluster_certificates.hpp"
#include "benchmarks/common/placement_counts.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "benchmarks/common/stagehand_driver.hpp"
#include "samples/sample_codeunits.hpp"

namespace stagehand::bench {

namespace {

/// Far above any run of the suite; past it the run fails instead of
/// hanging on a task that never ends.
constexpr auto run_limit = std::chrono::minutes(10);

void wait_done(latch& done, const char* what) {
  if (!done.wait_for(run_limit))
    throw std::runtime_error(std::string{what} + " did not end within "
                             + std::to_string(run_limit.count()) + " min");
}

} // namespace

distributed_result distributed_stagehand(int workers, bool tls,
                                         const distributed_counts& n) {
  std::vector<std::string> names;
  for (int i = 1; i <= workers; ++i)
    names.push_back("w" + std::to_string(i));
  std::optional<cluster_certificates> certs;
  if (tls) {
    auto nodes = names;
    nodes.emplace_back("coordinator");
    certs.emplace(nodes);
  }
  std::vector<std::string> args{"--stagehand.placement="
                                + std::string{workers == 0 ? "local"
                                                           : "remote"}};
  if (certs)
    for (auto& o : certs->options("coordinator"))
      args.push_back(o);
  placement_counts counts;
  bench_cluster cluster{args, [&counts](const page_event& ev) {
                          counts.count(ev);
                        }};
  for (auto& name : names)
    cluster.start_worker(name, certs ? certs->options(name)
                                     : std::vector<std::string>{});
  auto& rt = cluster.rt();
  enqueue_task empty{
    samples::empty_codeunit, {}, caf::none, error_level::error, ""};

  distributed_result result;
  {
    auto tasks = std::make_shared<budget>(n.tasks);
    auto done = std::make_shared<latch>(n.tasks);
    auto start = clock_type::now();
    for (std::size_t i = 0; i < n.sessions; ++i)
      rt.open_page(open_session(rt), "R",
                   std::make_shared<refill_page>(empty, 5, tasks, done));
    wait_done(*done, "the tasks/s run");
    auto seconds = micros(clock_type::now() - start) / 1e6;
    result.tasks_per_second = static_cast<double>(n.tasks) / seconds;
  }
  {
    sample_set latencies;
    auto done = std::make_shared<latch>(n.latency_tasks);
    rt.open_page(open_session(rt), "R",
                 std::make_shared<refill_page>(
                   empty, 1, std::make_shared<budget>(n.latency_tasks), done,
                   &latencies));
    wait_done(*done, "the latency run");
    result.latencies = latencies.take();
  }
  counts.check(workers);
  return result;
}

} // namespace stagehand::bench
