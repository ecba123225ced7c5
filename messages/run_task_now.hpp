#pragma once

#include <caf/meta/type_name.hpp>

#include "messages/dictionary.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// `TestPage.RunPageBackgroundTask`: runs a codeunit to completion and replies
/// with its results; the page's triggers run only when asked for.
struct run_task_now {
  codeunit_id codeunit = 0;
  dictionary parameters;
  bool run_completion_triggers = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, run_task_now& x) {
  return f(caf::meta::type_name("stagehand::run_task_now"), x.codeunit,
           x.parameters, x.run_completion_triggers);
}

} // namespace stagehand
