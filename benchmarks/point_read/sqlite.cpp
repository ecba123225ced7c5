// The floor under point_read: the same point read on a bare SQLite
// connection in WAL mode, prepared once, as a hand-written service would do
// it, with no session, actor or pool in between.
#include <chrono>
#include <filesystem>
#include <stdexcept>

#include <sqlite3.h>
#include <unistd.h>

#include "benchmarks/common/scenarios.hpp"

namespace stagehand::bench {

std::vector<double> point_read_sqlite(std::int64_t reads) {
  auto path = (std::filesystem::temp_directory_path()
               / ("stagehand-bench-bare-" + std::to_string(::getpid())
                  + ".db"))
                .string();
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK)
    throw std::runtime_error{"point_read: cannot open " + path};
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL;"
               "CREATE TABLE IF NOT EXISTS PBTData (Id TEXT PRIMARY KEY, "
               "IntA INTEGER, IntB INTEGER, IntC INTEGER, TextA TEXT, "
               "TextB TEXT);"
               "INSERT OR REPLACE INTO PBTData VALUES ('R1', 1, 2, 3, 'a', "
               "'b');",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT IntA + IntB + IntC, TextA || '-' || TextB FROM "
                     "PBTData WHERE Id = ?",
                     -1, &stmt, nullptr);
  std::vector<double> result;
  result.reserve(static_cast<std::size_t>(reads));
  std::int64_t sum = 0;
  for (std::int64_t i = 0; i < reads; ++i) {
    auto start = std::chrono::steady_clock::now();
    sqlite3_bind_text(stmt, 1, "R1", 2, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW)
      sum += sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    result.push_back(std::chrono::duration<double, std::micro>(
                       std::chrono::steady_clock::now() - start)
                       .count());
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  if (sum != 6 * reads)
    throw std::runtime_error{"point_read: bare SQLite did not read"};
  return result;
}

} // namespace stagehand::bench
