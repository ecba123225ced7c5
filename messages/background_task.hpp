#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>

#include "messages/dictionary.hpp"
#include "messages/error_level.hpp"
#include "messages/ids.hpp"

namespace stagehand {

/// One admitted page background task, as it travels from the page through
/// the session supervisor to the child session that runs it. It remembers the
/// page's record (and record epoch) at enqueue time, so that a result for an
/// older record can be recognised and dropped.
struct background_task {
  session_id session = 0;
  page_id page = 0;
  task_id id = 0;
  codeunit_id codeunit = 0;
  dictionary parameters;
  /// Counted from the codeunit's start. On its way to a worker it is what
  /// is left of the timeout, which the worker counts on its own clock.
  caf::timespan timeout{0};
  error_level level = error_level::error;
  std::string record_id;
  std::uint64_t record_epoch = 0;
  /// Caller-chosen label carried into events and logs, e.g. a scenario name.
  std::string tag;
  /// The company of the page's session, which the child session reads.
  std::string company = "CRONUS";
  /// The user of the page's session, whom the child session runs as.
  std::string user;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, background_task& x) {
  return f(caf::meta::type_name("stagehand::background_task"), x.session,
           x.page, x.id, x.codeunit, x.parameters, x.timeout, x.level,
           x.record_id, x.record_epoch, x.tag, x.company, x.user);
}

} // namespace stagehand
