// Tests server/http/json_body.hpp: the nesting limit is checked before any DOM
// is built, for submit bodies and webhook bodies alike.
#include <boost/test/unit_test.hpp>

#include <string>

#include "server/http/json_body.hpp"
#include "server/http/json_response.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;

namespace {

std::string nested(std::size_t depth, const std::string& inner = "1") {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

const std::string too_deep_text
  = "The request body nests arrays and objects deeper than 64 levels.";

} // namespace

BOOST_AUTO_TEST_SUITE(server_json_body)

BOOST_AUTO_TEST_CASE(depth_counts_brackets_outside_strings) {
  BOOST_CHECK_EQUAL(json_depth("1", 64), 0u);
  BOOST_CHECK_EQUAL(json_depth(R"({"a": [1, {"b": []}]})", 64), 4u);
  BOOST_CHECK_EQUAL(json_depth(R"({"a": "[[[[{{{{"})", 64), 1u);
  BOOST_CHECK_EQUAL(json_depth(R"(["\"[[[", "\\", [2]])", 64), 2u);
  // Counting stops past the limit.
  BOOST_CHECK_EQUAL(json_depth(nested(100000), 64), 65u);
}

BOOST_AUTO_TEST_CASE(the_limit_is_inclusive_and_checked_before_parsing) {
  auto at_limit = parse_json_body(nested(max_json_depth));
  BOOST_REQUIRE(at_limit);
  BOOST_CHECK(at_limit->is_array());
  auto over = parse_json_body(nested(max_json_depth + 1));
  BOOST_REQUIRE(!over);
  BOOST_CHECK_EQUAL(error_text(over.error()), too_deep_text);
  // Unbalanced, so no parser could build it; the depth is refused first.
  auto deep = parse_json_body(std::string(100000, '['));
  BOOST_REQUIRE(!deep);
  BOOST_CHECK_EQUAL(error_text(deep.error()), too_deep_text);
  auto broken = parse_json_body("{\"a\": ");
  BOOST_REQUIRE(!broken);
  BOOST_CHECK_EQUAL(error_text(broken.error()),
                    "The request body is not valid JSON.");
  auto blank = parse_json_body(" \r\n");
  BOOST_REQUIRE(blank);
  BOOST_CHECK(blank->is_object() && blank->empty());
}

BOOST_FIXTURE_TEST_CASE(deep_submit_and_webhook_bodies_answer_400,
                        server_fixture) {
  start();
  auto c = client();
  auto body = R"({"Text": )" + nested(100000) + "}";
  auto res
    = c.post("/api/data/v9.2/sample_Echo", body, {{"Prefer", "respond-async"}});
  BOOST_CHECK_EQUAL(res.status, 400u);
  BOOST_CHECK_EQUAL(res.json().at("error").at("message"), too_deep_text);
  auto hook = client(admin_key).post(
    "/api/webhooks", R"({"event": "OnBackgroundOperationComplete", "x": )"
                       + nested(100000) + "}");
  BOOST_CHECK_EQUAL(hook.status, 400u);
  BOOST_CHECK_EQUAL(hook.json().at("error").at("message"), too_deep_text);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
  BOOST_CHECK(
    server->store().webhooks("OnBackgroundOperationComplete").empty());
  BOOST_CHECK_EQUAL(c.get("/healthz").status, 200u);
}

BOOST_AUTO_TEST_SUITE_END()
