// End to end with one awaiting client: it submits no-op Echo operations
// with `Prefer: respond-async` one after another on one connection, then
// polls their status until every one has succeeded, the way a job-queue
// client enqueues jobs and then collects their results. Counted from the
// first submit to the last Succeeded seen, so it includes the scheduler
// running every operation as a background session.
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/http_api_server.hpp"
#include "benchmarks/common/scenarios.hpp"
#include "server/operations/operation_status.hpp"

namespace stagehand::bench {

namespace {

/// Far above an Echo's run, so that only a stuck scheduler hits it.
constexpr std::chrono::seconds stall_limit{30};

} // namespace

http_api_end_to_end_result http_api_end_to_end_stagehand(
  std::int64_t operations) {
  http_api_server server;
  http_load load{server.port(), 1};
  std::vector<std::string> pending(static_cast<std::size_t>(operations));
  auto start = clock_type::now();
  auto submits = load.run(
    operations, http_api_submit, 202,
    [&pending](std::int64_t i, const http_load::response& res) {
      pending[static_cast<std::size_t>(i)]
        = std::string{res["x-ms-dyn-backgroundoperationid"]};
    });
  // Rounds over the ids not yet done, without a pause: a client that sleeps
  // between polls would measure its own sleep.
  auto progressed = clock_type::now();
  while (!pending.empty()) {
    std::vector<bool> done(pending.size());
    load.run(
      static_cast<std::int64_t>(pending.size()),
      [&pending](std::int64_t i) {
        return http_api_status(pending[static_cast<std::size_t>(i)]);
      },
      200,
      [&](std::int64_t i, const http_load::response& res) {
        auto code = nlohmann::json::parse(res.body())
                      .at("backgroundOperationStatusCode")
                      .get<int>();
        auto status = operation_status::waiting_for_resources;
        // Only Succeeded may end an operation: a failed Echo would be fast.
        if (!from_status_code(code, status)
            || (is_terminal(status) && status != operation_status::succeeded))
          throw std::runtime_error{"http_api: operation "
                                   + pending[static_cast<std::size_t>(i)]
                                   + " answered " + res.body()};
        done[static_cast<std::size_t>(i)]
          = status == operation_status::succeeded;
      });
    std::vector<std::string> left;
    for (std::size_t i = 0; i < pending.size(); ++i)
      if (!done[i])
        left.push_back(std::move(pending[i]));
    if (left.size() < pending.size())
      progressed = clock_type::now();
    else if (clock_type::now() - progressed > stall_limit)
      throw std::runtime_error{"http_api: no operation succeeded for "
                               + std::to_string(stall_limit.count()) + " s"};
    pending = std::move(left);
  }
  auto seconds = micros(clock_type::now() - start) / 1e6;
  return {operations / seconds, submits.requests_per_second};
}

} // namespace stagehand::bench
