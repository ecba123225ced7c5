#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "data/database.hpp"
#include "data/group_commit.hpp"
#include "data/wal_checkpointer.hpp"
#include "server/operations/attempt_end.hpp"
#include "server/operations/entity_query.hpp"
#include "server/operations/operation_query.hpp"
#include "server/operations/operation_record.hpp"
#include "server/operations/webhook.hpp"

namespace stagehand {

/// The system database, `<data-dir>/system.db`: operations and webhooks in
/// SQLite (WAL). It is the single source of truth of every operation's
/// state, so that a crash loses nothing that was acknowledged. Each
/// transition is one conditional UPDATE, so that a cancel and the scheduler
/// racing on one operation cannot both win.
///
/// Thread-safe: one writing connection whose concurrent writes commit
/// together (`group_commit`), so that submits and the scheduler's transitions
/// share transactions, and a few read-only
/// connections for status reads, so that clients polling never queue behind
/// the scheduler's commits (WAL lets readers and the writer run at once).
/// Every call blocks on SQLite, so call it from the server's own threads,
/// never from an actor.
/// Failures of SQLite itself raise `database_error`.
class operation_store {
public:
  /// Opens or creates `path`, creates missing tables, and opens `readers`
  /// read-only connections (at least one) for `find`, `list` and
  /// `count_by_status`. Its commits keep `synchronous`'s promise; writes
  /// that arrive together share one (`group_commit`).
  static caf::expected<std::unique_ptr<operation_store>>
  open(const std::string& path, caf::timespan busy_timeout,
       std::size_t readers = 2,
       synchronous_mode synchronous = synchronous_mode::normal);

  // -- submit, read, list -----------------------------------------------------

  struct insert_outcome {
    enum class kind { created, existing, key_conflict };
    kind what = kind::created;
    /// The new row, or the one the idempotency key already names.
    operation_record record;
  };

  /// Inserts `rec`, unless its user already used its idempotency key: then
  /// the earlier operation comes back, or `key_conflict` if its body hash
  /// differs. `rec.created_on` is the caller's clock: the row is stored with
  /// that time or, if a stored row has it or a later one, 1 ms after the
  /// latest, decided within the insert's transaction. So creation times are
  /// unique and rise in commit order, whatever the clocks of racing
  /// submits. The returned record has the stored time, and the row's time
  /// to live counts from it.
  insert_outcome insert(const operation_record& rec);

  /// Inserts each of `recs` as `insert` would, in order, in one transaction:
  /// all are stored or, if SQLite fails, none. A record sees the rows of
  /// those before it, so a key repeated within `recs` names the first one.
  std::vector<insert_outcome>
  insert_all(const std::vector<operation_record>& recs);

  std::optional<operation_record> find(const std::string& id);

  std::vector<operation_record> list(const operation_query& q);

  /// A page of the `backgroundoperations` entity set (`entity_statement`),
  /// in SQLite's dialect. A statement built from a client's filter is not
  /// kept prepared, so filters never crowd the fixed statements out.
  std::vector<operation_record> query(const entity_query& q);

  /// How many rows `q` reaches over all its pages.
  std::int64_t count(const entity_query& q);

  std::map<operation_status, std::int64_t> count_by_status();

  // -- the scheduler's transitions --------------------------------------------

  /// Takes up to `limit` Ready operations due by `now`, first due first, in
  /// one transaction, for an attempt each. Each stays Waiting For Resources
  /// (0/0) while its attempt waits for a background session slot, without a
  /// due time so that nothing claims it twice, until it is marked started.
  /// @returns them in the order they were submitted.
  std::vector<operation_record> claim_due(std::int64_t now, std::size_t limit);

  /// `claim_due` of one.
  std::optional<operation_record> claim_next(std::int64_t now);

  /// When the next Ready operation due after `after` is due, if any is.
  std::optional<std::int64_t>
  next_due(std::int64_t after = std::numeric_limits<std::int64_t>::min());

  /// Hands claimed operations back, due at `now`, their tries uncounted, in
  /// one write: the rest of a claim that the runner could not take.
  void release(const std::vector<std::string>& ids, std::int64_t now);

  /// A claimed operation's attempt runs from `now`: In Progress (2/20).
  /// @returns false if it is no longer claimed: a cancel ended it while it
  ///          waited, so its attempt must be stopped.
  bool mark_started(const std::string& id, std::int64_t now);

  /// Ends a claimed or running operation Succeeded with `outputs`, keeping
  /// the last failed attempt's error on record; a cancel request that came
  /// too late to stop the attempt does not change that. Like a cancel and
  /// `end_attempt`'s Failed and Canceled, the same write marks it `notified`
  /// when it has no callback and no subscriber (restart recovery does not:
  /// it hands what it ended to the scheduler's delivery).
  std::optional<operation_record>
  succeed(const std::string& id, const dictionary& outputs, std::int64_t now);

