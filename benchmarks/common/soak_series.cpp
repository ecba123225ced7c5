#include "benchmarks/common/soak_series.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <vector>

#include "benchmarks/common/measure.hpp"

namespace stagehand::bench {

void write_soak_series(const std::string& path,
                       const http_load::timed_result& load) {
  std::vector<std::vector<double>> seconds;
  for (std::size_t i = 0; i < load.latencies.size(); ++i) {
    auto s = static_cast<std::size_t>(load.finished[i]);
    if (s >= seconds.size())
      seconds.resize(s + 1);
    seconds[s].push_back(load.latencies[i] / 1e3);
  }
  std::ofstream out{path};
  out << "# second requests p50_ms p99_ms max_ms\n";
  for (std::size_t s = 0; s < seconds.size(); ++s) {
    auto& ms = seconds[s];
    out << s << ' ' << ms.size();
    if (ms.empty())
      out << " NaN NaN NaN\n";
    else
      out << ' ' << percentile(ms, 0.5) << ' ' << percentile(ms, 0.99) << ' '
          << *std::max_element(ms.begin(), ms.end()) << '\n';
  }
}

} // namespace stagehand::bench
