#include "server/operation_store.hpp"

#include <algorithm>

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

namespace stagehand {

namespace {

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS operations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  display_name TEXT NOT NULL,
  input_parameters TEXT NOT NULL,
  output_parameters TEXT NOT NULL DEFAULT '[]',
  state INTEGER NOT NULL,
  status INTEGER NOT NULL,
  start_time INTEGER,
  end_time INTEGER,
  retry_count INTEGER NOT NULL DEFAULT 0,
  error_code TEXT NOT NULL DEFAULT '',
  error_message TEXT NOT NULL DEFAULT '',
  run_as TEXT NOT NULL,
  created_on INTEGER NOT NULL,
  ttl_seconds INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  callback_url TEXT NOT NULL DEFAULT '',
  idempotency_key TEXT,
  body_hash TEXT NOT NULL DEFAULT '',
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  next_attempt_time INTEGER,
  delivery_failure TEXT NOT NULL DEFAULT '',
  notified INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS operations_idempotency
  ON operations (run_as, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS operations_due
  ON operations (state, next_attempt_time);
CREATE INDEX IF NOT EXISTS operations_status ON operations (status);
CREATE INDEX IF NOT EXISTS operations_expiry ON operations (expires_at)
  WHERE state = 3;
CREATE INDEX IF NOT EXISTS operations_unnotified ON operations (notified)
  WHERE notified = 0;
CREATE TABLE IF NOT EXISTS webhooks (
  id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  url TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_on INTEGER NOT NULL
);
)sql";

/// The columns `to_record` reads, in its order.
constexpr const char* columns
  = "seq, id, name, display_name, input_parameters, output_parameters, "
    "status, start_time, end_time, retry_count, error_code, error_message, "
    "run_as, created_on, ttl_seconds, callback_url, idempotency_key, "
    "body_hash, cancel_requested, next_attempt_time, delivery_failure, "
    "notified";

std::string select_from() {
  return std::string{"SELECT "} + columns + " FROM operations ";
}

std::string returning() {
  return std::string{" RETURNING "} + columns;
}

/// SPEC.md §3 stores parameters as a JSON array of {Key, Value}.
std::string to_pairs(const dictionary& dict) {
  auto out = nlohmann::json::array();
  for (auto& [key, value] : dict)
    out.push_back({{"Key", key}, {"Value", value}});
  return out.dump();
}

dictionary from_pairs(const std::string& text) {
  dictionary out;
  for (auto& pair : nlohmann::json::parse(text))
    out.emplace(pair.at("Key").get<std::string>(),
                pair.at("Value").get<std::string>());
  return out;
}

std::int64_t int_of(const db_value& v) {
  auto p = std::get_if<std::int64_t>(&v);
  return p != nullptr ? *p : 0;
}

std::optional<std::int64_t> opt_int_of(const db_value& v) {
  auto p = std::get_if<std::int64_t>(&v);
  return p != nullptr ? std::optional<std::int64_t>{*p} : std::nullopt;
}

std::string text_of(const db_value& v) {
  auto p = std::get_if<std::string>(&v);
  return p != nullptr ? *p : std::string{};
}

db_value opt(const std::optional<std::int64_t>& x) {
  return x ? db_value{*x} : db_value{nullptr};
}

db_value opt(const std::string& x) {
  return x.empty() ? db_value{nullptr} : db_value{x};
}

operation_record to_record(const db_row& row) {
  operation_record r;
  r.seq = int_of(row[0]);
  r.id = text_of(row[1]);
  r.name = text_of(row[2]);
  r.display_name = text_of(row[3]);
  r.inputs = from_pairs(text_of(row[4]));
  r.outputs = from_pairs(text_of(row[5]));
  from_status_code(static_cast<int>(int_of(row[6])), r.status);
  r.start_time = opt_int_of(row[7]);
  r.end_time = opt_int_of(row[8]);
  r.retry_count = int_of(row[9]);
  r.error_code = text_of(row[10]);
  r.error_message = text_of(row[11]);
  r.run_as = text_of(row[12]);
  r.created_on = int_of(row[13]);
  r.ttl_seconds = int_of(row[14]);
  r.callback_url = text_of(row[15]);
  r.idempotency_key = text_of(row[16]);
  r.body_hash = text_of(row[17]);
  r.cancel_requested = int_of(row[18]) != 0;
  r.next_attempt_time = opt_int_of(row[19]);
  r.delivery_failure = text_of(row[20]);
  r.notified = int_of(row[21]) != 0;
  return r;
}

std::vector<operation_record> to_records(const std::vector<db_row>& rows) {
  std::vector<operation_record> out;
  out.reserve(rows.size());
  for (auto& row : rows)
    out.push_back(to_record(row));
  return out;
}

std::optional<operation_record> first(const std::vector<db_row>& rows) {
  if (rows.empty())
    return std::nullopt;
  return to_record(rows[0]);
}

std::int64_t code(operation_status x) {
  return status_code(x);
}

std::int64_t state(operation_status x) {
  return state_code(x);
}

/// Runs `f` in one write transaction, rolled back if it throws.
template <class F>
auto in_transaction(database& db, F&& f) {
  db.begin();
  try {
    if constexpr (std::is_void_v<decltype(f())>) {
      f();
      db.commit();
    } else {
      auto result = f();
      db.commit();
      return result;
    }
  } catch (...) {
    db.rollback();
    throw;
  }
}

} // namespace

caf::expected<std::unique_ptr<operation_store>>
operation_store::open(const std::string& path, caf::timespan busy_timeout,
                      std::size_t readers) {
  // The system tables are not AL tables, so no catalog names them.
  auto no_tables = std::make_shared<const table_catalog>();
  auto db = database::open(path, access_mode::read_write, no_tables,
                           busy_timeout, true);
  if (!db)
    return db.error();
  try {
    (*db)->query("PRAGMA journal_mode=WAL");
    // A commit survives a crash of the process (kill -9) once it returns;
    // only a power loss may take the last commits, which FULL would prevent
    // at the price of an fsync per submit.
    (*db)->query("PRAGMA synchronous=NORMAL");
    (*db)->execute_script(schema);
    // The store runs a fixed set of statements, and preparing the wide
    // SELECTs and RETURNINGs anew took about half of the store's time in
    // SQLite under load (benchmarks/http_api).
    (*db)->cache_statements(64);
  } catch (const database_error& e) {
    return caf::make_error(caf::sec::runtime_error,
                           path + ": " + std::string{e.what()});
  }
  std::vector<std::unique_ptr<reader>> pool;
  for (std::size_t i = 0; i < std::max<std::size_t>(readers, 1); ++i) {
    auto conn = database::open(path, access_mode::read_only, no_tables,
                               busy_timeout);
    if (!conn)
      return conn.error();
    (*conn)->cache_statements(16);
    pool.push_back(std::make_unique<reader>());
    pool.back()->db = std::move(*conn);
  }
  return std::unique_ptr<operation_store>{
    new operation_store(std::move(*db), std::move(pool))};
}

operation_store::operation_store(std::unique_ptr<database> db,
                                 std::vector<std::unique_ptr<reader>> readers)
  : db_(std::move(db)), readers_(std::move(readers)) {}

template <class F>
auto operation_store::read(F&& f) {
  auto start = next_reader_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    auto& r = *readers_[(start + i) % readers_.size()];
    std::unique_lock<std::mutex> guard{r.mtx, std::try_to_lock};
    if (guard.owns_lock())
      return f(*r.db);
  }
  auto& r = *readers_[start % readers_.size()];
  std::lock_guard<std::mutex> guard{r.mtx};
  return f(*r.db);
}

