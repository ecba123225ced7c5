// Tests server/operations/notification_payload.hpp: the exact fields of the
// callback (with error fields on failure only, never output parameters) and of
// the OnBackgroundOperationComplete event.
#include <boost/test/unit_test.hpp>

#include "server/operations/notification_payload.hpp"

using namespace stagehand;
using nlohmann::json;

namespace {

const std::string id = "5a1e0b6c-8f0e-4c55-9d7e-0c2f3b1a9e11";
const std::string location
  = "http://127.0.0.1:8080/api/backgroundoperation/" + id;

} // namespace

BOOST_AUTO_TEST_SUITE(server_notification_payload)

BOOST_AUTO_TEST_CASE(callback_of_a_success) {
  auto expected = json::parse(R"({
    "backgroundOperationId": ")"
                              + id + R"(",
    "backgroundOperationStateCode": 3,
    "backgroundOperationStatusCode": 30,
    "location": ")" + location + R"("
  })");
  BOOST_TEST(callback_payload(id, location, 3, 30) == expected);
}

BOOST_AUTO_TEST_CASE(callback_of_a_failure_carries_the_error) {
  auto payload = callback_payload(id, location, 3, 31, "", "Dialog: no stock");
  auto expected = json::parse(R"({
    "backgroundOperationId": ")"
                              + id + R"(",
    "backgroundOperationStateCode": 3,
    "backgroundOperationStatusCode": 31,
    "location": ")" + location + R"(",
    "backgroundOperationErrorCode": 0,
    "backgroundOperationErrorName": "",
    "backgroundOperationErrorMessage": "Dialog: no stock"
  })");
  BOOST_TEST(payload == expected);
}

BOOST_AUTO_TEST_CASE(completion_event) {
  auto expected = json::parse(R"({
    "OperationName": "sample_Wait",
    "BackgroundOperationId": ")"
                              + id + R"(",
    "LocationUrl": ")" + location
                              + R"(",
    "BackgroundOperationStateCode": 3,
    "BackgroundOperationStatusCode": 32
  })");
  BOOST_TEST(completion_event_payload("sample_Wait", id, location, 3, 32)
             == expected);
}

BOOST_AUTO_TEST_CASE(text_is_escaped_not_spliced) {
  auto payload
    = callback_payload(id, location, 3, 31, "Dialog", "a \"quoted\"\nline");
  auto round_trip = json::parse(payload.dump());
  BOOST_TEST(round_trip["backgroundOperationErrorMessage"].get<std::string>()
             == "a \"quoted\"\nline");
  BOOST_TEST(round_trip["backgroundOperationErrorCode"].get<int>() == 1);
  BOOST_TEST(round_trip["backgroundOperationErrorName"].get<std::string>()
             == "Dialog");
}

BOOST_AUTO_TEST_SUITE_END()
