// Tests the PBTData table of data/table_catalog.cpp on real SQLite files:
// its Id is a Code[10] key, stored trimmed and upper-cased as AL stores a
// Code, and a company file from before, keyed by INTEGER, is rebuilt with
// text ids when it opens, or refused, unchanged, if an id cannot be a code.
#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "data/company_directory.hpp"
#include "core/errc.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;

namespace {

/// The layout every company file had before Id became a Code[10].
const char* integer_layout
  = "CREATE TABLE \"PBTData\" (\"Id\" INTEGER PRIMARY KEY, "
    "\"IntA\" INTEGER NOT NULL DEFAULT 0, \"IntB\" INTEGER NOT NULL DEFAULT 0, "
    "\"IntC\" INTEGER NOT NULL DEFAULT 0, \"TextA\" TEXT NOT NULL DEFAULT '', "
    "\"TextB\" TEXT NOT NULL DEFAULT '')";

struct pbt_data_fixture {
  test::temp_data_dir dir;
  std::shared_ptr<company_directory> companies = dir.directory();

  /// Writes company `name` as an older Stagehand did: the integer layout,
  /// with `rows`, through a connection that knows no tables.
  void write_old_company(const std::string& name,
                         const std::vector<std::string>& rows) {
    auto db = database::open(companies->path_of(name), access_mode::read_write,
                             std::make_shared<const table_catalog>(),
                             std::chrono::seconds(10), true);
    BOOST_REQUIRE(db);
    (*db)->execute_script(integer_layout);
    for (auto& row : rows)
      (*db)->execute_script("INSERT INTO PBTData VALUES (" + row + ")");
  }

  std::unique_ptr<database> writer(const std::string& name) {
    auto co = companies->open(name);
    if (!co)
      BOOST_FAIL(describe(co.error()));
    auto db = (*co)->open_writer();
    BOOST_REQUIRE(db);
    return std::move(*db);
  }

  static std::string error_of(database& db, const std::string& sql) {
    try {
      db.query(sql);
    } catch (const database_error& e) {
      return e.what();
    }
    return "no error";
  }
};

using rows = std::vector<db_row>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(data_pbt_data, pbt_data_fixture)

BOOST_AUTO_TEST_CASE(an_id_is_stored_trimmed_and_upper_cased) {
  BOOST_REQUIRE(companies->create("CRONUS"));
  auto db = writer("CRONUS");
  db->query("INSERT INTO PBTData (Id) VALUES ('r1'), (' x2 '), ('ABCDEFGHIJ')");
  db->query("UPDATE PBTData SET Id = 'r3' WHERE Id = 'X2'");
  BOOST_CHECK((db->query("SELECT Id FROM PBTData ORDER BY Id")
               == rows{{std::string{"ABCDEFGHIJ"}},
                       {std::string{"R1"}},
                       {std::string{"R3"}}}));
  // `r1` is `R1` once stored, so it is a duplicate key.
  BOOST_CHECK_NE(error_of(*db, "INSERT INTO PBTData (Id) VALUES ('r1')")
                   .find("UNIQUE constraint failed"),
                 std::string::npos);
  BOOST_CHECK_NE(
    error_of(*db, "INSERT INTO PBTData (Id) VALUES ('ABCDEFGHIJK')")
      .find("CHECK constraint failed"),
    std::string::npos);
  BOOST_CHECK_NE(error_of(*db, "INSERT INTO PBTData (Id) VALUES (NULL)"),
                 "no error");
}

BOOST_AUTO_TEST_CASE(an_integer_keyed_table_becomes_code_keyed_at_open) {
  write_old_company("OLD", {"7, 1, 2, 39, 'foo', 'bar'", "-12, 0, 0, 0, '', ''",
                            "1234567890, 5, 0, 0, 'x', 'y'"});
  auto db = writer("OLD");
  BOOST_CHECK((db->query("SELECT type FROM pragma_table_info('PBTData') "
                         "WHERE name = 'Id'")
               == rows{{std::string{"TEXT"}}}));
  BOOST_CHECK((db->query("SELECT Id, typeof(Id), IntA + IntB + IntC, "
                         "TextA || '-' || TextB FROM PBTData ORDER BY Id")
               == rows{{std::string{"-12"}, std::string{"text"},
                        std::int64_t{0}, std::string{"-"}},
                       {std::string{"1234567890"}, std::string{"text"},
                        std::int64_t{5}, std::string{"x-y"}},
                       {std::string{"7"}, std::string{"text"}, std::int64_t{42},
                        std::string{"foo-bar"}}}));
  // The rebuilt table normalises its keys like a new one.
  db->query("INSERT INTO PBTData (Id) VALUES ('r1')");
  BOOST_CHECK((db->query("SELECT count(*) FROM PBTData WHERE Id = 'R1'")
               == rows{{std::int64_t{1}}}));
  // Only PBTData and its triggers remain: the old table was dropped.
  BOOST_CHECK((db->query("SELECT count(*) FROM sqlite_master "
                         "WHERE name LIKE 'PBTData integer%'")
               == rows{{std::int64_t{0}}}));
}

BOOST_AUTO_TEST_CASE(an_id_too_long_for_a_code_refuses_the_company_unchanged) {
  write_old_company("OLD",
                    {"7, 1, 2, 3, 'a', 'b'", "12345678901, 0, 0, 0, '', ''"});
  auto co = companies->open("OLD");
  BOOST_REQUIRE(!co);
  BOOST_CHECK(is(co.error(), errc::company_unreadable));
  auto text = describe(co.error());
  BOOST_CHECK_MESSAGE(text.find("PBTData has 1 integer Id(s) longer than the "
                                "10 characters of its Code[10] key")
                        != std::string::npos,
                      text);
  auto db = database::open(companies->path_of("OLD"), access_mode::read_write,
                           std::make_shared<const table_catalog>(),
                           std::chrono::seconds(10));
  BOOST_REQUIRE(db);
  BOOST_CHECK(
    ((*db)->query("SELECT typeof(Id), count(*) FROM PBTData GROUP BY 1")
     == rows{{std::string{"integer"}, std::int64_t{2}}}));
}

BOOST_AUTO_TEST_SUITE_END()
