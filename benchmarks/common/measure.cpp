#include "benchmarks/common/measure.hpp"

#include <fstream>

#include <malloc.h>

namespace stagehand::bench {

double percentile(std::vector<double> samples, double p) {
  if (samples.empty())
    return 0;
  auto rank = static_cast<std::size_t>(p * (samples.size() - 1) + 0.5);
  std::nth_element(samples.begin(), samples.begin() + rank, samples.end());
  return samples[rank];
}

std::size_t rss_bytes() {
  // Freed heap pages stay resident, and new allocations reuse them without
  // growing RSS; an earlier scenario's garbage would hide this one's cost.
  malloc_trim(0);
  std::ifstream in{"/proc/self/status"};
  for (std::string key; in >> key;) {
    if (key == "VmRSS:") {
      std::size_t kib = 0;
      in >> kib;
      return kib * 1024;
    }
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

void latch::count_down(std::int64_t n) {
  std::lock_guard<std::mutex> guard{mtx_};
  count_ -= n;
  if (count_ <= 0)
    cv_.notify_all();
}

void latch::wait() {
  std::unique_lock<std::mutex> guard{mtx_};
  cv_.wait(guard, [this] { return count_ <= 0; });
}

bool latch::wait_for(clock_type::duration timeout) {
  std::unique_lock<std::mutex> guard{mtx_};
  return cv_.wait_for(guard, timeout, [this] { return count_ <= 0; });
}

} // namespace stagehand::bench
