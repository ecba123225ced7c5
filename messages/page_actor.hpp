#pragma once

#include <cstdint>

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "messages/atoms.hpp"
#include "messages/cancel_task.hpp"
#include "messages/change_record.hpp"
#include "messages/close_page.hpp"
#include "messages/dictionary.hpp"
#include "messages/enqueue_task.hpp"
#include "messages/run_task_now.hpp"
#include "messages/task_admitted.hpp"
#include "messages/task_finished.hpp"
#include "messages/task_rejected.hpp"
#include "messages/task_started.hpp"
#include "messages/write_done.hpp"

namespace stagehand {

/// The page's boundary: what clients ask of a page (the upper half) and what
/// its session supervisor reports back about the page's tasks (the lower half),
/// and the end of the page's own read-write transactions.
using page_actor = caf::typed_actor<
  caf::replies_to<enqueue_task>::with<task_id>,
  caf::replies_to<run_task_now>::with<dictionary>,
  caf::replies_to<cancel_task>::with<bool>, caf::reacts_to<change_record>,
  caf::reacts_to<close_page>,
  caf::replies_to<pending_tasks_atom>::with<std::uint64_t>,
  caf::reacts_to<tasks_done_atom>, caf::reacts_to<task_admitted>,
  caf::reacts_to<task_rejected>, caf::reacts_to<task_started>,
  caf::reacts_to<task_finished>, caf::reacts_to<write_done>>;

} // namespace stagehand
