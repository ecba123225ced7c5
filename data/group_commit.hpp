#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

#include "data/database.hpp"

namespace stagehand {

/// One read-write connection that many threads write through, whose writes
/// commit together. A commit costs about as much for one row as for a few
/// hundred, and the writers of a busy server (HTTP submits, the scheduler,
/// every session's log rows) each used to pay one. Here the first caller to
/// arrive while no transaction runs leads: it takes up to `max_batch`
/// waiting writes, runs them in one transaction and wakes their callers after
/// the commit, so that every caller still returns only once its write is
/// durable. Writes that arrive meanwhile wait for the next transaction, so a
/// caller waits at most for one transaction of `max_batch` writes before
/// its own.
///
/// A write that throws rolls its transaction back; each write of that batch
/// then runs again in a transaction of its own, so that only the faulty one
/// sees its error. Writes must therefore keep their effects in the database
/// and in their return value, must not open transactions themselves, and
/// must not call back into the same `group_commit` (they would wait for
/// themselves). A failure that is no write's own (the connection, BEGIN,
/// COMMIT) reaches every caller of that transaction.
class group_commit {
public:
  /// Opens the connection that the next transaction needs: at first, and
  /// again after a transaction failed, since a connection in an unknown
  /// state is not worth keeping.
  /// @throws database_error if it cannot.
  using opener = std::function<std::unique_ptr<database>()>;

  struct limits {
    /// Most writes in one transaction. A leader never waits for more: a
    /// batch is what arrived while the previous transaction ran, so a lone
    /// writer pays nothing for the batching.
    std::size_t max_batch = 256;
  };

  /// Writes through `db`, which is kept whatever fails.
  group_commit(std::unique_ptr<database> db, limits lim);

  /// Writes through connections from `open`.
  group_commit(opener open, limits lim);

  group_commit(const group_commit&) = delete;
  group_commit& operator=(const group_commit&) = delete;

  /// Runs `f(database&)` within a transaction shared with other callers and
  /// returns what it returned once that transaction committed.
  /// @throws what `f` threw, or `database_error` if the commit failed.
  template <class F>
  auto run(F&& f) {
    using result = std::invoke_result_t<F&, database&>;
    if constexpr (std::is_void_v<result>) {
      write w{[&f](database& db) { f(db); }};
      submit(w);
    } else {
      std::optional<result> out;
      write w{[&f, &out](database& db) { out = f(db); }};
      submit(w);
      return std::move(*out);
    }
  }

  /// Runs `f(database&)` on the connection outside any transaction, between
  /// two of them: for what SQLite refuses within one (a WAL checkpoint).
  template <class F>
  void outside_transaction(F&& f) {
    write w{[&f](database& db) { f(db); }};
    w.alone = true;
    submit(w);
  }

  /// How many transactions ran, and how many writes they held: what
  /// the batching achieves under load, for the benchmarks and the tests.
  struct counts {
    std::size_t transactions = 0;
    std::size_t writes = 0;
  };

  counts committed() const;

  /// Writes waiting for a transaction right now, so that a test can hold one
  /// transaction open until the next batch has gathered.
  std::size_t queued() const;

private:
  struct write {
    explicit write(std::function<void(database&)> f) : work(std::move(f)) {}

    std::function<void(database&)> work;
    std::exception_ptr error;
    bool alone = false;
    bool done = false;
  };

  /// Queues `w` and returns once it committed, leading a transaction when
  /// none runs; rethrows its error.
  void submit(write& w);

  /// Runs `batch` in one transaction or, if a write failed, one by one, and
  /// leaves each write's error in it.
  void commit(const std::vector<write*>& batch) noexcept;

  /// Runs the `n` writes at `batch` in one transaction on the connection;
  /// `culprit` is the write that was running when it threw, if any.
  void run_all(write* const* batch, std::size_t n, write*& culprit);

  database& connection();

  opener open_;
  limits limits_;
  std::unique_ptr<database> db_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::deque<write*> queue_;
  bool leading_ = false;
  counts committed_;
};

} // namespace stagehand
