#pragma once

#include "server/odata/filter_node.hpp"
#include "server/odata/sql_dialect.hpp"
#include "server/odata/sql_fragment.hpp"

namespace stagehand {

/// Writes a parsed `$filter` as a boolean SQL expression in `dialect`, for a
/// WHERE clause. Columns come from the tree's entity columns, operators
/// from a fixed table, and every literal becomes a numbered placeholder
/// whose value goes to `params`, starting at 1: the SQL text depends only
/// on the shape of the filter, never on what its literals say. The
/// expression is parenthesised, so that the caller may AND it with its own
/// conditions without an `or` inside it escaping them.
sql_fragment emit_sql(const filter_node& filter, const sql_dialect& dialect);

} // namespace stagehand
