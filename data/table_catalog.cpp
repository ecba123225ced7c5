#include "data/table_catalog.hpp"

#include <strings.h>
#include <utility>

#include "data/database.hpp"

namespace stagehand {

namespace {

/// Two triggers that store a Code[10] key as AL does: leading and trailing
/// spaces removed, letters upper-cased, so that inserting `r1` stores `R1`.
/// SQLite cannot change a row before it is written, so they rewrite it just
/// after; a CHECK on the column bounds the length. SQLite's `upper` folds
/// ASCII letters only, and the sum codeunit folds the same way.
std::vector<std::string> code_key_triggers(const std::string& table,
                                           const std::string& key) {
  auto normal = "upper(trim(NEW.\"" + key + "\"))";
  std::vector<std::string> result;
  for (auto [label, event] :
       {std::pair<std::string, std::string>{"insert", "INSERT"},
        {"update", "UPDATE OF \"" + key + "\""}})
    result.push_back("CREATE TRIGGER IF NOT EXISTS \"" + table + " " + label
                     + " normalises " + key + "\" AFTER " + event + " ON \""
                     + table + "\" WHEN NEW.\"" + key + "\" IS NOT " + normal
                     + " BEGIN UPDATE \"" + table + "\" SET \"" + key
                     + "\" = " + normal + " WHERE rowid = NEW.rowid; END");
  return result;
}

/// Company files from before PBTData.Id became a Code[10] key it as INTEGER.
/// Rebuilds such a table in one transaction, each id becoming its decimal
/// text (the integer 7 becomes the code `7`); refuses, changing nothing, if
/// an id is longer than the 10 characters a Code[10] holds.
void upgrade_integer_pbt_ids(database& db, const table_definition& table) {
  auto id = db.query("SELECT type FROM pragma_table_info('PBTData') "
                     "WHERE name = 'Id'");
  if (id.empty()
      || strcasecmp(std::get<std::string>(id[0][0]).c_str(), "INTEGER") != 0)
    return;
  auto too_long = std::get<std::int64_t>(
    db.query("SELECT count(*) FROM PBTData WHERE length(Id) > 10")[0][0]);
  if (too_long > 0)
    throw database_error{
      "PBTData has " + std::to_string(too_long)
      + " integer Id(s) longer than the 10 characters of its Code[10] key; "
        "change or delete those rows with an older Stagehand, then open the "
        "company again"};
  db.begin();
  try {
    db.execute_script(
      "ALTER TABLE PBTData RENAME TO \"PBTData integer ids\"; "
      + table.create_script()
      + "; INSERT INTO PBTData (Id, IntA, IntB, IntC, TextA, TextB) "
        "SELECT CAST(Id AS TEXT), IntA, IntB, IntC, TextA, TextB "
        "FROM \"PBTData integer ids\"; "
        "DROP TABLE \"PBTData integer ids\"");
    db.commit();
  } catch (...) {
    db.rollback();
    throw;
  }
}

} // namespace

std::string table_definition::create_script() const {
  std::string sql = "CREATE TABLE IF NOT EXISTS \"" + name + "\" (";
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i > 0)
      sql += ", ";
    sql += columns[i];
    if (i == 0)
      sql += " PRIMARY KEY";
  }
  sql += ")";
  for (auto& extra : extras)
    sql += "; " + extra;
  return sql;
}

table_catalog table_catalog::standard() {
  table_catalog result;
  result.add({50125,
              "PBTData",
              {"\"Id\" TEXT NOT NULL CHECK (length(trim(\"Id\")) <= 10)",
               "\"IntA\" INTEGER NOT NULL DEFAULT 0",
               "\"IntB\" INTEGER NOT NULL DEFAULT 0",
               "\"IntC\" INTEGER NOT NULL DEFAULT 0",
               "\"TextA\" TEXT NOT NULL DEFAULT ''",
               "\"TextB\" TEXT NOT NULL DEFAULT ''"},
              code_key_triggers("PBTData", "Id"),
              upgrade_integer_pbt_ids});
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
