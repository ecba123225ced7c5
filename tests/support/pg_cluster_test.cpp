// The throwaway PostgreSQL server of the tests (support/pg_cluster), and the
// two things issue 27's queue will build on, checked on that real server:
// `FOR UPDATE SKIP LOCKED` passes over a row another connection holds, and a
// NOTIFY reaches a connection that LISTENs.
#include <boost/test/unit_test.hpp>

#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>

#include <libpq-fe.h>

#include "tests/support/pg_cluster.hpp"
#include "tests/support/pg_connection.hpp"

using namespace stagehand::test;

namespace {

/// The next claimable job for a connection inside a transaction, as issue
/// 27's workers will claim: the oldest row nobody else holds, locked.
const std::string claim = "SELECT id FROM jobs WHERE state = 'queued' "
                          "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED";

void make_jobs(pg_connection& db, int n) {
  db.exec("CREATE TABLE jobs (id bigserial PRIMARY KEY, "
          "state text NOT NULL DEFAULT 'queued')");
  for (int i = 1; i <= n; ++i)
    BOOST_TEST(db.value("INSERT INTO jobs DEFAULT VALUES RETURNING id")
               == std::to_string(i));
}

} // namespace

BOOST_AUTO_TEST_SUITE(support_pg_cluster)

BOOST_AUTO_TEST_CASE(starts_a_server_that_answers_sql_on_loopback) {
  pg_cluster pg;
  BOOST_TEST(pg.url()
             == "postgresql://stagehand@127.0.0.1:" + std::to_string(pg.port())
                  + "/postgres");
  BOOST_TEST(pg.port() != 5432); // never the package's default cluster
  pg_connection db{pg.url()};
  BOOST_TEST(db.value("SELECT current_user") == "stagehand");
  BOOST_TEST(db.value("SHOW listen_addresses") == "127.0.0.1");
  BOOST_TEST(db.value("SHOW fsync") == "off");
  BOOST_TEST(db.value("SHOW server_encoding") == "UTF8");
  BOOST_TEST(db.value("SELECT current_setting('server_version_num')::int / "
                      "10000")
             == "15");
  make_jobs(db, 3);
  auto other = pg.create_database("company_one");
  BOOST_TEST(other == pg.url("company_one"));
  pg_connection company{other};
  BOOST_TEST(company.value("SELECT current_database()") == "company_one");
  // Its own catalog: the first database's table is not there.
  BOOST_TEST(company.value("SELECT to_regclass('jobs') IS NULL") == "t");
}

BOOST_AUTO_TEST_CASE(skip_locked_passes_over_a_row_another_connection_holds) {
  pg_cluster pg;
  pg_connection a{pg.url()};
  pg_connection b{pg.url()};
  make_jobs(a, 2);

  a.exec("BEGIN");
  BOOST_TEST(a.value(claim) == "1");
  b.exec("BEGIN");
  BOOST_TEST(b.value(claim) == "2"); // not 1, and without waiting for a
  // Nothing is left for a third claimer, and it does not block either.
  pg_connection c{pg.url()};
  c.exec("BEGIN");
  BOOST_TEST(PQntuples(c.exec(claim).get()) == 0);
  c.exec("ROLLBACK");

  // The row is really locked: without SKIP LOCKED, NOWAIT is refused with
  // lock_not_available rather than handed row 1.
  PGresult* refused = PQexec(c.get(), "SELECT id FROM jobs WHERE id = 1 "
                                      "FOR UPDATE NOWAIT");
  BOOST_TEST(PQresultStatus(refused) == PGRES_FATAL_ERROR);
  const char* state = PQresultErrorField(refused, PG_DIAG_SQLSTATE);
  BOOST_TEST(std::string{state ? state : ""} == "55P03");
  PQclear(refused);

  // A's claim ends (its update commits, so row 1 is no longer queued);
  // with B still holding 2, a new claimer finds neither row.
  a.exec("UPDATE jobs SET state = 'running' WHERE id = 1");
  a.exec("COMMIT");
  c.exec("BEGIN");
  BOOST_TEST(PQntuples(c.exec(claim).get()) == 0);
  c.exec("ROLLBACK");
  // B gives 2 back (rolls back); now it is claimable again.
  b.exec("ROLLBACK");
  c.exec("BEGIN");
  BOOST_TEST(c.value(claim) == "2");
  c.exec("COMMIT");
}

BOOST_AUTO_TEST_CASE(a_notify_reaches_the_connection_that_listens) {
  pg_cluster pg;
  pg_connection listener{pg.url()};
  pg_connection sender{pg.url()};
  listener.exec("LISTEN jobs_ready");
  sender.exec("SELECT pg_notify('jobs_ready', $1)", "op-42");
  auto n = listener.wait_notification("the NOTIFY of op-42");
  BOOST_TEST(n.channel == "jobs_ready");
  BOOST_TEST(n.payload == "op-42");
  // Delivered once: a second one is the next NOTIFY, not a repeat.
  sender.exec("NOTIFY jobs_ready, 'op-43'");
  BOOST_TEST(listener.wait_notification("the NOTIFY of op-43").payload
             == "op-43");
}

BOOST_AUTO_TEST_CASE(the_server_and_its_dir_are_gone_after_the_object) {
  auto pg = std::make_unique<pg_cluster>();
  auto url = pg->url();
  std::filesystem::path data_dir = pg->data_dir();
  pid_t postmaster = 0;
  std::ifstream{data_dir / "postmaster.pid"} >> postmaster;
  BOOST_REQUIRE(postmaster > 0);
  BOOST_REQUIRE(::kill(postmaster, 0) == 0);
  // A connection still open does not hold the immediate shutdown up.
  pg_connection open{url};
  open.exec("SELECT 1");
  pg.reset();

  errno = 0;
  BOOST_TEST((::kill(postmaster, 0) == -1 && errno == ESRCH));
  BOOST_TEST(!std::filesystem::exists(data_dir.parent_path()));
  PGresult* late = PQexec(open.get(), "SELECT 1");
  BOOST_TEST(PQresultStatus(late) == PGRES_FATAL_ERROR);
  PQclear(late);
  PGconn* conn = PQconnectdb(url.c_str());
  BOOST_TEST(PQstatus(conn) == CONNECTION_BAD);
  std::string error = PQerrorMessage(conn);
  BOOST_TEST(error.find("Connection refused") != std::string::npos, error);
  PQfinish(conn);
}

BOOST_AUTO_TEST_SUITE_END()
