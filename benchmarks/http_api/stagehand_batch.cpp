// Bulk submit: one client sends `POST /api/$batch` with 1,000 asynchronous
// Echo submits at a time, one batch after another on one connection, and
// counts the items answered 202 (every accepted item is stored before the
// batch's answer). The scheduler runs them in the background meanwhile.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "benchmarks/common/http_api_requests.hpp"
#include "benchmarks/common/http_api_server.hpp"
#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

double http_api_batch_stagehand(std::int64_t batches) {
  http_api_server server;
  http_load load{server.port(), 1};
  auto batch = http_api_batch(http_api_batch_limit);
  // Bodies are checked once the clock has stopped, so that parsing 1,000
  // items' JSON is not counted as the server's time.
  std::vector<std::string> answers(static_cast<std::size_t>(batches));
  auto run = load.run(
    batches, [&batch](std::int64_t) { return batch; }, 200,
    [&answers](std::int64_t i, const http_load::response& res) {
      answers[static_cast<std::size_t>(i)] = res.body();
    });
  for (auto& answer : answers) {
    std::int64_t accepted = 0;
    auto doc = nlohmann::json::parse(answer);
    for (auto& item : doc.at("responses")) {
      if (item.at("status").get<int>() != 202)
        throw std::runtime_error{"http_api: a $batch item answered "
                                 + item.dump()};
      ++accepted;
    }
    if (accepted != http_api_batch_limit)
      throw std::runtime_error{"http_api: a $batch answered "
                               + std::to_string(accepted) + " items of "
                               + std::to_string(http_api_batch_limit)};
  }
  return run.requests_per_second * http_api_batch_limit;
}

} // namespace stagehand::bench
