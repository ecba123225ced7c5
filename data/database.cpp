#include "data/database.hpp"

#include <sqlite3.h>

#include <caf/message_builder.hpp>
#include <caf/make_message.hpp>

#include "core/errc.hpp"

namespace stagehand {

namespace {

/// Finalizes a prepared statement on every path out of `query`, or resets a
/// cached one, so that it holds no read snapshot and no bound values until
/// its next use.
struct statement_guard {
  sqlite3_stmt* stmt = nullptr;
  bool cached = false;
  ~statement_guard() {
    if (!cached) {
      sqlite3_finalize(stmt);
      return;
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
  }
};

std::string permission_text(const table_catalog& catalog, const char* table,
                            const char* action) {
  auto def = table != nullptr ? catalog.find(table) : nullptr;
  auto name = def != nullptr ? std::to_string(def->id)
                             : std::string{table != nullptr ? table : "?"};
  return std::string{"You don't have the following permissions on TableData "}
         + name + ": " + action;
}

} // namespace

caf::expected<std::unique_ptr<database>>
database::open(const std::string& path, access_mode mode,
               std::shared_ptr<const table_catalog> catalog,
               caf::timespan busy_timeout, bool create,
               synchronous_mode synchronous) {
  int flags = SQLITE_OPEN_NOMUTEX
              | (mode == access_mode::read_only ? SQLITE_OPEN_READONLY
                                                : SQLITE_OPEN_READWRITE);
  if (create && mode == access_mode::read_write)
    flags |= SQLITE_OPEN_CREATE;
  sqlite3* handle = nullptr;
  auto rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why
      = handle != nullptr ? sqlite3_errmsg(handle) : sqlite3_errstr(rc);
    sqlite3_close(handle);
    return make_error(errc::company_unreadable,
                      caf::make_message(std::string{}, path, why));
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(busy_timeout);
  sqlite3_busy_timeout(handle, static_cast<int>(ms.count()));
  std::unique_ptr<database> db{new database(handle, mode, std::move(catalog))};
  // Opening is lazy in SQLite; reading the schema is what finds a file that
  // is not a database.
  try {
    db->query("SELECT count(*) FROM sqlite_master");
    if (mode == access_mode::read_write)
      db->query(synchronous == synchronous_mode::full
                  ? "PRAGMA synchronous=FULL"
                  : "PRAGMA synchronous=NORMAL");
  } catch (const database_error& e) {
    return make_error(
      errc::company_unreadable,
      caf::make_message(std::string{}, path, std::string{e.what()}));
  }
  return db;
}

synchronous_mode database::synchronous() {
  auto level = std::get<std::int64_t>(query("PRAGMA synchronous")[0][0]);
  // 0 off, 1 normal, 2 full, 3 extra: only the first two are ours to lose.
  return level >= 2 ? synchronous_mode::full : synchronous_mode::normal;
}

database::database(sqlite3* handle, access_mode mode,
                   std::shared_ptr<const table_catalog> catalog)
  : handle_(handle), mode_(mode), catalog_(std::move(catalog)) {
  sqlite3_set_authorizer(handle_, &database::authorize, this);
}

database::~database() {
  rollback();
  // sqlite3_close refuses to close a connection with statements left.
  for (auto& entry : cache_)
    sqlite3_finalize(entry.second);
  sqlite3_close(handle_);
}

void database::cache_statements(std::size_t capacity) {
  cache_capacity_ = capacity;
}

int database::authorize(void* ptr, int action, const char* arg1, const char*,
                        const char*, const char*) {
  auto self = static_cast<database*>(ptr);
  if (action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT)
    return self->control_ ? SQLITE_OK : SQLITE_DENY;
  if (self->mode_ == access_mode::read_write)
    return SQLITE_OK;
  const char* verb = nullptr;
  switch (action) {
  case SQLITE_INSERT:
    verb = "Insert";
    break;
  case SQLITE_UPDATE:
    verb = "Modify";
    break;
  case SQLITE_DELETE:
    verb = "Delete";
    break;
  default:
    return SQLITE_OK;
  }
  // SQLite asks about its own bookkeeping tables too; only user tables count.
  if (arg1 != nullptr && std::string{arg1}.rfind("sqlite_", 0) == 0)
    return SQLITE_OK;
  self->denied_ = permission_text(*self->catalog_, arg1, verb);
  return SQLITE_DENY;
}

void database::watch(const cancellation_token* token) noexcept {
  watched_ = token;
  // SQLite calls the handler every 1000 virtual machine instructions, a few
  // microseconds apart; a non-zero answer interrupts the statement.
  sqlite3_progress_handler(
    handle_, token != nullptr ? 1000 : 0,
    [](void* ptr) -> int {
      return static_cast<const cancellation_token*>(ptr)->cancelled() ? 1 : 0;
    },
    const_cast<cancellation_token*>(token));
}

std::vector<db_row> database::query(const std::string& sql,
                                    const std::vector<db_value>& params) {
  return run(sql, params, true);
}

std::vector<db_row> database::query_once(const std::string& sql,
                                         const std::vector<db_value>& params) {
  return run(sql, params, false);
}

std::vector<db_row> database::run(const std::string& sql,
                                  const std::vector<db_value>& params,
                                  bool may_cache) {
  if (watched_ != nullptr && watched_->cancelled())
    throw task_cancelled{};
  denied_.clear();
  statement_guard guard;
  int rc = SQLITE_OK;
  if (auto hit = cache_.find(sql); hit != cache_.end()) {
    guard.stmt = hit->second;
    guard.cached = true;
  } else {
    rc = sqlite3_prepare_v2(handle_, sql.c_str(), static_cast<int>(sql.size()),
                            &guard.stmt, nullptr);
    if (rc == SQLITE_AUTH && !denied_.empty())
      throw database_error{denied_};
    if (rc != SQLITE_OK)
      throw database_error{sqlite3_errmsg(handle_)};
    if (guard.stmt == nullptr)
      return {};
    // Only statements the authorizer allowed get here, so a cached one
    // never skips a permission check it would have failed.
    if (may_cache && cache_.size() < cache_capacity_) {
      cache_.emplace(sql, guard.stmt);
      guard.cached = true;
    }
  }
  if (static_cast<std::size_t>(sqlite3_bind_parameter_count(guard.stmt))
      != params.size())
    throw database_error{
      "The statement expects "
      + std::to_string(sqlite3_bind_parameter_count(guard.stmt))
      + " parameters, got " + std::to_string(params.size()) + "."};
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto pos = static_cast<int>(i + 1);
    if (auto n = std::get_if<std::int64_t>(&params[i]))
      sqlite3_bind_int64(guard.stmt, pos, *n);
    else if (auto s = std::get_if<std::string>(&params[i]))
      sqlite3_bind_text(guard.stmt, pos, s->data(), static_cast<int>(s->size()),
                        SQLITE_TRANSIENT);
    else
      sqlite3_bind_null(guard.stmt, pos);
  }
  std::vector<db_row> rows;
  while ((rc = sqlite3_step(guard.stmt)) == SQLITE_ROW) {
    db_row row;
    auto n = sqlite3_column_count(guard.stmt);
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(guard.stmt, c)) {
      case SQLITE_NULL:
        row.emplace_back(nullptr);
        break;
      case SQLITE_INTEGER:
        row.emplace_back(
          static_cast<std::int64_t>(sqlite3_column_int64(guard.stmt, c)));
        break;
      default: {
        auto text = sqlite3_column_text(guard.stmt, c);
        row.emplace_back(std::string{
          reinterpret_cast<const char*>(text),
          static_cast<std::size_t>(sqlite3_column_bytes(guard.stmt, c))});
      }
      }
    }
    rows.push_back(std::move(row));
  }
  if (rc == SQLITE_INTERRUPT && watched_ != nullptr && watched_->cancelled())
    throw task_cancelled{};
  if (rc != SQLITE_DONE)
    throw database_error{sqlite3_errmsg(handle_)};
  return rows;
}

void database::execute_script(const std::string& sql) {
  char* msg = nullptr;
  if (sqlite3_exec(handle_, sql.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string why = msg != nullptr ? msg : sqlite3_errmsg(handle_);
    sqlite3_free(msg);
    throw database_error{why};
  }
}

void database::run_control(const char* sql) {
  control_ = true;
  char* msg = nullptr;
  auto rc = sqlite3_exec(handle_, sql, nullptr, nullptr, &msg);
  control_ = false;
  if (rc != SQLITE_OK) {
    std::string why = msg != nullptr ? msg : sqlite3_errmsg(handle_);
    sqlite3_free(msg);
    throw database_error{why};
  }
}

void database::begin() {
  run_control(mode_ == access_mode::read_only ? "BEGIN DEFERRED"
                                              : "BEGIN IMMEDIATE");
}

void database::commit() {
  run_control("COMMIT");
}

void database::rollback() noexcept {
  if (!in_transaction())
    return;
  try {
    run_control("ROLLBACK");
  } catch (const database_error&) {
    // A failed statement may already have rolled the transaction back.
  }
}

bool database::in_transaction() const noexcept {
  return sqlite3_get_autocommit(handle_) == 0;
}

} // namespace stagehand
