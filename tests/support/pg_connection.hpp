#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <libpq-fe.h>

#include "tests/support/deadline.hpp"

namespace stagehand::test {

/// A query's result; PQclear frees it.
using pg_result = std::unique_ptr<PGresult, decltype(&PQclear)>;

/// One NOTIFY as a listening connection received it.
struct pg_notification {
  std::string channel;
  std::string payload;
};

/// A test's libpq connection to the server of a `pg_cluster`: every call
/// fails the test with the server's own error text, so that a test reads as
/// its SQL. Test code only; the product's backend will keep errors as values.
class pg_connection {
public:
  /// Connects to `url` (a `postgresql://` URL); fails the test if it cannot.
  /// A statement that waits for a lock fails after the test's wait limit.
  explicit pg_connection(const std::string& url);

  pg_connection(const pg_connection&) = delete;
  pg_connection& operator=(const pg_connection&) = delete;

  PGconn* get() const {
    return conn_.get();
  }

  /// Runs `sql` (one or more statements, no parameters) and fails the test
  /// unless it succeeds; returns the last statement's result.
  pg_result exec(const std::string& sql);

  /// Runs `sql` with `$1` bound to `param` as text.
  pg_result exec(const std::string& sql, const std::string& param);

  /// The single value of a query that returns one row of one column.
  std::string value(const std::string& sql);

  /// `name` quoted as an SQL identifier.
  std::string identifier(const std::string& name);

  /// Waits on the connection's socket for a notification (after LISTEN),
  /// within `limit`; fails the test naming `what` if none comes.
  pg_notification wait_notification(const std::string& what,
                                    std::chrono::milliseconds limit
                                    = wait_limit);

  /// The notices and warnings the server sent, in order: kept for the test
  /// instead of printed on standard error.
  const std::vector<std::string>& notices() const {
    return notices_;
  }

private:
  /// The result, after the test failed unless its status is `ok` or
  /// `PGRES_TUPLES_OK`.
  pg_result checked(PGresult* res, const std::string& sql);

  /// Freed also when the constructor fails: PQconnectdb returns a
  /// connection even when it cannot connect.
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn_;
  std::vector<std::string> notices_;
};

} // namespace stagehand::test
