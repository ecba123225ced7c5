#pragma once

#include <string>
#include <vector>

#include "data/database.hpp"

namespace stagehand {

/// A piece of SQL with its values kept apart: `text` refers to the values
/// only through numbered placeholders, `params[0]` being the first, so that
/// no value a client sent is ever part of the SQL text.
struct sql_fragment {
  std::string text;
  std::vector<db_value> params;
};

} // namespace stagehand
