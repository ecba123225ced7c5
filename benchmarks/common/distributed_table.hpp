#pragma once
// The distributed scenario's figures. They have no raw CAF or thread pool
// baseline: each sits beside the same figure with placement local, taken in
// the same run, so they get a table of their own after the main one.

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

/// One figure and its local counterpart (NaN where there is none).
struct local_row {
  std::string metric;
  std::string unit;
  bool higher_is_better = false;
  double value = 0;
  double local = 0;
};

/// Runs the whole scenario, printing progress on standard error. Throws
/// `std::runtime_error` if a setup fails; every worker is gone by then.
std::vector<local_row> run_distributed(const distributed_counts& n);

/// The table: figure, distributed, local, ratio, unit.
void print_distributed(std::ostream& out, const std::vector<local_row>& rows);

/// The row as the JSON output's `distributed` array holds it.
nlohmann::json to_json(const local_row& r);

} // namespace stagehand::bench
