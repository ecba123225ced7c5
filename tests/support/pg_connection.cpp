#include "tests/support/pg_connection.hpp"

#include <poll.h>

#include <boost/test/unit_test.hpp>

namespace stagehand::test {

pg_connection::pg_connection(const std::string& url)
  : conn_(PQconnectdb(url.c_str()), &PQfinish) {
  BOOST_REQUIRE_MESSAGE(conn_ != nullptr, "libpq: out of memory");
  BOOST_REQUIRE_MESSAGE(PQstatus(get()) == CONNECTION_OK,
                        "connect to " << url << ": " << PQerrorMessage(get()));
  PQsetNoticeProcessor(
    get(),
    [](void* self, const char* message) {
      static_cast<pg_connection*>(self)->notices_.emplace_back(message);
    },
    this);
  // A test that goes wrong may leave a row locked; the next statement that
  // needs it then fails with the server's lock timeout, not a hung suite.
  exec("SET lock_timeout = " + std::to_string(wait_limit.count()));
}

pg_result pg_connection::checked(PGresult* res, const std::string& sql) {
  pg_result result{res, &PQclear};
  auto status = PQresultStatus(res);
  BOOST_REQUIRE_MESSAGE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK,
                        sql << ": " << PQresStatus(status) << ": "
                            << PQerrorMessage(get()));
  return result;
}

pg_result pg_connection::exec(const std::string& sql) {
  return checked(PQexec(get(), sql.c_str()), sql);
}

pg_result pg_connection::exec(const std::string& sql,
                              const std::string& param) {
  const char* values[] = {param.c_str()};
  return checked(
    PQexecParams(get(), sql.c_str(), 1, nullptr, values, nullptr, nullptr, 0),
    sql);
}

std::string pg_connection::value(const std::string& sql) {
  auto res = exec(sql);
  BOOST_REQUIRE_MESSAGE(PQntuples(res.get()) == 1 && PQnfields(res.get()) == 1,
                        sql << ": " << PQntuples(res.get()) << " rows of "
                            << PQnfields(res.get())
                            << " columns, not one value");
  return PQgetvalue(res.get(), 0, 0);
}

std::string pg_connection::identifier(const std::string& name) {
  char* quoted = PQescapeIdentifier(get(), name.data(), name.size());
  BOOST_REQUIRE_MESSAGE(quoted != nullptr,
                        "quote " << name << ": " << PQerrorMessage(get()));
  std::string result{quoted};
  PQfreemem(quoted);
  return result;
}

pg_notification
pg_connection::wait_notification(const std::string& what,
                                 std::chrono::milliseconds limit) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + limit;
  for (;;) {
    // A notification may already sit in libpq's buffer, read along with an
    // earlier result: ask before waiting on the socket.
    BOOST_REQUIRE_MESSAGE(PQconsumeInput(get()) == 1,
                          what << ": " << PQerrorMessage(get()));
    if (PGnotify* n = PQnotifies(get())) {
      pg_notification got{n->relname, n->extra};
      PQfreemem(n);
      return got;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - clock::now());
    BOOST_REQUIRE_MESSAGE(left.count() > 0, what << ": no notification within "
                                                 << limit.count() << " ms");
    pollfd fd{PQsocket(get()), POLLIN, 0};
    BOOST_REQUIRE_MESSAGE(fd.fd >= 0, what << ": the connection has no socket");
    ::poll(&fd, 1, static_cast<int>(left.count()));
  }
}

} // namespace stagehand::test
