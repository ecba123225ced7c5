#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "messages/background_task.hpp"
#include "messages/dictionary.hpp"
#include "messages/task_error.hpp"
#include "runtime/cancellation_token.hpp"
#include "runtime/errc.hpp"
#include "runtime/company_directory.hpp"

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
/// for its results, a read-only view of its company, and a cancellation-aware
/// way to wait. A codeunit runs on a blocking worker thread, never on an actor
/// scheduler thread.
class codeunit_context {
public:
  codeunit_context(const background_task& task,
                   std::shared_ptr<cancellation_token> token,
                   company_directory* companies = nullptr)
    : task_(task), token_(std::move(token)), companies_(companies) {}

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

  // -- the company database ---------------------------------------------------

  /// The child session's read-only connection. The first call borrows it
  /// from the company's pool (waiting, cancellation-aware, while the pool is
  /// exhausted) and opens the one transaction whose snapshot the first read
  /// fixes; the task gives it back when it ends.
  /// @throws database_error if the company cannot be opened.
  database& db() {
    if (!lease_) {
      if (!companies_)
        throw database_error{"This runtime has no company databases."};
      auto found = companies_->open(task_.company);
      if (!found)
        throw database_error{describe(found.error())};
      lease_.emplace((*found)->acquire_reader(*token_));
      lease_->db().begin();
    }
    return lease_->db();
  }

  // -- identity ---------------------------------------------------------------

  const background_task& task() const noexcept {
    return task_;
  }

private:
  const background_task& task_;
  std::shared_ptr<cancellation_token> token_;
  dictionary results_;
  /// Null when the runtime has no company databases.
  company_directory* companies_;
  std::optional<reader_lease> lease_;
};

} // namespace stagehand
