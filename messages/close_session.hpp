#pragma once

#include <caf/meta/type_name.hpp>

namespace stagehand {

/// Closes a parent session: its pages close, cancelling their tasks, and its
/// supervisor stops.
struct close_session {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, close_session&) {
  return f(caf::meta::type_name("stagehand::close_session"));
}

} // namespace stagehand
