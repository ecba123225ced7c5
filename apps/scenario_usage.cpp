#include "apps/scenario_player.hpp"

namespace stagehand::apps {

std::string scenario_player::usage() {
  return R"(usage: stagehand [OPTION ...] play FILE|-
  Replays a scenario, one JSON object per line ("-": standard input), on a
  real runtime with the sample codeunits, and prints what happens as JSON
  Lines, each with t_ms. docs/play.md has the whole format.

commands ("do"), fields with ? are optional:
  open_session   session, client? ("web"|"web_service"), company?
  open_page      session, page, record
  enqueue        page, task, codeunit, params?, timeout_ms?,
                 error_level? ("ignore"|"warning"|"error"), repeat?, handled?
  cancel         page, task
  set_record     page, record
  close_page     page
  close_session  session
  sql            company, statement, params? (runs as administrator)
  start_session  session, codeunit, company?, params?, timeout_ms?
  stop_session   session, comment?
  is_session_active  session (a background session)
  sleep          ms
  wait_idle      timeout_ms? (default 24 h)
  start_worker   node, capacity? (runs `stagehand worker` as a child process;
                 the first makes the player a coordinator on loopback)
  kill_worker    node, signal ("KILL"|"STOP"|"TERM")

events ("event"):
  enqueued, enqueue_failed, started, completed, error, notification,
  cancelled, cancel_result, open_session_failed, sql, sql_failed,
  session_started, session_start_failed, session_message, session_ended,
  stop_result, session_active, wait_idle_timeout, wait_idle_failed,
  worker_joined, worker_start_failed, worker_killed, worker_lost,
  summary (last line); started names its node ("local" or a worker), and
  the summary's nodes counts the page tasks started on each

exit code: 0; 1 if a wait_idle ran out of time; 2 for a malformed line
(bad JSON, unknown command or label, missing or mistyped field), named on
standard error with its line number.

example:
  printf '%s\n' '{"do":"open_session","session":"s"}' \
    '{"do":"open_page","session":"s","page":"p","record":"CUSTOMER 10000"}' \
    '{"do":"enqueue","page":"p","task":"t","codeunit":50100,"params":{"Wait":"100"}}' \
    | stagehand --stagehand.log-level=off play -
)";
}

} // namespace stagehand::apps
