#pragma once

#include <cstdint>

#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>

namespace stagehand {

/// A page's read-write transaction has ended: from the worker that ran it to
/// the page, which runs its `on_write_done` trigger. No error means it
/// committed; any error means it rolled back.
struct write_done {
  std::uint64_t id = 0;
  caf::error error;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_done& x) {
  return f(caf::meta::type_name("stagehand::write_done"), x.id, x.error);
}

} // namespace stagehand
