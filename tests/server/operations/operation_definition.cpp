// Tests server/operations/operation_definition.hpp: binding a submit's JSON to
// the declared parameters, with the texts a client sees.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "core/errc.hpp"
#include "server/operations/operation_definition.hpp"

using namespace stagehand;
using nlohmann::json;

namespace {

operation_definition sample() {
  return {"op",
          "Op",
          1,
          {{"S", parameter_type::string, true},
           {"N", parameter_type::integer, false},
           {"B", parameter_type::boolean, false}}};
}

std::string why(const caf::expected<dictionary>& x) {
  BOOST_REQUIRE(!x);
  return x.error().context().get_as<std::string>(0);
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_operation_definition)

BOOST_AUTO_TEST_CASE(values_become_text) {
  auto in = sample().bind(json{{"S", "x"}, {"N", -3}, {"B", true}});
  BOOST_REQUIRE(in);
  BOOST_CHECK((*in == dictionary{{"S", "x"}, {"N", "-3"}, {"B", "true"}}));
  auto optional_left_out = sample().bind(json{{"S", ""}, {"N", nullptr}});
  BOOST_REQUIRE(optional_left_out);
  BOOST_CHECK((*optional_left_out == dictionary{{"S", ""}}));
}

BOOST_AUTO_TEST_CASE(missing_mistyped_and_unknown_parameters) {
  BOOST_CHECK_EQUAL(why(sample().bind(json::object())),
                    "The required parameter 'S' is missing.");
  BOOST_CHECK_EQUAL(why(sample().bind(json{{"S", 1}})),
                    "The parameter 'S' must be of type String.");
  BOOST_CHECK_EQUAL(why(sample().bind(json{{"S", "x"}, {"N", 1.5}})),
                    "The parameter 'N' must be of type Integer.");
  BOOST_CHECK_EQUAL(why(sample().bind(json{{"S", "x"}, {"B", "true"}})),
                    "The parameter 'B' must be of type Boolean.");
  BOOST_CHECK_EQUAL(why(sample().bind(json{{"S", "x"}, {"__attempt", "9"}})),
                    "The operation 'op' has no parameter '__attempt'.");
  BOOST_CHECK_EQUAL(why(sample().bind(json::array())),
                    "The request body must be a JSON object of input "
                    "parameters.");
}

BOOST_AUTO_TEST_SUITE_END()
