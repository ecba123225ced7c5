#pragma once
// A coordinator runtime in the benchmark's process with its door open on a
// free loopback port, and the `stagehand worker` processes that join it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/common/worker_processes.hpp"
#include "runtime/runtime.hpp"

namespace stagehand::bench {

/// How long a worker may take from its start to being live; far above a
/// join's ~100 ms, so that only a broken setup hits it.
inline constexpr std::chrono::seconds join_limit{20};

/// A runtime that accepts workers. Its workers are killed before the runtime
/// goes, so that its shutdown waits for no goodbye: the figures are taken
/// by then, and a killed worker is the quickest way out.
class bench_cluster {
public:
  /// `args` are `--stagehand.*` options (placement, TLS files); logging is
  /// off. Throws `std::runtime_error` if the config is refused or the door
  /// cannot open.
  explicit bench_cluster(std::vector<std::string> args,
                         page_observer observer = {});

  bench_cluster(const bench_cluster&) = delete;
  bench_cluster& operator=(const bench_cluster&) = delete;

  ~bench_cluster();

  runtime& rt() {
    return *rt_;
  }

  /// `127.0.0.1:PORT` of the door.
  std::string door() const;

  /// True if `node` is in the node table and live.
  bool is_live(const std::string& node) const;

  /// Starts `stagehand worker` named `name` with `options` and waits until
  /// the node table lists it live. Throws, with the worker's log, if it ends
  /// or is not live within `join_limit`. The cluster owns the worker.
  worker_process& start_worker(const std::string& name,
                               const std::vector<std::string>& options = {});

  /// Kills and reaps the worker (after it was signalled, for instance).
  void drop_worker(const worker_process& w);

private:
  temp_dir data_{"coordinator"};
  config cfg_;
  std::unique_ptr<runtime> rt_;
  std::uint16_t port_ = 0;
  std::vector<std::unique_ptr<worker_process>> workers_;
};

} // namespace stagehand::bench
