#pragma once

#include <cstdint>

#include <caf/meta/type_name.hpp>

#include "messages/ids.hpp"
#include "messages/task_outcome.hpp"

namespace stagehand {

/// Supervisor to page: the task's outcome, stamped with the record epoch it was
/// enqueued under.
struct task_finished {
  task_id id = 0;
  std::uint64_t record_epoch = 0;
  task_outcome outcome;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_finished& x) {
  return f(caf::meta::type_name("stagehand::task_finished"), x.id,
           x.record_epoch, x.outcome);
}

} // namespace stagehand
