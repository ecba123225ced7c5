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

namespace stagehand {

/// A page as its clients see it: enqueue, run, cancel, change the record,
/// close, and ask what is pending. This is the face a `page_handle` carries,
/// to this process or over the network; what the runtime itself reports to
/// the page is on `page_internal_actor`, which no client is given.
using page_actor = caf::typed_actor<
  caf::replies_to<enqueue_task>::with<task_id>,
  caf::replies_to<run_task_now>::with<dictionary>,
  caf::replies_to<cancel_task>::with<bool>, caf::reacts_to<change_record>,
  caf::reacts_to<close_page>,
  caf::replies_to<pending_tasks_atom>::with<std::uint64_t>,
  caf::reacts_to<tasks_done_atom>>;

} // namespace stagehand
