#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "server/odata/sql_fragment.hpp"
#include "server/operations/operation_record.hpp"

namespace stagehand {

/// One page of the `backgroundoperations` entity set, as the store runs it:
/// a client's filter already turned into SQL, who may see what, the order,
/// and where the page starts. Pages follow a key (the sort column, then the
/// insertion sequence) rather than an offset, so that rows added while a
/// client pages neither repeat nor hide the rows it has not reached.
struct entity_query {
  enum class order_by { created_on, end_time };

  /// The end time by which an unfinished operation sorts: before every
  /// finished one ascending, after them descending.
  static constexpr std::int64_t unfinished = -1;

  /// Where a page ends: the sort key and the sequence of its last row.
  struct position {
    std::int64_t key = 0;
    std::int64_t seq = 0;
  };

  /// `emit_sql`'s output, its placeholders numbered from 1; empty text for
  /// every row.
  sql_fragment filter;

  /// Only this user's operations; unset for an admin, who sees all. It is
  /// ANDed outside the filter's parentheses, so no filter reaches past it.
  std::optional<std::string> run_as;

  order_by order = order_by::created_on;

  bool descending = false;

  /// Rows after this one in the order; unset for the first page.
  std::optional<position> after;

  std::size_t top = 100;

  /// The position of `rec` in this query's order, for the next page.
  position position_of(const operation_record& rec) const;
};

} // namespace stagehand
