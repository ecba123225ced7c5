// Tests data/database.hpp, data/company.hpp and
// data/company_directory.hpp on real SQLite files in a temporary
// directory: read-only children, snapshots, writers, companies, the pool.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "services/codeunit_context.hpp"
#include "data/company_directory.hpp"
#include "core/errc.hpp"
#include "tests/support/company_fixture.hpp"
#include "tests/support/deadline.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;

namespace {

struct database_fixture : test::company_fixture {
  void seed(const std::string& id, std::int64_t a) {
    auto db = writer();
    db->query("INSERT INTO PBTData (Id, IntA, IntB, IntC, TextA, TextB) "
              "VALUES (?, ?, 0, 0, 'x', 'y')",
              {id, a});
  }

  static std::string error_of(database& db, const std::string& sql,
                              std::vector<db_value> params = {}) {
    try {
      db.query(sql, params);
    } catch (const database_error& e) {
      return e.what();
    }
    return "no error";
  }

  /// Cancels `token` and joins `thread` when the test leaves, so that a
  /// failed requirement ends the test instead of the whole runner.
  struct cancel_and_join {
    cancellation_token& token;
    std::thread& thread;

    ~cancel_and_join() {
      token.cancel();
      if (thread.joinable())
        thread.join();
    }
  };

  static std::int64_t int_at(database& db, const std::string& sql,
                             std::vector<db_value> params = {}) {
    auto rows = db.query(sql, params);
    BOOST_REQUIRE_EQUAL(rows.size(), 1u);
    return std::get<std::int64_t>(rows[0][0]);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(data_database, database_fixture)

BOOST_AUTO_TEST_CASE(every_company_writer_commits_as_the_policy_says) {
  // The default: in WAL mode, NORMAL; the file itself remembers only WAL.
  BOOST_CHECK(writer()->synchronous() == synchronous_mode::normal);
  BOOST_CHECK_EQUAL(
    std::get<std::string>(writer()->query("PRAGMA journal_mode")[0][0]), "wal");
  auto full
    = dir.directory(4, std::chrono::seconds(10), synchronous_mode::full);
  auto cronus_full = full->open("CRONUS");
  BOOST_REQUIRE(cronus_full);
  BOOST_CHECK((*(*cronus_full)->open_writer())->synchronous()
              == synchronous_mode::full);
  BOOST_CHECK((*full->open_writer("CRONUS"))->synchronous()
              == synchronous_mode::full);
  auto created = full->create("FABRIKAM");
  BOOST_REQUIRE(created);
  BOOST_CHECK((*(*created)->open_writer())->synchronous()
              == synchronous_mode::full);
}

BOOST_AUTO_TEST_CASE(the_log_writer_is_one_connection_kept_until_it_fails) {
  // A setting of the connection tells one connection from the next.
  auto cache_size = [](database& db) {
    return std::get<std::int64_t>(db.query("PRAGMA cache_size")[0][0]);
  };
  cronus->with_log_writer([](database& db) {
    db.query("PRAGMA cache_size=-1234");
  });
  cronus->with_log_writer([&](database& db) {
    BOOST_CHECK_EQUAL(cache_size(db), -1234);
  });
  // A write that fails leaves nothing behind, and the next call works on a
  // connection opened anew.
  BOOST_CHECK_THROW(cronus->with_log_writer([](database& db) {
    db.query("INSERT INTO PBTData (Id) VALUES ('LOST')");
    db.query("SELECT * FROM no_such_table");
  }),
                    database_error);
  cronus->with_log_writer([&](database& db) {
    BOOST_CHECK_NE(cache_size(db), -1234);
    BOOST_CHECK_EQUAL(
      std::get<std::int64_t>(db.query("SELECT count(*) FROM PBTData WHERE Id = "
                                      "'LOST'")[0][0]),
      0);
  });
}

BOOST_AUTO_TEST_CASE(a_child_may_not_insert_modify_or_delete) {
  seed("R1", 5);
  cancellation_token token;
  auto lease = cronus->acquire_reader(token);
  auto& db = lease.db();
  db.begin();
  BOOST_CHECK_EQUAL(
    error_of(db, "INSERT INTO PBTData (Id) VALUES (?)", {std::string{"R2"}}),
    "You don't have the following permissions on TableData "
    "50125: Insert");
  BOOST_CHECK_EQUAL(error_of(db, "UPDATE PBTData SET IntA = ? WHERE Id = ?",
                             {std::int64_t{9}, std::string{"R1"}}),
                    "You don't have the following permissions on TableData "
                    "50125: Modify");
  BOOST_CHECK_EQUAL(
    error_of(db, "DELETE FROM pbtdata WHERE Id = ?", {std::string{"R1"}}),
    "You don't have the following permissions on TableData "
    "50125: Delete");
  BOOST_CHECK_EQUAL(error_of(db, "DELETE FROM Customer"),
                    "You don't have the following permissions on TableData "
                    "18: Delete");
  // Nor may it end its own transaction and so its snapshot.
  BOOST_CHECK_NE(error_of(db, "COMMIT"), "no error");
  BOOST_CHECK_EQUAL(
    int_at(db, "SELECT IntA FROM PBTData WHERE Id = ?", {std::string{"R1"}}),
    5);
}

BOOST_AUTO_TEST_CASE(a_child_keeps_its_snapshot_while_a_writer_commits) {
  seed("R1", 5);
  cancellation_token token;
  auto lease = cronus->acquire_reader(token);
  auto& child = lease.db();
  child.begin();
  BOOST_CHECK_EQUAL(int_at(child, "SELECT IntA FROM PBTData WHERE Id = 'R1'"),
                    5);
  {
    auto w = writer();
    w->begin();
    w->query("UPDATE PBTData SET IntA = 6 WHERE Id = 'R1'");
    w->query("INSERT INTO PBTData (Id, IntA) VALUES ('R2', 7)");
    w->commit();
  }
  BOOST_CHECK_EQUAL(int_at(child, "SELECT IntA FROM PBTData WHERE Id = 'R1'"),
                    5);
  BOOST_CHECK_EQUAL(int_at(child, "SELECT count(*) FROM PBTData"), 1);
  child.rollback();
  // A new transaction sees the commit: the snapshot was the transaction's.
  child.begin();
  BOOST_CHECK_EQUAL(int_at(child, "SELECT IntA FROM PBTData WHERE Id = 'R1'"),
                    6);
}

BOOST_AUTO_TEST_CASE(a_writer_s_error_rolls_its_transaction_back) {
  seed("R1", 5);
  auto w = writer();
  w->begin();
  w->query("UPDATE PBTData SET IntA = 100 WHERE Id = 'R1'");
  // A duplicate primary key fails the second statement.
  BOOST_CHECK_NE(error_of(*w, "INSERT INTO PBTData (Id) VALUES ('R1')"),
                 "no error");
  w->rollback();
  BOOST_CHECK(!w->in_transaction());
  BOOST_CHECK_EQUAL(int_at(*w, "SELECT IntA FROM PBTData WHERE Id = 'R1'"), 5);
}

BOOST_AUTO_TEST_CASE(two_writers_wait_for_each_other_and_lose_no_update) {
  seed("R1", 0);
  constexpr int rounds = 200;
  std::atomic<int> failures{0};
  auto work = [&] {
    auto db = cronus->open_writer();
    if (!db) {
      failures += rounds;
      return;
    }
    for (int i = 0; i < rounds; ++i) {
      try {
        (*db)->begin();
        // Not int_at: Boost.Test checks are not thread-safe.
        auto rows = (*db)->query("SELECT IntA FROM PBTData WHERE Id = 'R1'");
        auto v = std::get<std::int64_t>(rows.at(0).at(0));
        (*db)->query("UPDATE PBTData SET IntA = ? WHERE Id = 'R1'", {v + 1});
        (*db)->commit();
      } catch (const database_error&) {
        (*db)->rollback();
        ++failures;
      }
    }
  };
  std::thread a{work};
  std::thread b{work};
  a.join();
  b.join();
  BOOST_CHECK_EQUAL(failures.load(), 0);
  auto w = writer();
  BOOST_CHECK_EQUAL(int_at(*w, "SELECT IntA FROM PBTData WHERE Id = 'R1'"),
                    2 * rounds);
}

BOOST_AUTO_TEST_CASE(companies_are_isolated) {
  seed("R1", 5);
  auto fabrikam = companies->create("FABRIKAM");
  BOOST_REQUIRE(fabrikam);
  BOOST_CHECK_NE((*fabrikam)->path(), cronus->path());
  cancellation_token token;
  auto lease = (*fabrikam)->acquire_reader(token);
  BOOST_CHECK_EQUAL(int_at(lease.db(), "SELECT count(*) FROM PBTData"), 0);
  auto again = companies->open("CRONUS");
  BOOST_REQUIRE(again);
  BOOST_CHECK_EQUAL(again->get(), cronus.get());
}

BOOST_AUTO_TEST_CASE(an_unknown_company_is_an_error_naming_it_and_its_path) {
  auto result = companies->open("NOSUCH");
  BOOST_REQUIRE(!result);
  BOOST_CHECK(is(result.error(), errc::unknown_company));
  auto text = describe(result.error());
  BOOST_CHECK_NE(text.find("NOSUCH"), std::string::npos);
  BOOST_CHECK_NE(text.find(companies->path_of("NOSUCH")), std::string::npos);
  BOOST_CHECK(!std::filesystem::exists(companies->path_of("NOSUCH")));
  BOOST_CHECK(!companies->open("../CRONUS"));
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_an_error_naming_company_and_path) {
  {
    std::ofstream out{companies->path_of("BROKEN"), std::ios::binary};
    for (int i = 0; i < 4096; ++i)
      out.put(static_cast<char>((i * 7919) % 251));
  }
  auto result = companies->open("BROKEN");
  BOOST_REQUIRE(!result);
  BOOST_CHECK(is(result.error(), errc::company_unreadable));
  auto text = describe(result.error());
  BOOST_CHECK_NE(text.find("BROKEN"), std::string::npos);
  BOOST_CHECK_NE(text.find(companies->path_of("BROKEN")), std::string::npos);
  BOOST_CHECK_NE(text.find("not a database"), std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_pool_bounds_readers_and_a_cancelled_wait_ends) {
  auto small = dir.directory(2);
  auto co = small->open("CRONUS");
  BOOST_REQUIRE(co);
  cancellation_token token;
  auto first = (*co)->acquire_reader(token);
  auto second = (*co)->acquire_reader(token);
  BOOST_CHECK_EQUAL((*co)->readers_in_use(), 2u);
  std::atomic<bool> got_third{false};
  cancellation_token own;
  std::thread waiter{[&] {
    try {
      auto third = (*co)->acquire_reader(own);
      got_third = true;
    } catch (const task_cancelled&) {
      // The test gave up on it, below.
    }
  }};
  cancel_and_join end_waiter{own, waiter};
  // Seen waiting in acquire_reader, not merely not yet arrived: only then
  // does `!got_third` say that the full pool held it back.
  test::require_eventually(
    [&] {
      return (*co)->readers_waiting() == 1;
    },
    "the third borrower waiting for the full pool");
  BOOST_CHECK(!got_third);
  BOOST_CHECK_EQUAL((*co)->readers_in_use(), 2u);
  { auto gone = std::move(first); }
  auto deadline = std::chrono::steady_clock::now() + test::wait_limit;
  while (!got_third && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  own.cancel(); // ends the wait if the returned reader never reached it
  waiter.join();
  BOOST_CHECK_MESSAGE(got_third, "the waiting borrower did not get the "
                                 "returned reader");
  BOOST_CHECK_EQUAL((*co)->readers_waiting(), 0u);
  // Pool full again; a cancelled borrower gives up instead of hanging. The
  // cancel comes once the borrower is known to wait, so that it is the
  // waiting that ends, not a check made before waiting began.
  cancellation_token cancelled;
  std::atomic<bool> gave_up{false};
  std::thread borrower;
  cancel_and_join end_borrower{cancelled, borrower};
  // Declared after the guard, so given back first if the test stops early:
  // a borrower that ignored its cancel then still gets a reader and ends.
  auto third = (*co)->acquire_reader(token);
  borrower = std::thread{[&] {
    try {
      auto fourth = (*co)->acquire_reader(cancelled);
    } catch (const task_cancelled&) {
      gave_up = true;
    }
  }};
  test::require_eventually(
    [&] {
      return (*co)->readers_waiting() == 1;
    },
    "the fourth borrower waiting for the full pool");
  cancelled.cancel();
  test::require_eventually(
    [&] {
      return gave_up.load();
    },
    "the cancelled borrower giving up");
  borrower.join();
  BOOST_CHECK_EQUAL((*co)->readers_waiting(), 0u);
  BOOST_CHECK_EQUAL((*co)->readers_in_use(), 2u);
}

BOOST_AUTO_TEST_CASE(parameters_are_bound_not_spliced) {
  auto w = writer();
  w->query("INSERT INTO Customer (\"No.\", Name) VALUES (?, ?)",
           {std::string{"10000"}, std::string{"x'); DROP TABLE Customer; --"}});
  auto rows = w->query("SELECT Name FROM Customer WHERE \"No.\" = ?",
                       {std::string{"10000"}});
  BOOST_REQUIRE_EQUAL(rows.size(), 1u);
  BOOST_CHECK_EQUAL(std::get<std::string>(rows[0][0]),
                    "x'); DROP TABLE Customer; --");
  BOOST_CHECK_NE(error_of(*w, "SELECT ?", {}), "no error");
}

BOOST_AUTO_TEST_SUITE_END()
