#pragma once

#include <caf/meta/type_name.hpp>

namespace stagehand {

/// Pool thread to child session: its codeunit is done, so the session ends.
/// The outcome goes to the supervisor directly, not through the child, so
/// that a result sent before the timeout fired is ahead of it in the
/// supervisor's mailbox.
struct codeunit_returned {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, codeunit_returned&) {
  return f(caf::meta::type_name("stagehand::codeunit_returned"));
}

} // namespace stagehand
