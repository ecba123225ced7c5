// Tests data/group_commit.hpp on a real SQLite file: writes that arrive
// while a transaction runs share the next one, within its bound, each
// caller returns after its own commit, and a faulty write fails alone.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "data/group_commit.hpp"
#include "tests/support/company_fixture.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;

namespace {

struct group_commit_fixture : test::company_fixture {
  /// Rows with `id`, read on a connection of its own: what another reader
  /// sees once the write committed.
  std::int64_t rows_with(const std::string& id) {
    return std::get<std::int64_t>(
      writer()->query("SELECT count(*) FROM PBTData WHERE Id = ?", {id})[0][0]);
  }

  static void insert(database& db, const std::string& id) {
    db.query("INSERT INTO PBTData (Id, IntA, IntB, IntC, TextA, TextB) "
             "VALUES (?, 0, 0, 0, 'x', 'y')",
             {id});
  }

  /// Holds one transaction open on its own thread until `followers` writes
  /// queued behind it, then lets them all run: what a busy server's writers
  /// look like to the writer.
  void gather(group_commit& gc, std::size_t followers,
              const std::function<void(std::size_t)>& follower) {
    std::promise<void> began;
    // Checked on the test's thread: a failed requirement thrown from the
    // leader's write would end the whole runner.
    auto gathered = false;
    std::thread leader{[&] {
      gc.run([&](database& db) {
        insert(db, "LEADER");
        began.set_value();
        auto deadline = std::chrono::steady_clock::now() + test::wait_limit;
        while (gc.queued() < followers
               && std::chrono::steady_clock::now() < deadline)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        gathered = gc.queued() == followers;
      });
    }};
    // The leader first, so that the followers find its transaction open.
    test::require_ready(began.get_future(), "the leader began");
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < followers; ++i)
      threads.emplace_back([&, i] { follower(i); });
    leader.join();
    for (auto& t : threads)
      t.join();
    BOOST_REQUIRE_MESSAGE(gathered, "every follower queued behind the open "
                                    "transaction within the wait limit");
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(group_commit_tests, group_commit_fixture)

BOOST_AUTO_TEST_CASE(writes_that_wait_share_one_transaction) {
  group_commit gc{writer(), group_commit::limits{}};
  gather(gc, 9, [&](std::size_t i) {
    gc.run([i](database& db) { insert(db, "F" + std::to_string(i)); });
  });
  // The leader's transaction, then one for the nine that waited.
  BOOST_CHECK_EQUAL(gc.committed().transactions, 2u);
  BOOST_CHECK_EQUAL(gc.committed().writes, 10u);
  for (std::size_t i = 0; i < 9; ++i)
    BOOST_CHECK_EQUAL(rows_with("F" + std::to_string(i)), 1);
}

BOOST_AUTO_TEST_CASE(a_transaction_holds_at_most_max_batch_writes) {
  group_commit::limits lim;
  lim.max_batch = 4;
  group_commit gc{writer(), lim};
  gather(gc, 9, [&](std::size_t i) {
    gc.run([i](database& db) { insert(db, "F" + std::to_string(i)); });
  });
  // 1, then 4 + 4 + 1.
  BOOST_CHECK_EQUAL(gc.committed().transactions, 4u);
  BOOST_CHECK_EQUAL(gc.committed().writes, 10u);
}

BOOST_AUTO_TEST_CASE(a_caller_returns_after_the_commit_that_holds_its_write) {
  group_commit gc{writer(), group_commit::limits{}};
  std::vector<std::int64_t> seen(4, -1);
  gather(gc, 4, [&](std::size_t i) {
    auto id = "F" + std::to_string(i);
    gc.run([&](database& db) { insert(db, id); });
    seen[i] = rows_with(id);
  });
  for (auto n : seen)
    BOOST_CHECK_EQUAL(n, 1);
}

BOOST_AUTO_TEST_CASE(a_faulty_write_fails_alone) {
  group_commit gc{writer(), group_commit::limits{}};
  std::vector<std::string> errors(5);
  gather(gc, 5, [&](std::size_t i) {
    try {
      gc.run([i](database& db) {
        insert(db, "F" + std::to_string(i));
        if (i == 2)
          db.query("SELECT * FROM no_such_table");
      });
    } catch (const database_error& e) {
      errors[i] = e.what();
    }
  });
  for (std::size_t i = 0; i < 5; ++i) {
    auto id = "F" + std::to_string(i);
    BOOST_TEST_CONTEXT("write " << i) {
      BOOST_CHECK_EQUAL(rows_with(id), i == 2 ? 0 : 1);
      BOOST_CHECK_EQUAL(errors[i].find("no_such_table") != std::string::npos,
                        i == 2);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_value_comes_back_to_its_own_caller) {
  group_commit gc{writer(), group_commit::limits{}};
  std::vector<std::size_t> got(6, 0);
  gather(gc, 6, [&](std::size_t i) {
    got[i] = gc.run([i](database& db) {
      insert(db, "F" + std::to_string(i));
      return i * 10;
    });
  });
  for (std::size_t i = 0; i < 6; ++i)
    BOOST_CHECK_EQUAL(got[i], i * 10);
}

BOOST_AUTO_TEST_CASE(a_checkpoint_runs_outside_any_transaction) {
  group_commit gc{writer(), group_commit::limits{}};
  gc.run([](database& db) { insert(db, "A"); });
  auto inside = true;
  gc.outside_transaction([&](database& db) {
    inside = db.in_transaction();
    db.query("PRAGMA wal_checkpoint(TRUNCATE)");
  });
  BOOST_CHECK(!inside);
  BOOST_CHECK_EQUAL(gc.committed().transactions, 1u);
}

BOOST_AUTO_TEST_SUITE_END()
