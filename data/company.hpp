#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "core/cancellation_token.hpp"
#include "data/database.hpp"
#include "data/group_commit.hpp"
#include "data/table_catalog.hpp"

namespace stagehand {

class company;

/// A pooled read-only connection on loan to one child session. It gives the
/// connection back, with its transaction rolled back, when it goes away.
class reader_lease {
public:
  reader_lease(std::shared_ptr<company> owner, std::unique_ptr<database> db);

  reader_lease(reader_lease&&) noexcept = default;
  // Assigning over a lease would drop its connection without giving it back.
  reader_lease& operator=(reader_lease&&) = delete;

  ~reader_lease();

  database& db() noexcept {
    return *db_;
  }

private:
  std::shared_ptr<company> owner_;
  std::unique_ptr<database> db_;
};

/// One company: one SQLite file in WAL mode and the pool of read-only
/// connections that its child sessions borrow. The pool size bounds how many
/// child sessions query this company at once; a child waits for a connection
/// only once its codeunit first touches the database, so a queued task holds
/// none.
class company : public std::enable_shared_from_this<company> {
public:
  company(std::string name, std::string path,
          std::shared_ptr<const table_catalog> catalog, std::size_t pool_size,
          caf::timespan busy_timeout,
          synchronous_mode synchronous = synchronous_mode::normal);

  const std::string& name() const noexcept {
    return name_;
  }

  const std::string& path() const noexcept {
    return path_;
  }

  /// A fresh read-write connection for a user or administrator session.
  caf::expected<std::unique_ptr<database>> open_writer() const;

  /// Runs `write` on the company's one long-lived read-write connection for
  /// the runtime's own rows (Session Event), in a transaction shared with
  /// the rows that other sessions write meanwhile (see `group_commit`), and
  /// returns once it committed. A connection or a commit per row cost more
  /// than the row itself.
  /// @throws database_error if the connection cannot be opened, and
  ///         whatever `write` throws; the connection is then opened anew by
  ///         the next call.
  void with_log_writer(const std::function<void(database&)>& write);

  /// Borrows a read-only connection, waiting while all are lent out.
  /// @throws task_cancelled once `token` is cancelled while waiting, so that
  ///         a timed-out task never hangs on the pool.
  reader_lease acquire_reader(cancellation_token& token);

  /// Connections lent out right now.
  std::size_t readers_in_use() const;

  /// Borrowers waiting in `acquire_reader` for a connection right now, so
  /// that a test can tell a blocked borrower from one not yet arrived.
  std::size_t readers_waiting() const;

private:
  friend class reader_lease;

  void give_back(std::unique_ptr<database> db);

  std::string name_;
  std::string path_;
  std::shared_ptr<const table_catalog> catalog_;
  std::size_t pool_size_;
  caf::timespan busy_timeout_;
  synchronous_mode synchronous_;
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<database>> idle_;
  std::size_t lent_ = 0;
  std::size_t waiting_ = 0;
  group_commit log_writer_;
};

} // namespace stagehand
