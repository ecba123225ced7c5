// Tests server/api/function_call.hpp: OData's function-call syntax read into
// the inputs an action's body would carry, and every malformed call refused
// with a message that says where.
#include <boost/test/unit_test.hpp>

#include "server/api/function_call.hpp"
#include "server/http/json_response.hpp"

using namespace stagehand;
using nlohmann::json;

namespace {

json inputs_of(const std::string& segment, const std::string& query = "") {
  auto call = function_call::parse(segment, query);
  if (!call)
    BOOST_FAIL(segment << ": " << error_text(call.error()));
  return call->inputs;
}

std::string refusal(const std::string& segment,
                    const std::string& query = "") {
  auto call = function_call::parse(segment, query);
  BOOST_REQUIRE_MESSAGE(!call, segment << " was accepted");
  return error_text(call.error());
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_function_call)

BOOST_AUTO_TEST_CASE(names_with_and_without_parentheses) {
  auto bare = function_call::parse("sample_Echo", "");
  BOOST_REQUIRE(bare);
  BOOST_CHECK_EQUAL(bare->name, "sample_Echo");
  BOOST_CHECK_EQUAL(bare->inputs, json::object());
  auto empty = function_call::parse("sample_Echo()", "");
  BOOST_REQUIRE(empty);
  BOOST_CHECK_EQUAL(empty->name, "sample_Echo");
  BOOST_CHECK_EQUAL(empty->inputs, json::object());
}

BOOST_AUTO_TEST_CASE(each_kind_of_literal) {
  BOOST_CHECK_EQUAL(inputs_of("f(Text='hi',Number=-42,Flag=true,Off=false,"
                              "None=null)"),
                    (json{{"Text", "hi"},
                          {"Number", -42},
                          {"Flag", true},
                          {"Off", false},
                          {"None", nullptr}}));
  // '' is a quote; commas and parentheses inside quotes are text.
  BOOST_CHECK_EQUAL(inputs_of("f(Text='it''s (a,b)')"),
                    (json{{"Text", "it's (a,b)"}}));
  BOOST_CHECK_EQUAL(inputs_of("f(Text='hi%20there%27%27')"),
                    (json{{"Text", "hi there'"}}));
}

BOOST_AUTO_TEST_CASE(aliases_come_from_the_query_string) {
  BOOST_CHECK_EQUAL(inputs_of("f(Text=@t,Number=@n)", "@t='a+b%26c'&@n=7"),
                    (json{{"Text", "a b&c"}, {"Number", 7}}));
  BOOST_CHECK_EQUAL(refusal("f(Text=@t)"),
                    "The alias '@t' has no value in the query string.");
  BOOST_CHECK(refusal("f(Text=@t)", "@t=@u&@u='x'").find("another alias")
              != std::string::npos);
  BOOST_CHECK(refusal("f(Text=@t)", "@t='x'y").find("not one literal")
              != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_calls_say_what_is_wrong) {
  for (auto* bad : {"f(Text='open)", "f(Text)", "f(=1)", "f(Text=1 2)",
                    "f(Text=abc)", "f(Text=1;Number=2)",
                    "f(N=1234567890123456789)", "f(Text='a'", "f(Text=%ZZ)"}) {
    auto call = function_call::parse(bad, "");
    BOOST_CHECK_MESSAGE(!call, bad << " was accepted");
  }
  BOOST_CHECK(refusal("f(Text='open)").find("a closing quote")
              != std::string::npos);
  BOOST_CHECK(refusal("f(A=1,A=2)").find("'A' is given twice")
              != std::string::npos);
  BOOST_CHECK(refusal("f(Text='a'").find("does not end with ')'")
              != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
