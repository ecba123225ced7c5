#pragma once

#include <cstddef>
#include <string>

namespace stagehand {

/// Everything in the SQL of the entity sets that is not standard SQL, in one
/// place: how a placeholder is numbered and how a text is searched for. The
/// emitter and the store's queries write the rest in SQL that SQLite and
/// PostgreSQL read alike (row values, `IS NULL`, `COALESCE`), so that a
/// PostgreSQL store would give its own dialect and reuse them. This one is
/// SQLite's.
class sql_dialect {
public:
  /// The `n`th placeholder, counting from 1: `?n`.
  std::string placeholder(std::size_t n) const;

  /// Whether the text `column` contains the bound text `value` literally,
  /// case-sensitively: `instr`, which knows no wildcards, so `%` and `_`
  /// are plain characters.
  std::string text_contains(const std::string& column,
                            const std::string& value) const;

  /// Whether one of the pairs in `column` (a JSON array of `{"Key",
  /// "Value"}`, as the operations table stores parameters) contains the
  /// bound text `value` in its `Key=Value` form: `Wait`, `3000`, `Wait=3000`
  /// and `t=30` all find `{"Key":"Wait","Value":"3000"}`. Keys and values
  /// are compared as stored, not as JSON text, so a quote in a value is one
  /// character.
  std::string parameters_contain(const std::string& column,
                                 const std::string& value) const;
};

} // namespace stagehand
