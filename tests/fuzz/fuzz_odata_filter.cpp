// libFuzzer target: `$filter` (server/odata), parsed against the operations'
// columns and emitted as SQL.
//
// Any bytes parse or are refused without a crash. What parses is emitted as
// SQL whose text depends only on the filter's shape: emitting it again with
// every literal blanked gives the same text, and no quote appears but those
// of the dialect's own JSON paths and of the columns' own SQL (errorcode's
// CASE). Its placeholders are ?1 to ?n, each used,
// for exactly n values, and SQLite prepares and runs it against an empty
// operations table.

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "server/odata/filter_grammar.hpp"
#include "server/odata/sql_emitter.hpp"
#include "server/operations/operation_columns.hpp"
#include "server/operations/operation_rows.hpp"

namespace {

using namespace stagehand;

[[noreturn]] void fail(const char* what, const std::string& sql) {
  std::fprintf(stderr, "%s: %s\n", what, sql.c_str());
  std::abort();
}

void blank(filter_node& node) {
  if (std::holds_alternative<std::int64_t>(node.value))
    node.value = std::int64_t{0};
  else if (std::holds_alternative<std::string>(node.value))
    node.value = std::string{};
  for (auto& operand : node.operands)
    blank(operand);
}

std::string without(std::string text, const std::string& part) {
  for (auto i = text.find(part); i != std::string::npos; i = text.find(part))
    text.erase(i, part.size());
  return text;
}

sqlite3* empty_table() {
  static sqlite3* db = [] {
    sqlite3* handle = nullptr;
    if (sqlite3_open(":memory:", &handle) != SQLITE_OK
        || sqlite3_exec(handle, operation_rows::schema, nullptr, nullptr,
                        nullptr)
             != SQLITE_OK)
      fail("cannot create the operations table", "");
    return handle;
  }();
  return db;
}

void run(const sql_fragment& out) {
  auto text = "SELECT count(*) FROM operations WHERE " + out.text;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(empty_table(), text.c_str(), -1, &stmt, nullptr)
      != SQLITE_OK)
    fail(sqlite3_errmsg(empty_table()), text);
  if (static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt))
      != out.params.size())
    fail("placeholders and values differ in number", text);
  for (std::size_t i = 0; i < out.params.size(); ++i) {
    auto pos = static_cast<int>(i + 1);
    if (auto n = std::get_if<std::int64_t>(&out.params[i]))
      sqlite3_bind_int64(stmt, pos, *n);
    else if (auto s = std::get_if<std::string>(&out.params[i]))
      sqlite3_bind_text(stmt, pos, s->data(), static_cast<int>(s->size()),
                        SQLITE_TRANSIENT);
    else
      fail("a null value was bound", text);
  }
  if (sqlite3_step(stmt) != SQLITE_ROW)
    fail(sqlite3_errmsg(empty_table()), text);
  sqlite3_finalize(stmt);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto text = std::string{reinterpret_cast<const char*>(data), size};
  auto parsed = parse_filter(text, operation_filter_columns());
  if (!parsed)
    return 0;
  sql_dialect dialect;
  auto out = emit_sql(*parsed, dialect);
  blank(*parsed);
  if (emit_sql(*parsed, dialect).text != out.text)
    fail("the SQL text depends on a literal", out.text);
  auto quotes
    = without(without(without(out.text, "'$.Key'"), "'$.Value'"), "'='");
  for (auto& column : operation_filter_columns())
    quotes = without(quotes, column.sql);
  if (quotes.find('\'') != std::string::npos)
    fail("a quote reached the SQL text", out.text);
  std::set<std::size_t> used;
  for (std::size_t i = 0; i < out.text.size(); ++i)
    if (out.text[i] == '?')
      used.insert(std::stoul(out.text.substr(i + 1)));
  if (used.size() != out.params.size()
      || (!used.empty()
          && (*used.begin() != 1 || *used.rbegin() != used.size())))
    fail("placeholders are not ?1 to ?n for n values", out.text);
  run(out);
  return 0;
}
