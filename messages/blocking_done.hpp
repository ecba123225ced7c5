#pragma once

#include <cstdint>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

namespace stagehand {

/// What an actor's job on the blocking executor sends back: which job, and
/// its error (none if it succeeded).
struct blocking_done {
  std::uint64_t job = 0;
  caf::error error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, blocking_done& x) {
  return f(caf::meta::type_name("stagehand::blocking_done"), x.job, x.error);
}

} // namespace stagehand
