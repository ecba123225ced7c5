#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/cancel_state.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// Supervisor to page: the cancel of a task that ran on a worker ended in
/// `state` (acknowledged or forced), so the page can report its cancelled
/// event, which it held until now.
struct task_cancel_settled {
  task_id id = 0;
  cancel_state state = cancel_state::acknowledged;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, task_cancel_settled& x) {
  return f(caf::meta::type_name("stagehand::task_cancel_settled"), x.id,
           x.state);
}

} // namespace stagehand
