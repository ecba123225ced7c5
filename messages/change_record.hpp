#pragma once

#include <string>

#include <caf/meta/type_name.hpp>

namespace stagehand {

/// Moves a page to another current record, which cancels its tasks.
struct change_record {
  std::string record_id;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, change_record& x) {
  return f(caf::meta::type_name("stagehand::change_record"), x.record_id);
}

} // namespace stagehand