// -- submit, read, list -------------------------------------------------------

operation_store::insert_outcome
operation_store::insert(const operation_record& rec) {
  std::lock_guard<std::mutex> guard{mtx_};
  return in_transaction(*db_, [&]() -> insert_outcome {
    if (!rec.idempotency_key.empty()) {
      auto rows = db_->query(select_from()
                               + "WHERE run_as = ? AND idempotency_key = ?",
                             {rec.run_as, rec.idempotency_key});
      if (!rows.empty()) {
        auto earlier = to_record(rows[0]);
        auto same = earlier.body_hash == rec.body_hash;
        return {same ? insert_outcome::kind::existing
                     : insert_outcome::kind::key_conflict,
                std::move(earlier)};
      }
    }
    auto rows = db_->query(
      "INSERT INTO operations (id, name, display_name, input_parameters, "
      "output_parameters, state, status, retry_count, run_as, created_on, "
      "ttl_seconds, expires_at, callback_url, idempotency_key, body_hash, "
      "next_attempt_time) VALUES (?, ?, ?, ?, '[]', ?, ?, 0, ?, ?, ?, ?, ?, ?, "
      "?, ?)"
        + returning(),
      {rec.id, rec.name, rec.display_name, to_pairs(rec.inputs),
       state(rec.status), code(rec.status), rec.run_as, rec.created_on,
       rec.ttl_seconds, rec.created_on + rec.ttl_seconds * 1000,
       rec.callback_url, opt(rec.idempotency_key), rec.body_hash,
       opt(rec.next_attempt_time)});
    return {insert_outcome::kind::created, to_record(rows.at(0))};
  });
}

