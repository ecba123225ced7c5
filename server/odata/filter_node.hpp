#pragma once

#include <vector>

#include "data/database.hpp"
#include "server/odata/entity_column.hpp"

namespace stagehand {

/// One node of a parsed `$filter`, the tree between `parse_filter` and
/// `emit_sql`. Every literal is already typed (a time is milliseconds) and
/// every column is one of the entity's, so that the emitter has nothing left
/// to check and writes each literal only as a bound parameter.
struct filter_node {
  enum class kind {
    /// Any of `operands` holds; two or more of them.
    any,
    /// Every one of `operands` holds; two or more of them.
    all,
    /// The single operand does not hold.
    negation,
    /// `column op value`.
    compare,
    /// `contains(column, value)`.
    contains,
  };

  enum class op { eq, ne, gt, ge, lt, le };

  kind what = kind::compare;

  /// For `compare`.
  op comparison = op::eq;

  /// For `compare` and `contains`: one of the columns the parser was given,
  /// which outlive the tree.
  const entity_column* column = nullptr;

  /// For `compare` and `contains`: an integer, a text, or null.
  db_value value;

  /// For `any`, `all` and `negation`.
  std::vector<filter_node> operands;
};

} // namespace stagehand
