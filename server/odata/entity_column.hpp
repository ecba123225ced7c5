#pragma once

#include <string>

namespace stagehand {

/// One column of an entity set as `$filter` sees it: its logical name, the
/// SQL column it is stored in, and the type that decides which literals and
/// functions it takes. The entity lists its columns once, so that the parser
/// refuses an unknown one by name and the emitter never writes a name that
/// did not come from that list.
struct entity_column {
  enum class type {
    /// Compared with an integer literal.
    integer,
    /// Compared with a DateTimeOffset literal; stored as milliseconds since
    /// the epoch.
    time,
    /// Compared with a string literal, and searched by `contains`.
    text,
    /// A list of key-value pairs, searched by `contains` only.
    parameters,
  };

  /// The name a client writes, such as `createdon`.
  std::string name;

  /// The column in SQL, such as `created_on`, or a parenthesised
  /// expression over columns when the entity shows a value the table does
  /// not store as such. It is the entity's own text, never a client's.
  std::string sql;

  type kind = type::integer;

  /// Whether it may be NULL, and so be compared with `null`.
  bool nullable = false;
};

} // namespace stagehand