  /// What the scheduler heard from its attempts in one turn of its loop.
  struct progress {
    /// Claimed operations whose attempts began, in the runner's order.
    std::vector<std::string> started;
    /// Operations whose attempts succeeded, with their outputs.
    std::vector<std::pair<std::string, dictionary>> succeeded;
  };

  struct progress_applied {
    /// Of `started`, those no longer claimed (as `mark_started`'s false).
    std::vector<std::string> unclaimed;
    /// The rows that became Succeeded, as `succeed` returns them.
    std::vector<operation_record> succeeded;
  };

  /// Applies a turn's `progress` at `now` in one transaction: each start as
  /// `mark_started`, then each success as `succeed`, so that a turn costs the
  /// scheduler one commit however many attempts it heard of.
  progress_applied advance(const progress& p, std::int64_t now);

  struct attempt_settled {
    attempt_verdict verdict = attempt_verdict::none;
    /// The row after the transition, unless the verdict is `none`.
    operation_record record;
  };

  /// The one transition for an attempt that did not succeed: in one
  /// transaction it reads the row, `decide`s between cancel, fail, retry and
  /// release, and writes that. A row with a cancel request ends Canceled
  /// (3/32) at once, whatever the cause.
  attempt_settled end_attempt(const std::string& id, const attempt_end& end);

  /// At start, for operations a stop of the server interrupted: claimed
  /// ones are Ready again, uncounted; running ones with a cancel request end
  /// Canceled, without retries left Failed, otherwise they are Ready again
  /// with one more retry.
  /// @returns those that became terminal.
  std::vector<operation_record> recover_interrupted(std::int64_t max_retries,
                                                    const std::string& message,
                                                    std::int64_t now);

  // -- cancel -----------------------------------------------------------------

  struct cancel_outcome {
    enum class kind { not_found, terminal, canceled, canceling };
    kind what = kind::not_found;
    operation_record record;
  };

  /// SPEC.md §3 cancel: a Ready operation, claimed or not, ends Canceled (it
  /// never runs; a claimed one's waiting attempt must be stopped), a
  /// Locked one becomes Canceling (it finishes, but is not retried), a
  /// terminal one is refused. With `run_as` set, another user's operation is
  /// `not_found`.
  cancel_outcome cancel(const std::string& id,
                        const std::optional<std::string>& run_as,
                        std::int64_t now);

  // -- notification -----------------------------------------------------------

  /// Terminal operations whose completion was not yet reported delivered.
  std::vector<operation_record> unnotified();

  /// Records that the completion was delivered; a non-empty `failure` is
  /// kept as the operation's delivery failure.
  void mark_notified(const std::string& id, const std::string& failure);

  // -- TTL --------------------------------------------------------------------

  /// Deletes at most `batch` terminal, notified operations whose time to live
  /// ended by `now`, in one short transaction.
  /// @returns how many it deleted.
  std::size_t purge_expired(std::int64_t now, std::size_t batch);

  // -- webhooks ---------------------------------------------------------------

  void add_webhook(const webhook& hook);

  /// The subscribers of `event`, kept in memory after the first read: every
  /// completion asks, and only `add_webhook` changes them.
  std::vector<webhook> webhooks(const std::string& event);

  // -- durability -------------------------------------------------------------

  /// Copies the WAL into the database file, so that a clean shutdown leaves
  /// one self-contained file; stops the checkpointer first, so call it last.
  /// @throws database_error if a connection still read the WAL.
  void checkpoint();

  /// What its commits promise, as SQLite reports it: `serve` logs it.
  synchronous_mode synchronous();

private:
  struct reader {
    std::mutex mtx;
    std::unique_ptr<database> db;
  };

  operation_store(std::unique_ptr<database> db,
                  std::vector<std::unique_ptr<reader>> readers);

  /// `insert`'s work, within the writer's transaction.
  insert_outcome insert_row(database& db, const operation_record& rec);

  /// Runs `f(database&)` on a free reader, or waits for the next one in turn.
  template <class F>
  auto read(F&& f);

  group_commit writer_;
  std::vector<std::unique_ptr<reader>> readers_;
  std::atomic<std::size_t> next_reader_{0};
  std::mutex hooks_mtx_;
  std::map<std::string, std::vector<webhook>> hooks_;
  /// Last, so that it stops first.
  std::unique_ptr<wal_checkpointer> checkpointer_;
};

} // namespace stagehand