std::optional<operation_record> operation_store::find(const std::string& id) {
  return read([&](database& db) {
    return first(db.query(select_from() + "WHERE id = ?", {id}));
  });
}

std::vector<operation_record> operation_store::list(const operation_query& q) {
  // Unset filters bind NULL, which the statement reads as "any".
  std::vector<db_value> params{q.after, nullptr, nullptr, nullptr,
                               static_cast<std::int64_t>(q.top)};
  if (q.run_as)
    params[1] = *q.run_as;
  if (q.status)
    params[2] = code(*q.status);
  if (q.name)
    params[3] = *q.name;
  return read([&](database& db) {
    return to_records(
      db.query(select_from()
                 + "WHERE seq > ?1 AND (?2 IS NULL OR run_as = ?2) "
                   "AND (?3 IS NULL OR status = ?3) "
                   "AND (?4 IS NULL OR name = ?4) ORDER BY seq LIMIT ?5",
               params));
  });
}

std::map<operation_status, std::int64_t> operation_store::count_by_status() {
  auto rows = read([](database& db) {
    return db.query("SELECT status, count(*) FROM operations GROUP BY status");
  });
  std::map<operation_status, std::int64_t> out;
  for (auto& row : rows) {
    operation_status s;
    if (from_status_code(static_cast<int>(int_of(row[0])), s))
      out[s] = int_of(row[1]);
  }
  return out;
}

// -- the scheduler's transitions ----------------------------------------------

std::optional<operation_record>
operation_store::claim_next(std::int64_t now) {
  std::lock_guard<std::mutex> guard{mtx_};
  return first(db_->query(
    "UPDATE operations SET state = 2, status = 20, start_time = ?, "
    "next_attempt_time = NULL WHERE seq = (SELECT seq FROM operations WHERE "
    "state = 0 AND next_attempt_time <= ? ORDER BY next_attempt_time, seq "
    "LIMIT 1)"
      + returning(),
    {now, now}));
}

std::optional<std::int64_t> operation_store::next_due() {
  std::lock_guard<std::mutex> guard{mtx_};
  auto rows = db_->query(
    "SELECT min(next_attempt_time) FROM operations WHERE state = 0");
  return rows.empty() ? std::nullopt : opt_int_of(rows[0][0]);
}

void operation_store::release(const std::string& id,
                              std::int64_t next_attempt) {
  std::lock_guard<std::mutex> guard{mtx_};
  db_->query("UPDATE operations SET state = 0, status = 0, start_time = NULL, "
             "next_attempt_time = ? WHERE id = ? AND status = 20",
             {next_attempt, id});
}

std::optional<operation_record>
operation_store::finish(const std::string& id, operation_status status,
                        const dictionary& outputs,
                        const std::string& error_code,
                        const std::string& error_message, std::int64_t now) {
  std::lock_guard<std::mutex> guard{mtx_};
  if (status == operation_status::succeeded)
    return first(db_->query(
      "UPDATE operations SET state = 3, status = 30, output_parameters = ?, "
      "end_time = ?, next_attempt_time = NULL WHERE id = ? AND state = 2"
        + returning(),
      {to_pairs(outputs), now, id}));
  return first(db_->query(
    std::string{"UPDATE operations SET state = 3, status = ?, error_code = ?, "
                "error_message = ?, end_time = ?, next_attempt_time = NULL "
                "WHERE id = ? AND state = 2"}
      + (status == operation_status::failed ? " AND cancel_requested = 0" : "")
      + returning(),
    {code(status), error_code, error_message, now, id}));
}

std::optional<operation_record>
operation_store::schedule_retry(const std::string& id,
                                std::int64_t next_attempt,
                                const std::string& error_code,
                                const std::string& error_message) {
  std::lock_guard<std::mutex> guard{mtx_};
  return first(db_->query(
    "UPDATE operations SET state = 0, status = 0, retry_count = retry_count "
    "+ 1, error_code = ?, error_message = ?, start_time = NULL, "
    "next_attempt_time = ? WHERE id = ? AND state = 2 AND cancel_requested = 0"
      + returning(),
    {error_code, error_message, next_attempt, id}));
}

