#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "messages/background_task.hpp"
#include "messages/dictionary.hpp"
#include "messages/task_error.hpp"
#include "core/cancellation_token.hpp"
#include "core/time_budget.hpp"
#include "data/company_directory.hpp"
#include "core/errc.hpp"
#include "services/session_host.hpp"

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

/// The texts of SPEC.md §2 for dialogs in a session without UI.
inline constexpr const char* confirm_without_ui_text
  = "Stagehand attempted to issue a client callback to show a confirmation "
    "dialog box.";
inline constexpr const char* callbacks_not_allowed_text
  = "Callback functions are not allowed.";

/// What a running codeunit sees of its session: the parameters, a place for
/// its results, its company's database (read-only in a child session,
/// read-write in a background session), the dialogs a session without UI
/// allows, the other sessions, and a cancellation-aware way to wait. A
/// codeunit runs on a blocking worker thread, never on an actor's.
class codeunit_context {
public:
  /// Only a read-write session may start and stop sessions; with a null
  /// `host`, not even that, and messages go nowhere. `budget` is what is
  /// left of the session's timeout on this node's clock.
  codeunit_context(const background_task& task,
                   std::shared_ptr<cancellation_token> token,
                   company_directory* companies = nullptr,
                   access_mode access = access_mode::read_only,
                   session_host* host = nullptr, time_budget budget = {})
    : task_(task), token_(std::move(token)), companies_(companies),
      access_(access), host_(host), budget_(budget) {}

  codeunit_context(const codeunit_context&) = delete;
  codeunit_context& operator=(const codeunit_context&) = delete;

  ~codeunit_context();

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

  /// Sleeps, but wakes and throws `task_cancelled` as soon as the session is
  /// cancelled, stopped or times out. A duration too long for `timespan`
  /// (292 years) saturates to the longest one instead of overflowing.
  template <class Rep, class Period>
  void sleep(std::chrono::duration<Rep, Period> duration) {
    // Compared in floating point, which holds any duration without
    // overflowing.
    using seconds = std::chrono::duration<double>;
    constexpr auto longest = caf::timespan::max();
    sleep(seconds{duration} >= seconds{longest}
            ? longest
            : std::chrono::duration_cast<caf::timespan>(duration));
  }

  void sleep(caf::timespan duration);

  /// What is left of the session's timeout: on a worker too, measured on
  /// the worker's own clock. Zero once it has run out (the session is then
  /// about to be stopped); the longest timespan if it has no timeout.
  caf::timespan remaining() const noexcept {
    return budget_.remaining();
  }

  // -- the company database ---------------------------------------------------

  /// The session's connection, in the one transaction the session runs in.
  /// A child session borrows a read-only connection from the company's pool
  /// (waiting, cancellation-aware, while the pool is exhausted), and its
  /// first read fixes the snapshot. A background session opens a read-write
  /// connection and takes the write lock (waiting up to the busy timeout).
  /// Every statement checks the cancellation token, so a stopped session
  /// never runs its next statement and a running one is interrupted.
  /// @throws database_error if the company cannot be opened.
  database& db();

  /// Ends the session's transaction: commit or roll back. The runtime calls
  /// these when the codeunit has returned; a codeunit cannot.
  void commit_transaction();

  void rollback_transaction() noexcept;

  // -- dialogs (SPEC.md §2: a session without UI) -----------------------------

  /// Suppressed; logged as Information.
  void message(const std::string& text);

  /// @throws codeunit_error: no one can answer a confirmation.
  bool confirm(const std::string& question, bool default_answer = true);

  /// Ends the session with `text` as its error.
  [[noreturn]] void error(const std::string& text);

  /// Suppressed: neither shown nor logged.
  void dialog_open(const std::string& text);

  /// @throws codeunit_error: callbacks need a client.
  int str_menu(const std::string& options, int default_choice = 1);

  /// @throws codeunit_error: callbacks need a client.
  void run_page(std::int32_t page);

  // -- other sessions ---------------------------------------------------------

  /// `StartSession` from this session, as its user and in its company
  /// unless `request` names another; the new session is one level deeper in
  /// this session's chain. Without a timeout of its own, the new session
  /// gets the default one or what is left of this session's, whichever is
  /// shorter, so that work started late in a session cannot outlive it.
  /// Fails with `budget_spent` if that is nothing.
  caf::expected<session_id> start_session(stagehand::start_session request);

  /// `StopSession`; stopping this session itself is an error.
  caf::expected<bool> stop_session(session_id id, std::string comment = {});

  bool is_session_active(session_id id);

  // -- identity ---------------------------------------------------------------

  const background_task& task() const noexcept {
    return task_;
  }

  /// The id of the session the codeunit runs in.
  session_id session() const noexcept {
    return task_.session;
  }

private:
  session_host& host();

  const background_task& task_;
  std::shared_ptr<cancellation_token> token_;
  dictionary results_;
  /// Null when the runtime has no company databases.
  company_directory* companies_;
  access_mode access_;
  session_host* host_;
  time_budget budget_;
  std::optional<reader_lease> lease_;
  std::unique_ptr<database> writer_;
};

} // namespace stagehand
