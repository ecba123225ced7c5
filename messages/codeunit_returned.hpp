#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/task_outcome.hpp"

namespace stagehand {

/// Blocking worker to child session: the codeunit's outcome.
struct codeunit_returned {
  task_outcome outcome;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, codeunit_returned& x) {
  return f(caf::meta::type_name("stagehand::codeunit_returned"), x.outcome);
}

} // namespace stagehand
