#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stagehand {

/// A table object as AL declares it: a number that permission errors name, a
/// name that SQL uses, and its columns, the first being the primary key. The
/// runtime creates the tables a company file lacks from these definitions.
struct table_definition {
  std::int32_t id = 0;
  std::string name;
  /// Column declarations as SQLite takes them, e.g. `"IntA" INTEGER`.
  std::vector<std::string> columns;

  /// The `CREATE TABLE IF NOT EXISTS` statement for this table.
  std::string create_statement() const;
};

/// The registered tables. Fixed once companies open, so it needs no locking.
class table_catalog {
public:
  /// `50125 PBTData`, `18 Customer` and the system table
  /// `2000000111 Session Event`.
  static table_catalog standard();

  void add(table_definition table);

  const table_definition* find(const std::string& name) const;

  const std::vector<table_definition>& tables() const noexcept {
    return tables_;
  }

private:
  std::vector<table_definition> tables_;
};

} // namespace stagehand
