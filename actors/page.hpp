#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <caf/response_promise.hpp>
#include <caf/typed_response_promise.hpp>

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "messages/background_task.hpp"
#include "messages/cancel_reason.hpp"
#include "messages/client_type.hpp"
#include "messages/page_actor.hpp"
#include "messages/page_internal_actor.hpp"
#include "messages/page_handle.hpp"
#include "messages/page_subscriber_actor.hpp"
#include "messages/parent_session_actor.hpp"
#include "messages/session_handle.hpp"
#include "messages/session_supervisor_actor.hpp"
#include "services/page_event.hpp"
#include "services/page_triggers.hpp"
#include "services/services.hpp"

namespace stagehand {

/// Everything a page needs to open.
struct page_setup {
  services_ptr svc;
  session_id session = 0;
  client_type client = client_type::web_client;
  parent_session_actor parent;
  session_supervisor_actor supervisor;
  page_id id = 0;
  std::string record_id;
  std::shared_ptr<page_triggers> triggers;
  /// The session's company, which the page's child sessions read.
  std::string company = "CRONUS";
  /// The session's user, whom its child sessions run as.
  std::string user;
  /// Receives the page's events as messages; may be null. A page with a
  /// subscriber runs no trigger code of its own (`triggers` stay the
  /// defaults) and closes when the subscriber is gone.
  page_subscriber_actor subscriber;
};

/// A page is the sole judge of its tasks' outcomes. It records each task as
/// pending until exactly one of completed, failed, timed out or cancelled
/// happens, and runs the user's triggers for the first three. Changing the
/// record bumps the record epoch and cancels every pending task; a result
/// stamped with an older epoch, or for a task no longer pending, is dropped,
/// so no stale result can ever reach a trigger.
class page_state : public page_context {
public:
  static inline const char* name = "stagehand.page";

  using pointer = page_internal_actor::stateful_pointer<page_state>;

  /// A task that has no outcome yet, and who waits for it.
  struct pending_task {
    background_task task;
    /// False for `run_task_now` without completion triggers.
    bool run_triggers = true;
    /// An outside `enqueue_task` request awaiting admission (or, for a
    /// web-service session, completion); not pending for trigger enqueues.
    caf::typed_response_promise<task_id> enqueue_reply;
    /// A `run_task_now` request awaiting the results.
    caf::typed_response_promise<dictionary> run_reply;
    /// Started on a worker, not in this process.
    bool on_worker = false;
  };

  // -- life cycle -------------------------------------------------------------

  void init(pointer self, page_setup setup);

  // -- requests ---------------------------------------------------------------

  /// Validates and submits a task; the supervisor answers with admitted or
  /// rejected later.
  caf::expected<task_id> submit(enqueue_task request, bool run_triggers);

  /// Cancels pending tasks, reporting each; `ids` empty means all. A task on
  /// a worker is reported once the supervisor settles its cancel.
  std::size_t cancel(const std::vector<task_id>& ids, cancel_reason reason);

  void change_record(std::string record_id);

  void close(cancel_reason reason);

  // -- supervisor reports -----------------------------------------------------

  void admitted(task_id id);

  void rejected(task_id id, const caf::error& reason);

  void started(task_id id, const std::string& node);

  void finished(task_finished& msg);

  /// Reports the cancel of a task on a worker as acknowledged or forced.
  void cancel_settled(const task_cancel_settled& msg);

  // -- subscriber -------------------------------------------------------------

  /// The subscriber is gone: the page closes, cancelling its tasks.
  void subscriber_lost();

  // -- page_context -----------------------------------------------------------

  caf::expected<task_id> enqueue_background_task(enqueue_task request) override;

  bool cancel_background_task(task_id id) override;

  void send_notification(std::string text) override;

  void message(std::string text) override;

  bool confirm(const std::string& question, bool default_answer) override;

  int str_menu(const std::string& options, int default_choice) override;

  void run_page(std::int32_t page) override;

  std::uint64_t write(std::function<void(database&)> work) override;

  // -- worker reports ---------------------------------------------------------

  void write_finished(write_done& msg);

  const std::string& record_id() const override {
    return setup_.record_id;
  }

  std::size_t pending_background_tasks() const override {
    return pending_.size();
  }

  page_id id() const override {
    return setup_.id;
  }

  session_id session() const override {
    return setup_.session;
  }

  /// The only actor whose task reports the page accepts.
  const session_supervisor_actor& supervisor() const {
    return setup_.supervisor;
  }

  const stagehand::services& svc() const {
    return *setup_.svc;
  }

  // -- state ------------------------------------------------------------------

