#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include <spdlog/logger.h>

#include "core/blocking_executor.hpp"
#include "services/codeunit_registry.hpp"
#include "data/company_directory.hpp"
#include "core/metrics.hpp"
#include "services/page_event.hpp"
#include "services/session_host.hpp"
#include "core/session_limits.hpp"
#include "services/session_notice.hpp"
#include "data/session_registry.hpp"
#include "core/task_limits.hpp"

namespace stagehand {

/// Included by the few files that place work (services/node_table.hpp):
/// every actor includes this header.
class node_table;

/// What every session, page and child actor of one runtime shares. Immutable
/// once actors run; the pieces inside are thread-safe.
struct services {
  task_limits limits;
  std::shared_ptr<codeunit_registry> codeunits;
  std::shared_ptr<blocking_executor> executor;
  /// Where the runtime actor opens company files and writes Logon and Logoff
  /// rows: a thread of its own, so that a session never waits for a free
  /// codeunit thread to open or close.
  std::shared_ptr<blocking_executor> session_io;
  std::shared_ptr<metrics> stats;
  /// May be null: a runtime without company databases.
  std::shared_ptr<company_directory> companies;
  /// May be empty.
  page_observer observer;
  std::shared_ptr<spdlog::logger> log;
  session_limits sessions;
  /// The Active Session table.
  std::shared_ptr<session_registry> registry;
  /// Source of session ids, shared by client, background and child sessions
  /// so that the Active Session table never sees one id twice.
  std::shared_ptr<std::atomic<session_id>> next_session_id;
  /// Owned by the runtime, which outlives every job that uses it; null where
  /// codeunits cannot reach other sessions (deterministic tests).
  session_host* host = nullptr;
  /// May be empty.
  session_observer session_events;
  /// The workers that joined this runtime; empty unless it is a
  /// coordinator. Null in deterministic tests.
  std::shared_ptr<node_table> nodes;
};

using services_ptr = std::shared_ptr<const services>;

} // namespace stagehand
