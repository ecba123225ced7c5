#pragma once

#include <caf/replies_to.hpp>

#include "messages/page_actor.hpp"
#include "messages/task_admitted.hpp"
#include "messages/task_cancel_settled.hpp"
#include "messages/task_finished.hpp"
#include "messages/task_rejected.hpp"
#include "messages/task_started.hpp"
#include "messages/write_done.hpp"

namespace stagehand {

/// The page as the runtime holds it: the client face plus the reports that
/// only its session supervisor (admitted, rejected, started, finished) and
/// its own write jobs (write done) may send. A typed face limits only what a
/// holder can compile, so the page also checks who sent each report.
using page_internal_actor = page_actor::extend<
  caf::reacts_to<task_admitted>, caf::reacts_to<task_rejected>,
  caf::reacts_to<task_started>, caf::reacts_to<task_finished>,
  caf::reacts_to<task_cancel_settled>, caf::reacts_to<write_done>>;

} // namespace stagehand
