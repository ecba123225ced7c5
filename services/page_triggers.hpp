#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <caf/expected.hpp>

#include "messages/background_task.hpp"
#include "messages/dictionary.hpp"
#include "messages/enqueue_task.hpp"
#include "messages/task_error.hpp"
#include "data/database.hpp"

namespace stagehand {

/// What a trigger may do with its page, like `CurrPage` in AL. Only valid
/// during the trigger call that received it.
class page_context {
public:
  virtual ~page_context() = default;

  /// Enqueues a task. Validation errors (unknown codeunit, negative timeout)
  /// return at once; if the supervisor later refuses the task (queue full),
  /// the page shows an Error notification, as an unguarded AL call would.
  virtual caf::expected<task_id> enqueue_background_task(enqueue_task request)
    = 0;

  /// @returns true if the task was pending and is now cancelled.
  virtual bool cancel_background_task(task_id id) = 0;

  /// Sends an informational notification to the client.
  virtual void send_notification(std::string text) = 0;

  // -- dialogs: a page's session has a UI, but a task's triggers do not -------
  // In `on_page_background_task_completed` and `on_page_background_task_error`
  // the client callbacks below throw, which ends the trigger with an Error
  // notification `<call> is not allowed in <trigger>: page background task
  // triggers have no UI; send a notification instead.`

  /// `Message`: reaches the client as an informational notification.
  virtual void message(std::string text) = 0;

  /// `Confirm`: a client callback, answered by the page's `on_confirm`.
  virtual bool confirm(const std::string& question, bool default_answer = true)
    = 0;

  /// `StrMenu`: a client callback, answered by the page's `on_str_menu`.
  virtual int str_menu(const std::string& options, int default_choice = 1) = 0;

  /// `Page.Run`: a client callback, handled by the page's `on_run_page`.
  virtual void run_page(std::int32_t page) = 0;

  /// Runs `work` in the user's session with read-write access, on the worker
  /// pool (a trigger must not block): one transaction that commits if `work`
  /// returns and rolls back if it throws. `on_write_done` runs with the
  /// outcome. `work` must not touch the page; it runs on another thread.
  /// @returns the write's id, which `on_write_done` receives.
  virtual std::uint64_t write(std::function<void(database&)> work) = 0;

  virtual const std::string& record_id() const = 0;

  /// Tasks that have not reached an outcome yet.
  virtual std::size_t pending_background_tasks() const = 0;

  virtual page_id id() const = 0;

  virtual session_id session() const = 0;
};

/// The user's page code. Override what the page needs; every trigger runs on
/// the page's actor, one at a time, so it needs no locking but must not block.
/// An exception escaping a trigger becomes an Error notification and the page
/// keeps working.
class page_triggers {
public:
  virtual ~page_triggers() = default;

  virtual void on_open_page(page_context&) {}

  /// Runs when the page opens and whenever its current record changes: the
  /// usual place to enqueue tasks.
  virtual void on_after_get_curr_record(page_context&) {}

  virtual void
  on_page_background_task_completed(page_context&, const background_task&,
                                    const dictionary& /*results*/) {}

  /// Set `is_handled` to suppress the notification the error level implies.
  virtual void on_page_background_task_error(page_context&,
                                             const background_task&,
                                             const task_error&,
                                             bool& /*is_handled*/) {}

  /// Runs when the last pending task reaches its outcome; a part page shows
  /// its data from here.
  virtual void on_all_background_tasks_done(page_context&) {}

  virtual void on_close_page(page_context&) {}

  /// A `page_context::write` has committed (no error) or rolled back.
  virtual void on_write_done(page_context&, std::uint64_t /*write*/,
                             const caf::error& /*error*/) {}

  // -- client callbacks -------------------------------------------------------
  // The client's side of the dialogs a trigger opens. The defaults answer as
  // a user who accepts the default button would.

  virtual bool on_confirm(page_context&, const std::string& /*question*/,
                          bool default_answer) {
    return default_answer;
  }

  virtual int on_str_menu(page_context&, const std::string& /*options*/,
                          int default_choice) {
    return default_choice;
  }

  virtual void on_run_page(page_context&, std::int32_t /*page*/) {}
};

} // namespace stagehand
