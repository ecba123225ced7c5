#pragma once

#include <functional>
#include <memory>
#include <vector>

#include <caf/expected.hpp>

#include "data/active_session.hpp"
#include "messages/ids.hpp"
#include "server/admin/page_task_board.hpp"
#include "server/admin/session_board.hpp"

namespace stagehand {

/// What the admin routes read from, and the one thing they do, in the
/// process that owns the runtime (`serve`). The server does not hold a
/// runtime, so whoever does hands these over; a server without them (a test
/// of the operations API alone) lists nothing and stops nothing.
struct admin_sources {
  /// The Active Session table.
  std::function<std::vector<active_session>()> sessions;
  /// `StopSession`: true if it stopped, false if it was not active.
  std::function<caf::expected<bool>(session_id)> stop_session;
  std::shared_ptr<const session_board> background_sessions;
  std::shared_ptr<const page_task_board> page_tasks;
};

} // namespace stagehand
