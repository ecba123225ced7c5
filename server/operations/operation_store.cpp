#include "server/operations/operation_store.hpp"

#include <algorithm>

#include <caf/sec.hpp>

#include "server/operations/entity_statement.hpp"
#include "server/operations/operation_rows.hpp"

namespace stagehand {

namespace {

using namespace operation_rows;

std::int64_t code(operation_status x) {
  return status_code(x);
}

/// The creation time of a row inserted now, in the writer's transaction:
/// `proposed` (the caller's clock), but always after every stored row's.
/// Commits are serial, so creation times then rise in commit order and a
/// page that ends at one never has a later commit land behind it, as a
/// time stamped before a slower submit's commit could.
std::int64_t created_on_after_last(database& db, std::int64_t proposed) {
  static const std::string latest = "SELECT MAX(created_on) FROM operations";
  auto last = opt_int_of(db.query(latest).at(0).at(0));
  return last ? std::max(proposed, *last + 1) : proposed;
}

/// Often enough that the WAL stays a few MB at thousands of commits a
/// second; an idle WAL makes a checkpoint a no-op.
constexpr auto checkpoint_interval = std::chrono::milliseconds(100);

} // namespace

caf::expected<std::unique_ptr<operation_store>>
operation_store::open(const std::string& path, caf::timespan busy_timeout,
                      std::size_t readers, synchronous_mode synchronous) {
  // The system tables are not AL tables, so no catalog names them.
  auto no_tables = std::make_shared<const table_catalog>();
  auto db = database::open(path, access_mode::read_write, no_tables,
                           busy_timeout, true, synchronous);
  if (!db)
    return db.error();
  try {
    (*db)->query("PRAGMA journal_mode=WAL");
    (*db)->execute_script(schema);
    // Each insert lands on a random leaf of the GUID index, so a $batch of
    // 1,000 dirties more pages than SQLite's default 2 MiB cache holds and
    // spilled them to the WAL mid-transaction; 64 MiB keeps one in memory.
    (*db)->query("PRAGMA cache_size=-65536");
    // Copying the WAL back is the checkpointer's job, off every request's
    // path (see `wal_checkpointer`); SQLite's own, at about 400 MB, only
    // bounds the WAL should the checkpointer keep failing.
    (*db)->query("PRAGMA wal_autocheckpoint=100000");
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
    auto conn
      = database::open(path, access_mode::read_only, no_tables, busy_timeout);
    if (!conn)
      return conn.error();
    (*conn)->cache_statements(16);
    pool.push_back(std::make_unique<reader>());
    pool.back()->db = std::move(*conn);
  }
  std::unique_ptr<operation_store> store{
    new operation_store(std::move(*db), std::move(pool))};
  auto& writer = store->writer_;
  auto checkpointer = wal_checkpointer::start(
    path, checkpoint_interval, busy_timeout, synchronous, [&writer] {
      writer.outside_transaction([](database& db) {
        db.query("PRAGMA wal_checkpoint(PASSIVE)");
      });
    });
  if (!checkpointer)
    return checkpointer.error();
  store->checkpointer_ = std::move(*checkpointer);
  return store;
}

operation_store::operation_store(std::unique_ptr<database> db,
                                 std::vector<std::unique_ptr<reader>> readers)
  : writer_(std::move(db), group_commit::limits{}),
    readers_(std::move(readers)) {}

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
  return writer_.run([&](database& db) {
    return insert_row(db, rec);
  });
}

std::vector<operation_store::insert_outcome>
operation_store::insert_all(const std::vector<operation_record>& recs) {
  return writer_.run([&](database& db) {
    std::vector<insert_outcome> out;
    out.reserve(recs.size());
    for (auto& rec : recs)
      out.push_back(insert_row(db, rec));
    return out;
  });
}

operation_store::insert_outcome
operation_store::insert_row(database& db, const operation_record& rec) {
  if (!rec.idempotency_key.empty()) {
    static const std::string by_key
      = select_from() + "WHERE run_as = ? AND idempotency_key = ?";
    auto rows = db.query(by_key, {rec.run_as, rec.idempotency_key});
    if (!rows.empty()) {
      auto earlier = to_record(rows[0]);
      auto same = earlier.body_hash == rec.body_hash;
      return {same ? insert_outcome::kind::existing
                   : insert_outcome::kind::key_conflict,
              std::move(earlier)};
    }
  }
  static const std::string insert_sql
    = "INSERT INTO operations (id, name, display_name, input_parameters, "
      "output_parameters, state, status, retry_count, run_as, created_on, "
      "ttl_seconds, expires_at, callback_url, idempotency_key, body_hash, "
      "next_attempt_time) VALUES (?, ?, ?, ?, '[]', ?, ?, 0, ?, ?, ?, ?, ?, "
      "?, ?, ?)"
      + returning();
  auto created_on = created_on_after_last(db, rec.created_on);
  auto rows = db.query(
    insert_sql,
    {rec.id, rec.name, rec.display_name, to_pairs(rec.inputs),
     state_code(rec.status), code(rec.status), rec.run_as, created_on,
     rec.ttl_seconds, created_on + rec.ttl_seconds * 1000, rec.callback_url,
     opt(rec.idempotency_key), rec.body_hash, opt(rec.next_attempt_time)});
  return {insert_outcome::kind::created, to_record(rows.at(0))};
}

