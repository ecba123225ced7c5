#pragma once

#include "server/odata/sql_dialect.hpp"
#include "server/odata/sql_fragment.hpp"
#include "server/operations/entity_query.hpp"

namespace stagehand {

/// The SQL of an `entity_query` against the operations table, written once
/// for any store: the filter in its own parentheses, then the user's
/// restriction and the page's start, each a placeholder numbered after the
/// filter's, in `dialect`. An unfinished operation's end time sorts as
/// `entity_query::unfinished`.

/// Up to `q.top` rows (every column `to_record` reads) in the query's order.
sql_fragment page_statement(const entity_query& q, const sql_dialect& dialect);

/// How many rows the filter and the restriction let through, on every page.
sql_fragment count_statement(const entity_query& q,
                             const sql_dialect& dialect);

} // namespace stagehand
