#pragma once

#include <string>

#include "benchmarks/common/http_load.hpp"

namespace stagehand::bench {

/// Writes the soak's plot data to `path`: one line per second of the run
/// with the seconds since its start, the requests finished in that second
/// and their p50, p99 and max latency in ms (NaN, which gnuplot skips, for
/// a second in which none finished). The summary figures hide when a stall
/// happened and whether latency drifts; this shows both.
void write_soak_series(const std::string& path,
                       const http_load::timed_result& load);

} // namespace stagehand::bench
