// Tests server/http/json_response.hpp: the API's JSON bodies.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "server/http/json_response.hpp"

using namespace stagehand;
using nlohmann::json;
namespace http = boost::beast::http;

BOOST_AUTO_TEST_SUITE(server_json_response)

BOOST_AUTO_TEST_CASE(an_error_response_has_the_error_shape) {
  auto res = error_response(http::status::not_found, "NotFound", "No such.");
  BOOST_CHECK_EQUAL(res.result_int(), 404u);
  auto body = json::parse(res.body());
  BOOST_CHECK_EQUAL(body["error"]["code"], "NotFound");
  BOOST_CHECK_EQUAL(body["error"]["message"], "No such.");
  BOOST_CHECK_EQUAL(res[http::field::content_length],
                    std::to_string(res.body().size()));
}

// Found by tests/fuzz (fuzz_request): a path with a byte that is not UTF-8,
// echoed in the 404 or 405 text, made dump() throw, and the request got a
// 500 InternalError instead of its answer.
BOOST_AUTO_TEST_CASE(text_that_is_not_utf8_is_replaced_not_thrown) {
  http_response res;
  BOOST_REQUIRE_NO_THROW(
    res = error_response(http::status::not_found, "NotFound",
                         "Resource not found for the segment '/a\xff\xfe'."));
  BOOST_CHECK_EQUAL(res.result_int(), 404u);
  auto body = json::parse(res.body());
  BOOST_CHECK_EQUAL(body["error"]["message"].get<std::string>(),
                    "Resource not found for the segment '/a\xEF\xBF\xBD"
                    "\xEF\xBF\xBD'.");
}

BOOST_AUTO_TEST_SUITE_END()
