#include "server/operations/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace stagehand {

retry_policy::retry_policy(const operation_settings& settings)
  : retry_policy(settings.max_retries, settings.retry_initial_backoff,
                 settings.retry_backoff_factor, settings.retry_max_backoff,
                 settings.retry_jitter) {}

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
