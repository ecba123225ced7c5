// Tests server/api/listing_query.hpp: the listing's query string, read
// strictly, with numbers range-checked before any narrowing.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "server/http/json_response.hpp"
#include "server/api/listing_query.hpp"
#include "server/api/operation_json.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using nlohmann::json;

namespace {

std::string refusal(const std::string& text) {
  auto parsed = listing_query::parse(text);
  BOOST_REQUIRE_MESSAGE(!parsed, "'" << text << "' was accepted");
  return error_text(parsed.error());
}

const std::string status_text
  = "'status' must be a status code: 0, 20, 22, 30, 31 or 32.";
const std::string top_text = "'top' must be a number from 1 to 1000.";

} // namespace

BOOST_AUTO_TEST_SUITE(server_listing_query)

BOOST_AUTO_TEST_CASE(filters_and_defaults) {
  auto none = listing_query::parse("");
  BOOST_REQUIRE(none);
  BOOST_CHECK_EQUAL(none->query.top, listing_query::default_top);
  BOOST_CHECK(!none->query.status);
  auto some = listing_query::parse("status=30&name=a+b%21&top=1000&after=7");
  BOOST_REQUIRE(some);
  BOOST_CHECK(some->query.status == operation_status::succeeded);
  BOOST_CHECK_EQUAL(*some->query.name, "a b!");
  BOOST_CHECK_EQUAL(some->query.top, 1000u);
  BOOST_CHECK_EQUAL(some->query.after, 7);
  BOOST_CHECK_EQUAL(some->next_params, "status=30&name=a%20b%21&top=1000&");
  auto biggest = listing_query::parse("after=9223372036854775807");
  BOOST_REQUIRE(biggest);
  BOOST_CHECK_EQUAL(biggest->query.after, 9223372036854775807);
}

BOOST_AUTO_TEST_CASE(out_of_range_numbers_are_refused_not_wrapped) {
  // 4294967326 = 2^32 + 30: an int cast would read it as 30 (Succeeded).
  BOOST_CHECK_EQUAL(refusal("status=4294967326"), status_text);
  BOOST_CHECK_EQUAL(refusal("status=18446744073709551646"), status_text);
  BOOST_CHECK_EQUAL(refusal("status=5"), status_text);
  BOOST_CHECK_EQUAL(refusal("status=-30"), status_text);
  BOOST_CHECK_EQUAL(refusal("status="), status_text);
  // 2^32 + 1 and 2^64 + 1 would wrap to 1 in a 32- or 64-bit count.
  BOOST_CHECK_EQUAL(refusal("top=4294967297"), top_text);
  BOOST_CHECK_EQUAL(refusal("top=18446744073709551617"), top_text);
  BOOST_CHECK_EQUAL(refusal("top=0"), top_text);
  BOOST_CHECK_EQUAL(refusal("top=1001"), top_text);
  BOOST_CHECK_EQUAL(refusal("after=9223372036854775808"),
                    "'after' must be a cursor from 'next'.");
  BOOST_CHECK_EQUAL(refusal("colour=red"), "Unknown query parameter 'colour'.");
  BOOST_CHECK_EQUAL(refusal("name=%zz"),
                    "The query string is not validly encoded.");
}

// -- over HTTP ---------------------------------------------------------------

BOOST_FIXTURE_TEST_CASE(a_wrapping_status_answers_400_over_http,
                        server_fixture) {
  start();
  auto c = client();
  c.wait_terminal(c.submit("sample_Echo", "{}"));
  BOOST_CHECK_EQUAL(
    c.get("/api/backgroundoperations?status=30").json().at("value").size(), 1u);
  auto res = c.get("/api/backgroundoperations?status=4294967326");
  BOOST_CHECK_EQUAL(res.status, 400u);
  BOOST_CHECK_EQUAL(res.json().at("error").at("message"), status_text);
  auto top = c.get("/api/backgroundoperations?top=4294967297");
  BOOST_CHECK_EQUAL(top.status, 400u);
  BOOST_CHECK_EQUAL(top.json().at("error").at("message"), top_text);
}

BOOST_FIXTURE_TEST_CASE(listing_pages_with_a_cursor_and_filters,
                        server_fixture) {
  start();
  auto c = client();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(
      c.submit("sample_Echo", R"({"Number": )" + std::to_string(i) + "}"));
  ids.push_back(c.submit("sample_Wait", R"({"Wait": 0})"));
  for (auto& id : ids)
    c.wait_terminal(id);
  std::vector<std::string> seen;
  std::string target = "/api/backgroundoperations?name=sample_Echo&top=2";
  for (int pages = 0; pages < 10; ++pages) {
    auto body = c.get(target).json();
    for (auto& row : body.at("value"))
      seen.push_back(row.at("backgroundoperationid"));
    if (body.at("next").is_null())
      break;
    auto link = body.at("nextLink").get<std::string>();
    BOOST_REQUIRE_EQUAL(link.rfind(server->base_url(), 0), 0u);
    target = link.substr(server->base_url().size());
  }
  BOOST_CHECK(seen == std::vector<std::string>(ids.begin(), ids.begin() + 5));
  auto one = c.get("/api/backgroundoperations?status=30&name=sample_Wait")
               .json()
               .at("value");
  BOOST_REQUIRE_EQUAL(one.size(), 1u);
  auto& row = one[0];
  // The article's columns, the error's name and the poll location; none of
  // the server's bookkeeping (callback URL, idempotency key, body hash,
  // cancel request, next attempt, delivery failure, notified).
  std::set<std::string> columns;
  for (auto& [key, value] : row.items())
    columns.insert(key);
  std::set<std::string> expected(entity_columns().begin(),
                                 entity_columns().end());
  expected.insert({"errorname", "location"});
  BOOST_CHECK(columns == expected);
  for (auto* internal :
       {"callbackurl", "idempotencykey", "bodyhash", "cancelrequested",
        "nextattempttime", "deliveryfailure", "notified", "seq"})
    BOOST_CHECK_MESSAGE(!row.contains(internal), internal << " is listed");
  BOOST_CHECK_EQUAL(row.at("inputparameters"),
                    (json::array({{{"Key", "Wait"}, {"Value", "0"}}})));
  BOOST_CHECK_EQUAL(row.at("ttlinseconds"), 7776000);
  check_error(c.get("/api/backgroundoperations?top=0"), 400);
  check_error(c.get("/api/backgroundoperations?status=5"), 400);
  check_error(c.get("/api/backgroundoperations?after=x"), 400);
  check_error(c.get("/api/backgroundoperations?colour=red"), 400);
}

BOOST_AUTO_TEST_SUITE_END()
