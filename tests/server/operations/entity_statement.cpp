// Tests server/operations/entity_statement.hpp: the SQL of an entity set's
// page, with the user's restriction outside the client's filter, and the
// `errorcode` it filters on, run against a real operations table.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "server/odata/filter_grammar.hpp"
#include "server/odata/sql_emitter.hpp"
#include "server/operations/entity_statement.hpp"
#include "server/operations/operation_columns.hpp"
#include "server/operations/error_number.hpp"
#include "server/operations/operation_rows.hpp"
#include "server/operations/operation_store.hpp"
#include "tests/support/temp_data_dir.hpp"

using namespace stagehand;

namespace {

entity_query filtered(const std::string& filter) {
  entity_query q;
  auto parsed = parse_filter(filter, operation_filter_columns());
  BOOST_REQUIRE(parsed);
  q.filter = emit_sql(*parsed, sql_dialect{});
  return q;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_entity_statement)

BOOST_AUTO_TEST_CASE(the_restriction_is_anded_outside_the_filter) {
  auto q = filtered("runas eq 'bob' or retrycount ge 0");
  q.run_as = "alice";
  q.top = 100;
  auto page = page_statement(q, sql_dialect{});
  BOOST_CHECK_EQUAL(page.text,
                    operation_rows::select_from()
                      + "WHERE (((run_as = ?1) OR (retry_count >= ?2))) "
                        "AND run_as = ?3 ORDER BY created_on ASC, seq ASC "
                        "LIMIT ?4");
  BOOST_REQUIRE_EQUAL(page.params.size(), 4u);
  BOOST_CHECK(page.params[2] == db_value{std::string{"alice"}});
  BOOST_CHECK(page.params[3] == db_value{std::int64_t{100}});
  BOOST_CHECK_EQUAL(count_statement(q, sql_dialect{}).text,
                    "SELECT count(*) FROM operations WHERE (((run_as = ?1) OR "
                    "(retry_count >= ?2))) AND run_as = ?3");
}

BOOST_AUTO_TEST_CASE(a_page_starts_after_its_position_in_either_order) {
  entity_query q;
  q.after = entity_query::position{1700, 42};
  BOOST_CHECK_EQUAL(page_statement(q, sql_dialect{}).text,
                    operation_rows::select_from()
                      + "WHERE (created_on, seq) > (?1, ?2) ORDER BY "
                        "created_on ASC, seq ASC LIMIT ?3");
  q.order = entity_query::order_by::end_time;
  q.descending = true;
  BOOST_CHECK_EQUAL(page_statement(q, sql_dialect{}).text,
                    operation_rows::select_from()
                      + "WHERE (COALESCE(end_time, -1), seq) < (?1, ?2) ORDER "
                        "BY COALESCE(end_time, -1) DESC, seq DESC LIMIT ?3");
  operation_record rec;
  rec.seq = 7;
  rec.created_on = 100;
  BOOST_CHECK_EQUAL(q.position_of(rec).key, entity_query::unfinished);
  rec.end_time = 200;
  BOOST_CHECK_EQUAL(q.position_of(rec).key, 200);
  BOOST_CHECK_EQUAL(q.position_of(rec).seq, 7);
  BOOST_CHECK_EQUAL(entity_query{}.position_of(rec).key, 100);
}

BOOST_AUTO_TEST_CASE(
  errorcode_finds_the_rows_whose_error_name_has_that_number) {
  test::temp_data_dir dir;
  auto store = std::move(*operation_store::open(
    (dir.path / "system.db").string(), std::chrono::seconds(1)));
  // One failed row per listed name, and one with a name the table lacks.
  std::vector<std::string> names;
  for (auto& listed : listed_error_numbers())
    names.emplace_back(listed.name);
  names.emplace_back("SomethingElse");
  std::map<std::string, std::string> id_of;
  for (std::size_t i = 0; i < names.size(); ++i) {
    operation_record rec;
    rec.id = "00000000-0000-4000-8000-00000000000" + std::to_string(i);
    rec.name = "op";
    rec.display_name = "Op";
    rec.run_as = "u";
    rec.created_on = 1000;
    rec.ttl_seconds = 10;
    rec.next_attempt_time = 1000;
    store->insert(rec);
    BOOST_REQUIRE(store->claim_next(1000));
    BOOST_REQUIRE(store->mark_started(rec.id, 1000));
    attempt_end end;
    end.why = attempt_end::cause::failed;
    end.error_code = names[i];
    end.error_message = "boom";
    end.now = 1000;
    store->end_attempt(rec.id, end);
    id_of[names[i]] = rec.id;
  }
  auto ids = [&](const std::string& filter) {
    std::set<std::string> out;
    for (auto& rec : store->query(filtered(filter)))
      out.insert(rec.id);
    return out;
  };
  for (auto& name : names) {
    auto number = std::to_string(error_number(name));
    BOOST_CHECK_MESSAGE(
      ids("errorcode eq " + number) == std::set<std::string>{id_of[name]},
      name << " is not the one row with errorcode " << number);
  }
  BOOST_CHECK_EQUAL(ids("errorcode ne 2").size(), names.size() - 1);
  BOOST_CHECK_EQUAL(ids("errorcode ge 3 and errorcode lt 99").size(), 2u);
  BOOST_CHECK(ids("errorcode eq 5").empty());
}

BOOST_AUTO_TEST_SUITE_END()
