#include "messages/message_types.hpp"

#include "messages/attach_page.hpp"
#include "messages/background_task.hpp"
#include "messages/blocking_done.hpp"
#include "messages/cancel_acknowledged.hpp"
#include "messages/cancel_reason.hpp"
#include "messages/cancel_state.hpp"
#include "messages/cancel_task.hpp"
#include "messages/cancel_tasks.hpp"
#include "messages/cancel_remote_session.hpp"
#include "messages/cancel_remote_task.hpp"
#include "messages/change_record.hpp"
#include "messages/child_finished.hpp"
#include "messages/child_started.hpp"
#include "messages/close_page.hpp"
#include "messages/close_session.hpp"
#include "messages/codeunit_returned.hpp"
#include "messages/dictionary.hpp"
#include "messages/enqueue_task.hpp"
#include "messages/error_level.hpp"
#include "messages/launch_session.hpp"
#include "messages/open_page.hpp"
#include "messages/open_session.hpp"
#include "messages/page_detached.hpp"
#include "messages/page_handle.hpp"
#include "messages/page_notification.hpp"
#include "messages/page_task_cancelled.hpp"
#include "messages/page_task_completed.hpp"
#include "messages/page_task_error.hpp"
#include "messages/page_task_started.hpp"
#include "messages/page_tasks_done.hpp"
#include "messages/run_remote_session.hpp"
#include "messages/run_remote_task.hpp"
#include "messages/run_task_now.hpp"
#include "messages/session_ended.hpp"
#include "messages/session_finished.hpp"
#include "messages/session_handle.hpp"
#include "messages/session_outcome.hpp"
#include "messages/session_supervisor_actor.hpp"
#include "messages/session_stop_acknowledged.hpp"
#include "messages/session_timeout.hpp"
#include "messages/stop_ack_timeout.hpp"
#include "messages/start_session.hpp"
#include "messages/stop_session.hpp"
#include "messages/submit_task.hpp"
#include "messages/task_admitted.hpp"
#include "messages/task_error.hpp"
#include "messages/task_cancel_settled.hpp"
#include "messages/task_finished.hpp"
#include "messages/task_outcome.hpp"
#include "messages/task_rejected.hpp"
#include "messages/task_started.hpp"
#include "messages/timeout_tick.hpp"
#include "messages/worker_join.hpp"
#include "messages/worker_welcome.hpp"
#include "messages/write_done.hpp"

namespace stagehand {

void register_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<dictionary>("stagehand::dictionary");
  cfg.add_message_type<error_level>("stagehand::error_level");
  cfg.add_message_type<cancel_reason>("stagehand::cancel_reason");
  cfg.add_message_type<task_error>("stagehand::task_error");
  cfg.add_message_type<task_outcome>("stagehand::task_outcome");
  cfg.add_message_type<background_task>("stagehand::background_task");
  cfg.add_message_type<enqueue_task>("stagehand::enqueue_task");
  cfg.add_message_type<run_task_now>("stagehand::run_task_now");
  cfg.add_message_type<cancel_task>("stagehand::cancel_task");
  cfg.add_message_type<change_record>("stagehand::change_record");
  cfg.add_message_type<close_page>("stagehand::close_page");
  cfg.add_message_type<task_admitted>("stagehand::task_admitted");
  cfg.add_message_type<task_rejected>("stagehand::task_rejected");
  cfg.add_message_type<task_started>("stagehand::task_started");
  cfg.add_message_type<task_finished>("stagehand::task_finished");
  cfg.add_message_type<write_done>("stagehand::write_done");
  cfg.add_message_type<submit_task>("stagehand::submit_task");
  cfg.add_message_type<cancel_tasks>("stagehand::cancel_tasks");
  cfg.add_message_type<child_started>("stagehand::child_started");
  cfg.add_message_type<child_finished>("stagehand::child_finished");
  cfg.add_message_type<timeout_tick>("stagehand::timeout_tick");
  cfg.add_message_type<codeunit_returned>("stagehand::codeunit_returned");
  cfg.add_message_type<attach_page>("stagehand::attach_page");
  cfg.add_message_type<page_detached>("stagehand::page_detached");
  cfg.add_message_type<close_session>("stagehand::close_session");
  cfg.add_message_type<session_outcome>("stagehand::session_outcome");
  cfg.add_message_type<start_session>("stagehand::start_session");
  cfg.add_message_type<stop_session>("stagehand::stop_session");
  cfg.add_message_type<session_finished>("stagehand::session_finished");
  cfg.add_message_type<session_timeout>("stagehand::session_timeout");
  // -- the actor-native embedding API (issue 13) ---
  cfg.add_message_type<open_session>("stagehand::open_session");
  cfg.add_message_type<open_page>("stagehand::open_page");
  cfg.add_message_type<session_handle>("stagehand::session_handle");
  cfg.add_message_type<page_handle>("stagehand::page_handle");
  cfg.add_message_type<blocking_done>("stagehand::blocking_done");
  cfg.add_message_type<page_task_started>("stagehand::page_task_started");
  cfg.add_message_type<page_task_completed>("stagehand::page_task_completed");
  cfg.add_message_type<page_task_error>("stagehand::page_task_error");
  cfg.add_message_type<page_task_cancelled>("stagehand::page_task_cancelled");
  cfg.add_message_type<page_notification>("stagehand::page_notification");
  cfg.add_message_type<page_tasks_done>("stagehand::page_tasks_done");
  cfg.add_message_type<session_ended>("stagehand::session_ended");
  // -- separate client and internal faces (issue 21) ---
  cfg.add_message_type<launch_session>("stagehand::launch_session");
  cfg.add_message_type<session_supervisor_actor>(
    "stagehand::session_supervisor_actor");
  // -- the cluster (issue 21) ---
  cfg.add_message_type<worker_join>("stagehand::worker_join");
  cfg.add_message_type<worker_welcome>("stagehand::worker_welcome");
  cfg.add_message_type<run_remote_task>("stagehand::run_remote_task");
  cfg.add_message_type<cancel_remote_task>("stagehand::cancel_remote_task");
  cfg.add_message_type<session_report_actor>("stagehand::session_report_actor");
  cfg.add_message_type<run_remote_session>("stagehand::run_remote_session");
  cfg.add_message_type<cancel_remote_session>(
    "stagehand::cancel_remote_session");
  // -- cancel states (issue 22) ---
  cfg.add_message_type<cancel_state>("stagehand::cancel_state");
  cfg.add_message_type<cancel_acknowledged>("stagehand::cancel_acknowledged");
  cfg.add_message_type<task_cancel_settled>("stagehand::task_cancel_settled");
  cfg.add_message_type<session_stop_acknowledged>(
    "stagehand::session_stop_acknowledged");
  cfg.add_message_type<stop_ack_timeout>("stagehand::stop_ack_timeout");
}

} // namespace stagehand