std::optional<operation_record> operation_store::find(const std::string& id) {
  return read([&](database& db) {
    return first(db.query(by_id(), {id}));
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
  static const std::string page
    = select_from()
      + "WHERE seq > ?1 AND (?2 IS NULL OR run_as = ?2) "
        "AND (?3 IS NULL OR status = ?3) "
        "AND (?4 IS NULL OR name = ?4) ORDER BY seq LIMIT ?5";
  return read([&](database& db) {
    return to_records(db.query(page, params));
  });
}

std::vector<operation_record> operation_store::query(const entity_query& q) {
  auto statement = page_statement(q, sql_dialect{});
  return read([&](database& db) {
    return to_records(db.query_once(statement.text, statement.params));
  });
}

std::int64_t operation_store::count(const entity_query& q) {
  auto statement = count_statement(q, sql_dialect{});
  auto rows = read([&](database& db) {
    return db.query_once(statement.text, statement.params);
  });
  return int_of(rows.at(0).at(0));
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

// -- cancel -------------------------------------------------------------------

operation_store::cancel_outcome
operation_store::cancel(const std::string& id,
                        const std::optional<std::string>& run_as,
                        std::int64_t now) {
  using kind = cancel_outcome::kind;
  return writer_.run([&](database& db) -> cancel_outcome {
    auto rows = db.query(by_id(), {id});
    if (rows.empty())
      return {kind::not_found, {}};
    auto rec = to_record(rows[0]);
    if (run_as && rec.run_as != *run_as)
      return {kind::not_found, {}};
    static const std::string cancel_ready
      = "UPDATE operations SET state = 3, status = 32, cancel_requested = 1, "
        "end_time = ?, next_attempt_time = NULL, "
        + notified_if_nothing_to_deliver() + " WHERE id = ?" + returning();
    static const std::string cancel_locked
      = "UPDATE operations SET status = 22, cancel_requested = 1 WHERE id = ?"
        + returning();
    switch (state_code(rec.status)) {
    case 0:
      return {kind::canceled,
              to_record(db.query(cancel_ready, {now, id}).at(0))};
    case 2:
      return {kind::canceling, to_record(db.query(cancel_locked, {id}).at(0))};
    default:
      return {kind::terminal, std::move(rec)};
    }
  });
}

// -- notification -------------------------------------------------------------

std::vector<operation_record> operation_store::unnotified() {
  static const std::string due
    = select_from() + "WHERE notified = 0 AND state = 3 ORDER BY seq";
  return read([&](database& db) {
    return to_records(db.query(due));
  });
}

void operation_store::mark_notified(const std::string& id,
                                    const std::string& failure) {
  writer_.run([&](database& db) {
    db.query("UPDATE operations SET notified = 1, delivery_failure = ? WHERE "
             "id = ?",
             {failure, id});
  });
}

// -- TTL ----------------------------------------------------------------------

std::size_t operation_store::purge_expired(std::int64_t now,
                                           std::size_t batch) {
  return writer_.run([&](database& db) {
    return db
      .query("DELETE FROM operations WHERE seq IN (SELECT seq FROM "
             "operations WHERE state = 3 AND expires_at <= ? AND notified = 1 "
             "LIMIT ?) RETURNING seq",
             {now, static_cast<std::int64_t>(batch)})
      .size();
  });
}

// -- webhooks -----------------------------------------------------------------

void operation_store::add_webhook(const webhook& hook) {
  // Under the cache's lock, so that no read can cache the list without it.
  std::lock_guard<std::mutex> hooks_guard{hooks_mtx_};
  writer_.run([&](database& db) {
    db.query("INSERT INTO webhooks (id, event, url, created_by, created_on) "
             "VALUES (?, ?, ?, ?, ?)",
             {hook.id, hook.event, hook.url, hook.created_by, hook.created_on});
  });
  hooks_.erase(hook.event);
}

std::vector<webhook> operation_store::webhooks(const std::string& event) {
  std::lock_guard<std::mutex> hooks_guard{hooks_mtx_};
  if (auto i = hooks_.find(event); i != hooks_.end())
    return i->second;
  auto rows = read([&](database& db) {
    return db.query("SELECT id, event, url, created_by, created_on FROM "
                    "webhooks WHERE event = ? ORDER BY created_on, id",
                    {event});
  });
  std::vector<webhook> out;
  for (auto& row : rows)
    out.push_back({text_of(row[0]), text_of(row[1]), text_of(row[2]),
                   text_of(row[3]), int_of(row[4])});
  hooks_.emplace(event, out);
  return out;
}

// -- durability ---------------------------------------------------------------

void operation_store::checkpoint() {
  // A PASSIVE checkpoint in progress holds the lock that TRUNCATE needs and
  // does not wait for: the checkpointer stops first.
  checkpointer_.reset();
  auto busy = false;
  writer_.outside_transaction([&busy](database& db) {
    auto rows = db.query("PRAGMA wal_checkpoint(TRUNCATE)");
    busy = !rows.empty() && int_of(rows[0][0]) != 0;
  });
  if (busy)
    throw database_error{"system.db's WAL was not copied back: a connection "
                         "still read it"};
}

synchronous_mode operation_store::synchronous() {
  return writer_.run([](database& db) {
    return db.synchronous();
  });
}

} // namespace stagehand
