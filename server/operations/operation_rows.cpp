#include "server/operations/operation_rows.hpp"

#include <nlohmann/json.hpp>

#include "server/operations/webhook.hpp"

namespace stagehand::operation_rows {

const char* const schema = R"sql(
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
-- Every insert reads MAX(created_on), and the entity set pages by it.
CREATE INDEX IF NOT EXISTS operations_created ON operations (created_on);
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

namespace {

/// The columns `to_record` reads, in its order.
constexpr const char* columns
  = "seq, id, name, display_name, input_parameters, output_parameters, "
    "status, start_time, end_time, retry_count, error_code, error_message, "
    "run_as, created_on, ttl_seconds, callback_url, idempotency_key, "
    "body_hash, cancel_requested, next_attempt_time, delivery_failure, "
    "notified";

dictionary from_pairs(const std::string& text) {
  dictionary out;
  for (auto& pair : nlohmann::json::parse(text))
    out.emplace(pair.at("Key").get<std::string>(),
                pair.at("Value").get<std::string>());
  return out;
}

} // namespace

// The statement cache is keyed by the SQL text, so each text is built once.
const std::string& select_from() {
  static const std::string text
    = std::string{"SELECT "} + columns + " FROM operations ";
  return text;
}

const std::string& by_id() {
  static const std::string text = select_from() + "WHERE id = ?";
  return text;
}

const std::string& returning() {
  static const std::string text = std::string{" RETURNING "} + columns;
  return text;
}

const std::string& notified_if_nothing_to_deliver() {
  static const std::string text
    = std::string{"notified = (callback_url = '' AND NOT EXISTS (SELECT 1 "
                  "FROM webhooks WHERE event = '"}
      + operation_complete_event + "'))";
  return text;
}

std::string to_pairs(const dictionary& dict) {
  auto out = nlohmann::json::array();
  for (auto& [key, value] : dict)
    out.push_back({{"Key", key}, {"Value", value}});
  return out.dump();
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

} // namespace stagehand::operation_rows