  pending_task* find(task_id id);

  std::vector<caf::response_promise> done_waiters;

  bool closed = false;

private:
  /// Takes a task out of `pending_`: it has reached its one outcome.
  pending_task settle(std::map<task_id, pending_task>::iterator i);

  /// Counts a settled task out of the process-wide pending count, once its
  /// outcome is delivered. Not in `settle`: a completion trigger may
  /// re-enqueue, and `wait_idle` must not see zero in between.
  void release_pending();

  /// Reports a cancel to the subscriber and the observer.
  void report_cancel(page_task_cancelled report);

  /// Reports every cancel still waiting for its worker as `requested`.
  void report_unsettled_cancels();

  /// Hands an event to the observer; an exception it throws is logged and
  /// goes no further.
  void emit(page_event ev);

  /// Logs an exception that a trigger or the observer let escape.
  void log_escaped(const char* where, const char* event, const char* text);

  void notify(std::string level, std::string text);

  /// Sends an event to the subscriber, if the page has one.
  template <class Event>
  void tell_subscriber(Event ev) {
    if (setup_.subscriber)
      self_->send(setup_.subscriber, std::move(ev));
  }

  /// Shows a notification: to the observer and the subscriber.
  void publish_notification(page_event ev);

  /// The names of the triggers a task's outcome runs, as logs show them.
  static constexpr const char* task_completed_trigger
    = "OnPageBackgroundTaskCompleted";
  static constexpr const char* task_error_trigger = "OnPageBackgroundTaskError";

  /// Runs a trigger; an exception becomes an Error notification.
  template <class F>
  void run_trigger(const char* trigger, F&& f);

  /// Throws, ending the running trigger through `run_trigger`, when `call`
  /// is a dialog inside a page background task's completion or error
  /// trigger: those triggers have no UI (SPEC.md §1).
  void refuse_ui_in_task_trigger(const char* call) const;

  void check_all_done();

  /// Asks the subscriber whether it handles an error, and concludes the
  /// error with its answer, or unhandled when none comes within
  /// `subscriber-reply-timeout`.
  void await_handled(pending_task entry, task_error error);

  /// An error whose IsHandled answer the page awaits from its subscriber.
  struct awaited_error {
    pending_task entry;
    task_error error;
  };

  /// The rest of an error outcome, once IsHandled is known.
  void conclude_error(pending_task& entry, const task_error& error,
                      bool handled, std::vector<page_event>& held);

  /// The end of every outcome that reached a trigger or the subscriber.
  void conclude(pending_task& entry);

  pointer self_ = nullptr;
  page_setup setup_;
  std::uint64_t record_epoch_ = 0;
  task_id next_task_id_ = 1;
  std::uint64_t next_write_id_ = 1;
  std::map<task_id, pending_task> pending_;
  /// Cancelled tasks on workers whose cancel the supervisor has not settled
  /// yet, with their reports.
  std::map<task_id, page_task_cancelled> unsettled_cancels_;
  /// While the error trigger runs, its notifications wait so that observers
  /// see the error first.
  std::vector<page_event>* held_notifications_ = nullptr;
  /// The trigger running now, or null; a nested trigger (a completion
  /// trigger's cancel may run OnAllBackgroundTasksDone) replaces it while it
  /// runs.
  const char* running_trigger_ = nullptr;
};

template <class F>
void page_state::run_trigger(const char* trigger, F&& f) {
  auto outer = std::exchange(running_trigger_, trigger);
  try {
    f();
  } catch (const std::exception& e) {
    log_escaped(trigger, "trigger_error", e.what());
    // Errors inside triggers always show at level Error (SPEC.md §1).
    notify("error", e.what());
  } catch (...) {
    log_escaped(trigger, "trigger_error", "unknown exception");
    notify("error", std::string{trigger} + " raised an unknown exception.");
  }
  running_trigger_ = outer;
}

page_internal_actor::behavior_type page(page_state::pointer self,
                                        page_setup setup);

/// Spawns a page in `session`, whose tasks `supervisor` runs, showing
/// `record_id`; its OnOpenPage and OnAfterGetCurrRecord triggers run before
/// this returns. Its events go to `triggers`, or, if `subscriber` is set, to
/// the subscriber as messages. The handle carries only the client face.
page_handle spawn_page(caf::actor_system& sys, const services_ptr& svc,
                       const session_handle& session,
                       session_supervisor_actor supervisor, page_id id,
                       std::string record_id,
                       std::shared_ptr<page_triggers> triggers,
                       page_subscriber_actor subscriber = {});

} // namespace stagehand
