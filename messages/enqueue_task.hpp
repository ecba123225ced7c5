#pragma once

#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/optional.hpp>
#include <caf/timespan.hpp>

#include "messages/dictionary.hpp"
#include "messages/error_level.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// `EnqueueBackgroundTask`: asks a page to run a codeunit in the background.
/// Without a timeout the configured default applies; a longer one is capped.
struct enqueue_task {
  codeunit_id codeunit = 0;
  dictionary parameters;
  caf::optional<caf::timespan> timeout;
  error_level level = error_level::error;
  std::string tag;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, enqueue_task& x) {
  return f(caf::meta::type_name("stagehand::enqueue_task"), x.codeunit,
           x.parameters, x.timeout, x.level, x.tag);
}

} // namespace stagehand
