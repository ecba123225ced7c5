#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "core/cancellation_token.hpp"
#include "data/synchronous_mode.hpp"
#include "data/table_catalog.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace stagehand {

/// One SQL value. SQLite's REAL has no use in the catalog yet, so it is left
/// out rather than carried untested.
using db_value = std::variant<std::nullptr_t, std::int64_t, std::string>;

using db_row = std::vector<db_value>;

/// What a session may do with its company.
enum class access_mode { read_only, read_write };

/// Raised by `database` when a statement fails, so that it unwinds a codeunit
/// like any other error and reaches the page's error trigger with its text.
class database_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// A session's connection to one company file: a thin RAII wrapper over the
/// SQLite C API that takes parameterised statements only. A read-only handle
/// is read-only twice over: SQLite opens the file read-only, and an
/// authorizer denies every write at prepare time with the error text AL gives
/// for a missing TableData permission.
class database {
public:
  /// Opens an existing file; creates a missing one only if `create` (and
  /// `mode` is read-write), so that a mistyped company is never created.
  /// A read-write connection commits as `synchronous` says; SQLite keeps
  /// that per connection, not in the file.
  static caf::expected<std::unique_ptr<database>>
  open(const std::string& path, access_mode mode,
       std::shared_ptr<const table_catalog> catalog, caf::timespan busy_timeout,
       bool create = false,
       synchronous_mode synchronous = synchronous_mode::normal);

  database(const database&) = delete;
  database& operator=(const database&) = delete;

  ~database();

  // -- statements -------------------------------------------------------------

  /// Runs one statement with `?` parameters bound in order.
  /// @returns the rows it produced.
  /// @throws database_error, with the permission text for a denied write.
  std::vector<db_row> query(const std::string& sql,
                            const std::vector<db_value>& params = {});

  /// `query`, but never keeps the prepared statement: for SQL built per
  /// request (a client's filter), which would otherwise take the cache's
  /// places from the fixed statements that need them.
  std::vector<db_row> query_once(const std::string& sql,
                                 const std::vector<db_value>& params);

  /// Keeps up to `capacity` prepared statements, by their SQL text, for the
  /// life of the connection. For a connection that runs the same few
  /// statements again and again (the system database), where preparing
  /// each one anew costs more than running it. Off by default: codeunits'
  /// SQL varies and would only fill the cache.
  void cache_statements(std::size_t capacity);

  /// Runs parameterless SQL that may hold several statements (schema set-up);
  /// not part of what codeunits see.
  void execute_script(const std::string& sql);

  /// What this connection's commits promise, as SQLite reports it; `full`
  /// for any level above `normal`.
  synchronous_mode synchronous();

  // -- transactions -----------------------------------------------------------

  /// Read-only: `BEGIN DEFERRED`, whose snapshot the first read fixes.
  /// Read-write: `BEGIN IMMEDIATE`, which takes the write lock at once (waiting
  /// up to the busy timeout), so two writers never deadlock upgrading.
  void begin();

  void commit();

  /// Safe to call without an open transaction.
  void rollback() noexcept;

  bool in_transaction() const noexcept;

  access_mode mode() const noexcept {
    return mode_;
  }

  // -- cancellation -----------------------------------------------------------

  /// Makes every statement check `token` (null: none): one that starts after
  /// the cancel, or is still running when it comes, throws `task_cancelled`,
  /// so that a stopped session never reaches its next query and a long query
  /// ends within a few thousand SQLite instructions.
  void watch(const cancellation_token* token) noexcept;

private:
  database(sqlite3* handle, access_mode mode,
           std::shared_ptr<const table_catalog> catalog);

  static int authorize(void* self, int action, const char* arg1,
                       const char* arg2, const char* db, const char* trigger);

  void run_control(const char* sql);

  std::vector<db_row> run(const std::string& sql,
                          const std::vector<db_value>& params, bool may_cache);

  sqlite3* handle_;
  access_mode mode_;
  std::shared_ptr<const table_catalog> catalog_;
  /// Only `begin`, `commit` and `rollback` may open or end a transaction; a
  /// codeunit that sent COMMIT itself would end its snapshot early.
  bool control_ = false;
  /// The permission error of the write the authorizer denied last.
  std::string denied_;
  const cancellation_token* watched_ = nullptr;
  std::size_t cache_capacity_ = 0;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

} // namespace stagehand
