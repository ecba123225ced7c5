#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "messages/background_task.hpp"
#include "messages/session_outcome.hpp"
#include "core/cancellation_token.hpp"
#include "core/time_budget.hpp"
#include "services/codeunit_registry.hpp"
#include "data/company_directory.hpp"
#include "data/session_event_log.hpp"
#include "services/session_host.hpp"

namespace stagehand {

/// One background session's run, as its worker thread sees it. The worker
/// records the session's Start event, runs the codeunit in one read-write
/// transaction, commits or rolls back, and records how it ended, so that the
/// rows always describe what the database really holds.
struct background_job {
  /// The session id, codeunit, parameters, company, record and user.
  background_task session;
  std::string unique_id;
  std::shared_ptr<const codeunit> unit;
  std::shared_ptr<cancellation_token> token;
  /// Null: a runtime without company databases; nothing is recorded.
  std::shared_ptr<company_directory> companies;
  session_host* host = nullptr;
  std::shared_ptr<spdlog::logger> log;
  /// What is left of the session's timeout, on this node's clock.
  time_budget budget;

  /// Runs the session to its end, on the calling (worker) thread. A session
  /// stopped before it got a thread never runs its codeunit.
  /// @returns the outcome as the worker saw it; if a stop or timeout won the
  ///          race, it is `stopped` with the stopper's comment.
  session_outcome run() const;
};

} // namespace stagehand
