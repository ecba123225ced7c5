// Tests server/operations/entity_statement.hpp: the SQL of an entity set's
// page, with the user's restriction outside the client's filter.
#include <boost/test/unit_test.hpp>

#include <string>

#include "server/odata/filter_grammar.hpp"
#include "server/odata/sql_emitter.hpp"
#include "server/operations/entity_statement.hpp"
#include "server/operations/operation_columns.hpp"
#include "server/operations/operation_rows.hpp"

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

BOOST_AUTO_TEST_SUITE_END()
