#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <caf/timespan.hpp>

#include "messages/background_task.hpp"
#include "messages/dictionary.hpp"
#include "messages/task_error.hpp"
#include "runtime/cancellation_token.hpp"

namespace stagehand {

/// Raised by a codeunit to fail with an error code of its own choosing;
/// any other exception fails the task with code `Dialog`.
class codeunit_error : public std::runtime_error {
public:
  explicit codeunit_error(const std::string& text,
                          std::string code = codeunit_error_code)
    : std::runtime_error(text), code_(std::move(code)) {}

  const std::string& code() const noexcept {
    return code_;
  }

private:
  std::string code_;
};

/// Raised by `codeunit_context::sleep` and `throw_if_cancelled` once the task
/// is cancelled, to unwind the codeunit quickly; its outcome is discarded.
class task_cancelled : public std::exception {
public:
  const char* what() const noexcept override {
    return "The task was cancelled.";
  }
};

/// What a running codeunit sees of its child session: the parameters, a place
/// for its results, and a cancellation-aware way to wait. A codeunit runs on a
/// blocking worker thread, never on an actor scheduler thread.
class codeunit_context {
public:
  codeunit_context(const background_task& task,
                   std::shared_ptr<cancellation_token> token)
    : task_(task), token_(std::move(token)) {}

  // -- AL's GetBackgroundParameters / SetBackgroundTaskResult -----------------

  const dictionary& parameters() const noexcept {
    return task_.parameters;
  }

  void set_result(dictionary results) {
    results_ = std::move(results);
  }

  dictionary take_result() {
    return std::move(results_);
  }

  // -- cancellation -----------------------------------------------------------

  bool cancelled() const noexcept {
    return token_->cancelled();
  }

  void throw_if_cancelled() const {
    if (cancelled())
      throw task_cancelled{};
  }

  /// Sleeps, but wakes and throws `task_cancelled` as soon as the task is
  /// cancelled or times out.
  void sleep(caf::timespan duration) {
    if (!token_->sleep_for(duration))
      throw task_cancelled{};
  }

  // -- identity ---------------------------------------------------------------

  const background_task& task() const noexcept {
    return task_;
  }

private:
  const background_task& task_;
  std::shared_ptr<cancellation_token> token_;
  dictionary results_;
};

} // namespace stagehand
