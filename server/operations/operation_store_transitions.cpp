// The scheduler's transitions of `operation_store`: claim, start, succeed,
// the one decision for every other ending, and recovery after a stop.
#include "server/operations/operation_store.hpp"

#include <algorithm>

#include "server/operations/operation_rows.hpp"

namespace stagehand {

using namespace operation_rows;

namespace {

bool start_row(database& db, const std::string& id, std::int64_t now) {
  return !db
            .query("UPDATE operations SET state = 2, status = 20, "
                   "start_time = ? WHERE id = ? AND state = 0 AND "
                   "next_attempt_time IS NULL RETURNING seq",
                   {now, id})
            .empty();
}

std::optional<operation_record> succeed_row(database& db,
                                            const std::string& id,
                                            const dictionary& outputs,
                                            std::int64_t now) {
  // A runner that reports no start before its result still started.
  static const std::string done
    = "UPDATE operations SET state = 3, status = 30, output_parameters = ?1, "
      "start_time = coalesce(start_time, ?2), end_time = ?2, "
      "next_attempt_time = NULL, "
      + notified_if_nothing_to_deliver()
      + " WHERE id = ?3 AND (state = 2 OR (state = 0 AND next_attempt_time "
        "IS NULL))"
      + returning();
  return first(db.query(done, {to_pairs(outputs), now, id}));
}

} // namespace

std::vector<operation_record>
operation_store::claim_due(std::int64_t now, std::size_t limit) {
  static const std::string claim
    = "UPDATE operations SET next_attempt_time = NULL WHERE seq IN (SELECT "
      "seq FROM operations WHERE state = 0 AND next_attempt_time <= ?1 ORDER "
      "BY next_attempt_time, seq LIMIT ?2)"
      + returning();
  auto claimed = writer_.run([&](database& db) {
    return to_records(db.query(claim, {now, static_cast<std::int64_t>(limit)}));
  });
  // RETURNING keeps no order; the first submitted starts first.
  std::sort(claimed.begin(), claimed.end(),
            [](const operation_record& x, const operation_record& y) {
              return x.seq < y.seq;
            });
  return claimed;
}

std::optional<operation_record>
operation_store::claim_next(std::int64_t now) {
  auto claimed = claim_due(now, 1);
  if (claimed.empty())
    return std::nullopt;
  return std::move(claimed.front());
}

std::optional<std::int64_t> operation_store::next_due(std::int64_t after) {
  auto rows = writer_.run([after](database& db) {
    return db.query("SELECT min(next_attempt_time) FROM operations WHERE "
                    "state = 0 AND next_attempt_time > ?",
                    {after});
  });
  return rows.empty() ? std::nullopt : opt_int_of(rows[0][0]);
}

void operation_store::release(const std::vector<std::string>& ids,
                              std::int64_t now) {
  // Only rows still claimed: a cancel may have ended one meanwhile.
  writer_.run([&](database& db) {
    for (auto& id : ids)
      db.query("UPDATE operations SET next_attempt_time = ? WHERE id = ? AND "
               "state = 0 AND next_attempt_time IS NULL",
               {now, id});
  });
}

bool operation_store::mark_started(const std::string& id, std::int64_t now) {
  return writer_.run([&](database& db) {
    return start_row(db, id, now);
  });
}

std::optional<operation_record>
operation_store::succeed(const std::string& id, const dictionary& outputs,
                         std::int64_t now) {
  return writer_.run([&](database& db) {
    return succeed_row(db, id, outputs, now);
  });
}

operation_store::progress_applied
operation_store::advance(const progress& p, std::int64_t now) {
  return writer_.run([&](database& db) {
    progress_applied out;
    for (auto& id : p.started)
      if (!start_row(db, id, now))
        out.unclaimed.push_back(id);
    for (auto& [id, outputs] : p.succeeded)
      if (auto rec = succeed_row(db, id, outputs, now))
        out.succeeded.push_back(std::move(*rec));
    return out;
  });
}

operation_store::attempt_settled
operation_store::end_attempt(const std::string& id, const attempt_end& end) {
  static const std::string cancel
    = "UPDATE operations SET state = 3, status = 32, error_code = ?1, "
      "error_message = ?2, end_time = ?3, next_attempt_time = NULL, "
      + notified_if_nothing_to_deliver() + " WHERE id = ?4" + returning();
  static const std::string fail
    = "UPDATE operations SET state = 3, status = 31, error_code = ?1, "
      "error_message = ?2, end_time = ?3, next_attempt_time = NULL, "
      + notified_if_nothing_to_deliver() + " WHERE id = ?4" + returning();
  static const std::string retry
    = "UPDATE operations SET state = 0, status = 0, retry_count = retry_count "
      "+ 1, error_code = ?1, error_message = ?2, start_time = NULL, "
      "next_attempt_time = ?3 WHERE id = ?4"
      + returning();
  static const std::string release
    = "UPDATE operations SET state = 0, status = 0, start_time = NULL, "
      "next_attempt_time = ?1 WHERE id = ?2"
      + returning();
  return writer_.run([&](database& db) -> attempt_settled {
    auto cur = first(db.query(by_id(), {id}));
    if (!cur)
      return {};
    auto verdict = decide(*cur, end);
    std::vector<db_row> rows;
    switch (verdict) {
    case attempt_verdict::none:
      return {};
    case attempt_verdict::released:
      rows = db.query(release, {end.now, id});
      break;
    case attempt_verdict::retried:
      rows = db.query(retry, {end.error_code, end.error_message,
                                end.retry_at(cur->retry_count + 1), id});
      break;
    case attempt_verdict::failed:
      rows = db.query(fail,
                        {end.error_code, end.error_message, end.now, id});
      break;
    case attempt_verdict::canceled:
      rows = db.query(cancel,
                        {end.error_code, end.error_message, end.now, id});
      break;
    }
    return {verdict, to_record(rows.at(0))};
  });
}

std::vector<operation_record>
operation_store::recover_interrupted(std::int64_t max_retries,
                                     const std::string& message,
                                     std::int64_t now) {
  return writer_.run([&](database& db) {
    // Claimed ones never started: their attempts do not count.
    db.query("UPDATE operations SET next_attempt_time = ?1 WHERE state = 0 "
               "AND next_attempt_time IS NULL",
               {now});
    auto ended = to_records(db.query(
      "UPDATE operations SET state = 3, status = 32, end_time = ?1, "
      "next_attempt_time = NULL WHERE state = 2 AND cancel_requested = 1"
        + returning(),
      {now}));
    auto failed = to_records(db.query(
      "UPDATE operations SET state = 3, status = 31, end_time = ?1, "
      "error_code = '', error_message = ?2, next_attempt_time = NULL "
      "WHERE state = 2 AND retry_count >= ?3"
        + returning(),
      {now, message, max_retries}));
    ended.insert(ended.end(), failed.begin(), failed.end());
    db.query("UPDATE operations SET state = 0, status = 0, retry_count = "
               "retry_count + 1, error_code = '', error_message = ?1, "
               "start_time = NULL, next_attempt_time = ?2 WHERE state = 2",
               {message, now});
    return ended;
  });
}

} // namespace stagehand
