// Tests server/odata/filter_grammar.hpp and sql_emitter.hpp: the `$filter`
// subset, parsed against the operations' columns and written as SQL whose
// text never holds a literal.
#include <boost/test/unit_test.hpp>

#include <string>

#include "server/http/json_response.hpp"
#include "server/odata/filter_grammar.hpp"
#include "server/odata/sql_emitter.hpp"
#include "server/operations/operation_columns.hpp"

using namespace stagehand;

namespace {

sql_fragment sql(const std::string& filter) {
  auto parsed = parse_filter(filter, operation_filter_columns());
  BOOST_REQUIRE_MESSAGE(parsed,
                        "'" << filter << "' was refused: "
                            << (parsed ? "" : error_text(parsed.error())));
  return emit_sql(*parsed, sql_dialect{});
}

std::string refusal(const std::string& filter) {
  auto parsed = parse_filter(filter, operation_filter_columns());
  BOOST_REQUIRE_MESSAGE(!parsed, "'" << filter << "' was accepted");
  return error_text(parsed.error());
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_odata_filter)

BOOST_AUTO_TEST_CASE(each_comparison_binds_its_literal) {
  struct row {
    const char* filter;
    const char* text;
  };
  for (auto [filter, text] : {
         row{"backgroundoperationstatuscode eq 30", "(status = ?1)"},
         row{"backgroundoperationstatecode ne 3", "(state <> ?1)"},
         row{"retrycount gt 1", "(retry_count > ?1)"},
         row{"retrycount ge 1", "(retry_count >= ?1)"},
         row{"retrycount lt -1", "(retry_count < ?1)"},
         row{"retrycount le 1", "(retry_count <= ?1)"},
         row{"name eq 'sample_Echo'", "(name = ?1)"},
       }) {
    auto out = sql(filter);
    BOOST_CHECK_EQUAL(out.text, text);
    BOOST_CHECK_EQUAL(out.params.size(), 1u);
  }
  BOOST_CHECK(sql("retrycount lt -1").params[0] == db_value{std::int64_t{-1}});
  BOOST_CHECK(sql("name eq 'sample_Echo'").params[0]
              == db_value{std::string{"sample_Echo"}});
}

BOOST_AUTO_TEST_CASE(times_are_datetimeoffsets_in_milliseconds) {
  auto out = sql("createdon ge 2026-12-05T10:00:00Z");
  BOOST_CHECK_EQUAL(out.text, "(created_on >= ?1)");
  BOOST_CHECK(out.params[0] == db_value{std::int64_t{1796464800000}});
  auto offset = sql("createdon lt 2026-12-05T11:30:00.25+01:30");
  BOOST_CHECK(offset.params[0] == db_value{std::int64_t{1796464800250}});
  BOOST_CHECK(sql("createdon lt 2026-12-05T10:00Z").params[0]
              == db_value{std::int64_t{1796464800000}});
  // A nullable time: OData's null is a value, never SQL's unknown.
  BOOST_CHECK_EQUAL(sql("endtime gt 2026-12-05T10:00:00Z").text,
                    "(end_time > ?1) IS TRUE");
  BOOST_CHECK_EQUAL(sql("starttime ne 2026-12-05T10:00:00Z").text,
                    "(start_time <> ?1) IS NOT FALSE");
  BOOST_CHECK_EQUAL(sql("endtime eq null").text, "(end_time IS NULL)");
  BOOST_CHECK_EQUAL(sql("endtime ne null").text, "(end_time IS NOT NULL)");
  BOOST_CHECK(sql("endtime eq null").params.empty());
}

BOOST_AUTO_TEST_CASE(errorcode_compares_the_number_of_the_stored_name) {
  const std::string number
    = "(CASE error_code WHEN '' THEN 0 WHEN 'Dialog' THEN 1 WHEN "
      "'ChildSessionTaskTimeout' THEN 2 WHEN 'ChildSessionNodeLost' THEN 3 "
      "WHEN 'BackgroundSessionTimeout' THEN 4 ELSE 99 END)";
  auto out = sql("errorcode eq 2");
  BOOST_CHECK_EQUAL(out.text, "(" + number + " = ?1)");
  BOOST_REQUIRE_EQUAL(out.params.size(), 1u);
  BOOST_CHECK(out.params[0] == db_value{std::int64_t{2}});
  BOOST_CHECK_EQUAL(sql("errorcode ne 0 and errorcode lt 99").text,
                    "((" + number + " <> ?1) AND (" + number + " < ?2))");
  BOOST_CHECK(mentions(refusal("errorcode eq 'Dialog'"), "takes an integer"));
  BOOST_CHECK(mentions(refusal("errorcode eq null"), "never null"));
}

BOOST_AUTO_TEST_CASE(and_binds_tighter_than_or) {
  auto out = sql("retrycount eq 1 or retrycount eq 2 and name eq 'x'");
  BOOST_CHECK_EQUAL(out.text, "((retry_count = ?1) OR ((retry_count = ?2) AND "
                              "(name = ?3)))");
  auto grouped = sql("(retrycount eq 1 or retrycount eq 2) and name eq 'x'");
  BOOST_CHECK_EQUAL(grouped.text,
                    "(((retry_count = ?1) OR (retry_count = ?2)) AND "
                    "(name = ?3))");
  auto chain = sql("retrycount eq 1 and retrycount eq 2 and retrycount eq 3");
  BOOST_CHECK_EQUAL(chain.text,
                    "((retry_count = ?1) AND (retry_count = ?2) AND "
                    "(retry_count = ?3))");
  BOOST_CHECK_EQUAL(sql("not (retrycount eq 1) and not name eq 'x'").text,
                    "((NOT (retry_count = ?1)) AND (NOT (name = ?2)))");
}

BOOST_AUTO_TEST_CASE(contains_searches_texts_and_parameters_literally) {
  auto in = sql("contains(inputparameters,'Wait=3000')");
  BOOST_CHECK(mentions(in.text, "json_each(input_parameters)"));
  BOOST_CHECK(mentions(in.text, "?1"));
  BOOST_CHECK(in.params[0] == db_value{std::string{"Wait=3000"}});
  BOOST_CHECK(mentions(sql("contains(outputparameters, 'x')").text,
                       "json_each(output_parameters)"));
  auto name = sql("contains(name,'50%_off')");
  BOOST_CHECK_EQUAL(name.text, "(instr(name, ?1) > 0)");
  BOOST_CHECK(name.params[0] == db_value{std::string{"50%_off"}});
}

BOOST_AUTO_TEST_CASE(quotes_inside_literals_stay_in_the_values) {
  auto out = sql("name eq 'it''s' or name eq ''''");
  BOOST_CHECK_EQUAL(out.text, "((name = ?1) OR (name = ?2))");
  BOOST_CHECK(out.params[0] == db_value{std::string{"it's"}});
  BOOST_CHECK(out.params[1] == db_value{std::string{"'"}});
  // An injection attempt is one string: the text has no quote at all.
  auto injection = sql("name eq 'x'' or 1=1 --'");
  BOOST_CHECK_EQUAL(injection.text, "(name = ?1)");
  BOOST_CHECK(injection.params[0] == db_value{std::string{"x' or 1=1 --"}});
  BOOST_CHECK_EQUAL(sql("name eq 'a;DROP TABLE operations'").text,
                    "(name = ?1)");
}

BOOST_AUTO_TEST_CASE(what_lies_outside_the_subset_is_refused_by_name) {
  BOOST_CHECK(mentions(refusal("bodyhash eq 'x'"), "no column 'bodyhash'"));
  BOOST_CHECK(mentions(refusal("startswith(name,'a')"),
                       "function 'startswith' is not supported"));
  BOOST_CHECK(
    mentions(refusal("retrycount has 1"), "operator 'has' is not supported"));
  BOOST_CHECK(mentions(refusal("retrycount add 1 eq 2"),
                       "operator 'add' is not supported"));
  BOOST_CHECK(mentions(refusal("name eq 'x' or true"),
                       "literal 'true' is not supported"));
  BOOST_CHECK(
    mentions(refusal("name eq 'x' or 1=1"), "unexpected character '='"));
  BOOST_CHECK(mentions(refusal("name eq 'x' -- "), "unexpected character '-'"));
  BOOST_CHECK(mentions(refusal("name eq 'x"), "no closing quote"));
  BOOST_CHECK(mentions(refusal("name eq x"), "malformed"));
  BOOST_CHECK(mentions(refusal("retrycount eq '1'"), "takes an integer"));
  BOOST_CHECK(
    mentions(refusal("retrycount eq 99999999999999999999"), "malformed"));
  BOOST_CHECK(
    mentions(refusal("createdon gt '2026-12-05T10:00:00Z'"), "DateTimeOffset"));
  BOOST_CHECK(
    mentions(refusal("createdon gt 2026-02-29T10:00:00Z"), "malformed"));
  BOOST_CHECK(
    mentions(refusal("createdon gt 2026-12-05T24:00:00Z"), "malformed"));
  BOOST_CHECK(mentions(refusal("createdon eq null"), "never null"));
  BOOST_CHECK(mentions(refusal("endtime gt null"), "eq or ne"));
  BOOST_CHECK(
    mentions(refusal("inputparameters eq 'x'"), "can only be searched"));
  BOOST_CHECK(
    mentions(refusal("contains(retrycount,'1')"), "text or parameters column"));
  BOOST_CHECK(mentions(refusal("name EQ 'x'"), "expected a comparison"));
  BOOST_CHECK(mentions(refusal("(name eq 'x'"), "expected ')'"));
  BOOST_CHECK(mentions(refusal("name eq 'x')"), "expected 'and', 'or'"));
  BOOST_CHECK(mentions(refusal(""), "expected a column"));
}

BOOST_AUTO_TEST_CASE(nesting_and_length_are_bounded) {
  auto nested = [](std::size_t depth) {
    return std::string(depth, '(') + "retrycount eq 1"
           + std::string(depth, ')');
  };
  BOOST_CHECK(
    parse_filter(nested(max_filter_depth), operation_filter_columns()));
  BOOST_CHECK(
    mentions(refusal(nested(max_filter_depth + 1)), "deeper than 32 levels"));
  std::string nots;
  for (std::size_t i = 0; i <= max_filter_depth; ++i)
    nots += "not ";
  BOOST_CHECK(mentions(refusal(nots + "retrycount eq 1"), "deeper than 32"));
  auto long_text = "name eq '" + std::string(max_filter_length, 'a') + "'";
  BOOST_CHECK(mentions(refusal(long_text), "longer than 2048 characters"));
}

BOOST_AUTO_TEST_SUITE_END()
