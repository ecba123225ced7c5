// Tests data/wal_checkpointer.hpp on a real SQLite file: with the automatic
// checkpoint off, what writers commit reaches the database file only through
// the checkpointer's thread.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <filesystem>

#include "data/wal_checkpointer.hpp"
#include "tests/support/company_fixture.hpp"
#include "tests/support/deadline.hpp"

using namespace stagehand;

namespace {

struct wal_checkpointer_fixture : test::company_fixture {
  std::unique_ptr<database> loader = writer();

  wal_checkpointer_fixture() {
    loader->query("PRAGMA wal_autocheckpoint=0");
    loader->begin();
    for (int i = 0; i < 2000; ++i)
      loader->query("INSERT INTO PBTData (Id, IntA, IntB, IntC, TextA, TextB) "
                    "VALUES (?, 0, 0, 0, ?, 'y')",
                    {"R" + std::to_string(i), std::string(400, 'x')});
    loader->commit();
  }

  std::uintmax_t file_size() {
    return std::filesystem::file_size(cronus->path());
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(wal_checkpointer_tests, wal_checkpointer_fixture)

BOOST_AUTO_TEST_CASE(commits_reach_the_file_through_the_checkpointer) {
  // About 1 MB committed, all of it still in the WAL.
  auto before = file_size();
  BOOST_REQUIRE_LT(before, 200'000u);
  std::atomic<int> caught_up{0};
  auto cp = wal_checkpointer::start(
    cronus->path(), std::chrono::milliseconds(5), std::chrono::seconds(5),
    synchronous_mode::normal, [&] { ++caught_up; });
  BOOST_REQUIRE(cp);
  test::require_eventually([&] { return (*cp)->checkpoints() > 0; },
                           "a checkpoint ran");
  BOOST_CHECK_GT(file_size(), 800'000u);
  // The writer's turn follows each checkpoint.
  BOOST_CHECK_GE(caught_up.load(), 1);
}

BOOST_AUTO_TEST_CASE(a_checkpointer_of_a_missing_file_is_refused) {
  auto cp = wal_checkpointer::start((dir.path / "nowhere.db").string(),
                                    std::chrono::milliseconds(5),
                                    std::chrono::seconds(5),
                                    synchronous_mode::normal);
  BOOST_CHECK(!cp);
}

BOOST_AUTO_TEST_SUITE_END()
