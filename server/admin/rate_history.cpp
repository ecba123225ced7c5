#include "server/admin/rate_history.hpp"

namespace stagehand {

namespace {

/// Per second; a counter never goes down, but a restart of the counters
/// would, and shows as no activity rather than a negative rate.
double per_second(std::uint64_t before, std::uint64_t after, double seconds) {
  return after >= before ? static_cast<double>(after - before) / seconds : 0.0;
}

} // namespace

rate_history::rate_history(std::size_t kept) : kept_(kept < 2 ? 2 : kept) {}

void rate_history::record(std::int64_t time, const operation_totals& totals) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (!samples_.empty() && time <= samples_.back().time)
    return;
  samples_.push_back({time, totals});
  if (samples_.size() > kept_)
    samples_.pop_front();
}

std::vector<rate_history::rate> rate_history::rates() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<rate> out;
  for (std::size_t i = 1; i < samples_.size(); ++i) {
    auto& a = samples_[i - 1];
    auto& b = samples_[i];
    auto seconds = static_cast<double>(b.time - a.time) / 1000.0;
    out.push_back({b.time,
                   per_second(a.totals.submitted, b.totals.submitted, seconds),
                   per_second(a.totals.succeeded, b.totals.succeeded, seconds),
                   per_second(a.totals.failed, b.totals.failed, seconds)});
  }
  return out;
}

} // namespace stagehand
