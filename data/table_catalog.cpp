#include "data/table_catalog.hpp"

#include <strings.h>

namespace stagehand {

std::string table_definition::create_statement() const {
  std::string sql = "CREATE TABLE IF NOT EXISTS \"" + name + "\" (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0)
      sql += ", ";
    sql += columns[i];
    if (i == 0)
      sql += " PRIMARY KEY";
  }
  return sql + ")";
}

table_catalog table_catalog::standard() {
  table_catalog result;
  result.add({50125,
              "PBTData",
              {"\"Id\" INTEGER", "\"IntA\" INTEGER NOT NULL DEFAULT 0",
               "\"IntB\" INTEGER NOT NULL DEFAULT 0",
               "\"IntC\" INTEGER NOT NULL DEFAULT 0",
               "\"TextA\" TEXT NOT NULL DEFAULT ''",
               "\"TextB\" TEXT NOT NULL DEFAULT ''"}});
  result.add({18,
              "Customer",
              {"\"No.\" TEXT", "\"Name\" TEXT NOT NULL DEFAULT ''",
               "\"Blocked\" INTEGER NOT NULL DEFAULT 0"}});
  result.add({2000000111,
              "Session Event",
              {"\"Entry No.\" INTEGER", "\"Session ID\" INTEGER NOT NULL",
               "\"Event Type\" TEXT NOT NULL",
               "\"Event Datetime\" TEXT NOT NULL",
               "\"Client Type\" TEXT NOT NULL",
               "\"User ID\" TEXT NOT NULL DEFAULT ''",
               "\"Comment\" TEXT NOT NULL DEFAULT ''",
               "\"Session Unique ID\" TEXT NOT NULL DEFAULT ''"}});
  return result;
}

void table_catalog::add(table_definition table) {
  tables_.push_back(std::move(table));
}

const table_definition* table_catalog::find(const std::string& name) const {
  // SQLite table names are case-insensitive, so the lookup is too.
  for (auto& table : tables_)
    if (strcasecmp(table.name.c_str(), name.c_str()) == 0)
      return &table;
  return nullptr;
}

} // namespace stagehand
