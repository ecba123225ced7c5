#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "messages/attempt_parameter.hpp"
#include "server/operations/operation_runner.hpp"

namespace stagehand::fuzz {

/// Ends every attempt at once, on the scheduler's thread, so that a fuzzed
/// synchronous submit gets its answer in microseconds and no input waits on
/// a codeunit. Like `sample_Flaky`, an attempt fails while its number is
/// below the `FailTimes` input, so retries, backoff and Failed run too; any
/// other attempt succeeds with its inputs as outputs.
class instant_runner : public operation_runner {
public:
  caf::expected<std::uint64_t>
  start(operation_run run, std::function<void()> started,
        std::function<void(operation_result)> done) override {
    operation_result result;
    auto attempt = std::stoll(run.inputs.at(attempt_parameter));
    run.inputs.erase(attempt_parameter);
    auto fail_times = run.inputs.find("FailTimes");
    // FailTimes is an Integer parameter: bind let only decimal text through.
    if (fail_times != run.inputs.end() && fail_times->second.size() < 18
        && attempt < std::stoll(fail_times->second)) {
      result.what = operation_result::status::failed;
      result.error_message = "Attempt " + std::to_string(attempt)
                             + " failed as asked.";
    } else {
      result.outputs = std::move(run.inputs);
    }
    started();
    done(std::move(result));
    return ++attempts_;
  }

  bool stop(std::uint64_t, const std::string&) override {
    return false;
  }

private:
  std::atomic<std::uint64_t> attempts_{0};
};

} // namespace stagehand::fuzz
