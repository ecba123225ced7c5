#pragma once

#include <chrono>
#include <functional>

#include "benchmarks/common/hand_session.hpp"
#include "benchmarks/common/measure.hpp"

namespace stagehand::bench {

/// The hand-written counterpart of `refill_page`: its completion handler,
/// on the page's strand, submits the next task while the budget lasts.
class hand_refill {
public:
  hand_refill(hand_session& session, budget& tasks, latch& done,
              hand_session::work_fn work,
              std::chrono::milliseconds timeout = std::chrono::minutes(2),
              sample_set* latencies = nullptr)
    : session_(session),
      tasks_(tasks),
      done_(done),
      work_(std::move(work)),
      timeout_(timeout),
      latencies_(latencies) {
  }

  void start() {
    if (!tasks_.take())
      return;
    auto started = clock_type::now();
    session_.submit(work_, timeout_,
                    [this, started](std::future<dictionary>& result) {
                      try {
                        result.get();
                      } catch (const std::exception&) {
                        // a timeout or failure ends the task all the same
                      }
                      if (latencies_ != nullptr)
                        latencies_->add(micros(clock_type::now() - started));
                      done_.count_down();
                      start();
                    });
  }

private:
  hand_session& session_;
  budget& tasks_;
  latch& done_;
  hand_session::work_fn work_;
  std::chrono::milliseconds timeout_;
  sample_set* latencies_;
};

/// The empty task of the baseline, like codeunit 50105.
inline dictionary hand_empty_task() {
  return {{"ok", "1"}};
}

} // namespace stagehand::bench
