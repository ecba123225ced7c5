#include "server/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace stagehand {

retry_policy::retry_policy(const config& cfg)
  : retry_policy(cfg.operation_max_retries, cfg.operation_retry_initial_backoff,
                 cfg.operation_retry_backoff_factor,
                 cfg.operation_retry_max_backoff, cfg.operation_retry_jitter) {}

retry_policy::retry_policy(std::size_t max_retries, caf::timespan initial,
                           double factor, caf::timespan max, double jitter)
  : max_retries_(max_retries), initial_(initial), factor_(factor), max_(max),
    jitter_(jitter) {}

caf::timespan retry_policy::delay(std::size_t n, double u) const {
  auto exponent = static_cast<double>(n > 0 ? n - 1 : 0);
  auto full = std::min(static_cast<double>(initial_.count())
                         * std::pow(factor_, exponent),
                       static_cast<double>(max_.count()));
  return caf::timespan{static_cast<caf::timespan::rep>(full
                                                       * (1.0 - jitter_ * u))};
}

caf::timespan retry_policy::delay(std::size_t n) const {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return delay(n, std::uniform_real_distribution<double>{0.0, 1.0}(engine));
}

} // namespace stagehand