std::vector<operation_record> operation_store::requeue_interrupted(
  const std::optional<std::string>& id, std::int64_t max_retries,
  const std::string& message, std::int64_t now) {
  std::lock_guard<std::mutex> guard{mtx_};
  db_value which = id ? db_value{*id} : db_value{nullptr};
  return in_transaction(*db_, [&] {
    auto ended = to_records(db_->query(
      "UPDATE operations SET state = 3, status = 32, end_time = ?1, "
      "next_attempt_time = NULL WHERE state = 2 AND cancel_requested = 1 "
      "AND (?2 IS NULL OR id = ?2)"
        + returning(),
      {now, which}));
    auto failed = to_records(db_->query(
      "UPDATE operations SET state = 3, status = 31, end_time = ?1, "
      "error_code = '', error_message = ?2, next_attempt_time = NULL "
      "WHERE state = 2 AND retry_count >= ?3 AND (?4 IS NULL OR id = ?4)"
        + returning(),
      {now, message, max_retries, which}));
    ended.insert(ended.end(), failed.begin(), failed.end());
    db_->query("UPDATE operations SET state = 0, status = 0, retry_count = "
               "retry_count + 1, error_code = '', error_message = ?1, "
               "start_time = NULL, next_attempt_time = ?2 WHERE state = 2 "
               "AND (?3 IS NULL OR id = ?3)",
               {message, now, which});
    return ended;
  });
}

// -- cancel -------------------------------------------------------------------

operation_store::cancel_outcome
operation_store::cancel(const std::string& id,
                        const std::optional<std::string>& run_as,
                        std::int64_t now) {
  using kind = cancel_outcome::kind;
  std::lock_guard<std::mutex> guard{mtx_};
  return in_transaction(*db_, [&]() -> cancel_outcome {
    auto rows = db_->query(select_from() + "WHERE id = ?", {id});
    if (rows.empty())
      return {kind::not_found, {}};
    auto rec = to_record(rows[0]);
    if (run_as && rec.run_as != *run_as)
      return {kind::not_found, {}};
    switch (state_code(rec.status)) {
    case 0:
      return {kind::canceled,
              to_record(db_->query(
                "UPDATE operations SET state = 3, status = 32, "
                "cancel_requested = 1, end_time = ?, next_attempt_time = NULL "
                "WHERE id = ?"
                  + returning(),
                {now, id})[0])};
    case 2:
      return {kind::canceling,
              to_record(db_->query("UPDATE operations SET status = 22, "
                                   "cancel_requested = 1 WHERE id = ?"
                                     + returning(),
                                   {id})[0])};
    default:
      return {kind::terminal, std::move(rec)};
    }
  });
}

// -- notification -------------------------------------------------------------

std::vector<operation_record> operation_store::unnotified() {
  std::lock_guard<std::mutex> guard{mtx_};
  return to_records(db_->query(
    select_from() + "WHERE notified = 0 AND state = 3 ORDER BY seq"));
}

void operation_store::mark_notified(const std::string& id,
                                    const std::string& failure) {
  std::lock_guard<std::mutex> guard{mtx_};
  db_->query("UPDATE operations SET notified = 1, delivery_failure = ? WHERE "
             "id = ?",
             {failure, id});
}

// -- TTL ----------------------------------------------------------------------

std::size_t operation_store::purge_expired(std::int64_t now,
                                           std::size_t batch) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto rows = db_->query(
    "DELETE FROM operations WHERE seq IN (SELECT seq FROM operations WHERE "
    "state = 3 AND expires_at <= ? AND notified = 1 LIMIT ?) RETURNING seq",
    {now, static_cast<std::int64_t>(batch)});
  return rows.size();
}

// -- webhooks -----------------------------------------------------------------

void operation_store::add_webhook(const webhook& hook) {
  std::lock_guard<std::mutex> guard{mtx_};
  db_->query("INSERT INTO webhooks (id, event, url, created_by, created_on) "
             "VALUES (?, ?, ?, ?, ?)",
             {hook.id, hook.event, hook.url, hook.created_by,
              hook.created_on});
}

std::vector<webhook> operation_store::webhooks(const std::string& event) {
  std::lock_guard<std::mutex> guard{mtx_};
  std::vector<webhook> out;
  for (auto& row : db_->query("SELECT id, event, url, created_by, created_on "
                              "FROM webhooks WHERE event = ? ORDER BY "
                              "created_on, id",
                              {event}))
    out.push_back({text_of(row[0]), text_of(row[1]), text_of(row[2]),
                   text_of(row[3]), int_of(row[4])});
  return out;
}

// -- durability ---------------------------------------------------------------

void operation_store::checkpoint() {
  std::lock_guard<std::mutex> guard{mtx_};
  db_->query("PRAGMA wal_checkpoint(TRUNCATE)");
}

} // namespace stagehand
