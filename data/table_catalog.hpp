#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace stagehand {

class database;

/// A table object as AL declares it: a number that permission errors name, a
/// name that SQL uses, and its columns, the first being the primary key. The
/// runtime creates the tables a company file lacks from these definitions.
struct table_definition {
  std::int32_t id = 0;
  std::string name;
  /// Column declarations as SQLite takes them, e.g. `"IntA" INTEGER`.
  std::vector<std::string> columns;
  /// Statements that must exist beside the table, such as the triggers that
  /// normalise a Code key; each says `IF NOT EXISTS`, as they run at every
  /// company open.
  std::vector<std::string> extras{};
  /// Brings an older layout of this table in a company file up to date; runs
  /// at company open before `create_script`. Empty when no layout changed.
  /// @throws database_error when the file cannot be brought up to date.
  std::function<void(database&, const table_definition&)> upgrade{};

  /// `CREATE TABLE IF NOT EXISTS` for this table, then its `extras`.
  std::string create_script() const;
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
