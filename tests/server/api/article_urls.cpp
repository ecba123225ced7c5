// Tests the calls of the platform's background operations article as it
// writes them, on a real server: its URL forms for polling and cancelling,
// ids in any case, cancel by update, and the integer error code.
#include <boost/test/unit_test.hpp>

#include <string>

#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using nlohmann::json;
namespace http = boost::beast::http;

namespace {

std::string entity_path(const std::string& id) {
  return "/api/data/v9.2/backgroundoperations(" + id + ")";
}

std::string article_path(const std::string& id) {
  return "/api/backgroundOperation/" + id;
}

std::string legacy_path(const std::string& id) {
  return "/api/backgroundoperation/" + id;
}

std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const std::string cancel_body
  = R"({"backgroundoperationstatecode":2,"backgroundoperationstatuscode":22})";

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_article_urls, server_fixture)

BOOST_AUTO_TEST_CASE(location_is_the_entity_key_and_every_form_polls) {
  start();
  auto c = client();
  auto res = c.post("/api/data/v9.2/sample_Echo", R"({"Text": "hi"})",
                    {{"Prefer", "respond-async"}});
  BOOST_REQUIRE_EQUAL(res.status, 202u);
  auto id = res.json().at("backgroundOperationId").get<std::string>();
  BOOST_CHECK_EQUAL(res.header("location"),
                    server->base_url() + entity_path(id));
  BOOST_CHECK_EQUAL(res.json().at("location"), res.header("location"));
  c.wait_terminal(id);
  auto done = c.get(legacy_path(id)).json();
  for (auto& path : {entity_path(id), article_path(id), legacy_path(id),
                     entity_path(upper(id)), article_path(upper(id))}) {
    auto got = c.get(path);
    BOOST_CHECK_MESSAGE(got.status == 200, path << " answered " << got.status);
    // Every form answers the poll answer; the entity key adds the row.
    if (got.status == 200)
      for (auto& [field, value] : done.items())
        BOOST_CHECK_EQUAL(got.json().at(field), value);
  }
}

BOOST_AUTO_TEST_CASE(delete_cancels_at_both_forms) {
  start();
  auto c = client();
  auto a = c.submit("sample_Wait", R"({"Wait": 60000})");
  auto b = c.submit("sample_Wait", R"({"Wait": 60000})");
  for (auto& [path, id] : {std::pair{article_path(a), a},
                           std::pair{entity_path(upper(b)), b}}) {
    auto res = c.del(path);
    BOOST_CHECK_MESSAGE(res.status == 200, path << " answered " << res.status);
    BOOST_CHECK_EQUAL(res.json().at("backgroundOperationStatusCode"), 22);
    BOOST_CHECK(server->store().find(id)->cancel_requested);
  }
}

BOOST_AUTO_TEST_CASE(patch_with_state_2_status_22_cancels) {
  start();
  auto c = client();
  auto id = c.submit("sample_Wait", R"({"Wait": 60000})");
  auto res = c.request(http::verb::patch, entity_path(id), cancel_body);
  BOOST_CHECK_EQUAL(res.status, 204u);
  BOOST_CHECK(res.body.empty());
  BOOST_CHECK(server->store().find(id)->cancel_requested);
  auto code = c.status(id).at("backgroundOperationStatusCode").get<int>();
  BOOST_CHECK_MESSAGE(code == 22 || code == 32, "status " << code);
  // Once it is over, the update is refused as a DELETE would be.
  auto done = c.submit("sample_Echo", R"({"Text": "x"})");
  c.wait_terminal(done);
  check_error(c.request(http::verb::patch, entity_path(done), cancel_body),
              400,
              "Canceling background operation is not allowed after it is in "
              "terminal state.");
}

BOOST_AUTO_TEST_CASE(any_other_update_is_refused_and_names_what_may_change) {
  start();
  auto c = client();
  auto id = c.submit("sample_Wait", R"({"Wait": 60000})");
  auto refusal = "Only a cancel may be written to a background operation: "
                 "PATCH {\"backgroundoperationstatecode\":2,"
                 "\"backgroundoperationstatuscode\":22}.";
  for (auto* body :
       {R"({"backgroundoperationstatecode":3,"backgroundoperationstatuscode":30})",
        R"({"backgroundoperationstatuscode":22})",
        R"({"backgroundoperationstatecode":2,"backgroundoperationstatuscode":22,"name":"x"})",
        R"({"backgroundoperationstatecode":"2","backgroundoperationstatuscode":22})",
        R"([2, 22])", "", "not json"})
    check_error(c.request(http::verb::patch, entity_path(id), body), 400,
                refusal);
  BOOST_CHECK(!server->store().find(id)->cancel_requested);
}

BOOST_AUTO_TEST_CASE(ids_in_any_case_answer_in_lower_case) {
  start();
  auto c = client();
  auto missing = std::string{"ABCDEF00-0000-4000-8000-00000000000A"};
  check_error(c.get(entity_path(missing)), 404,
              "Could not find item 'abcdef00-0000-4000-8000-00000000000a'.");
  auto bob = client(bob_key);
  auto id = c.submit("sample_Wait", R"({"Wait": 60000})");
  // Another user's row stays hidden in every spelling.
  check_error(bob.get(entity_path(upper(id))), 404,
              "Could not find item '" + id + "'.");
  // The entity key's parentheses may be percent-encoded, as clients do.
  auto encoded = "%" + std::to_string(static_cast<int>(id[0]) / 16)
                 + "0123456789ABCDEF"[id[0] % 16] + id.substr(1);
  BOOST_CHECK_EQUAL(c.get(entity_path(encoded)).status, 200u);
  BOOST_CHECK_EQUAL(c.del(article_path(upper(id))).status, 200u);
}

BOOST_AUTO_TEST_CASE(the_entity_key_allows_get_delete_and_patch_only) {
  start();
  auto c = client();
  auto id = std::string{"00000000-0000-4000-8000-000000000000"};
  auto res = c.post(entity_path(id), "{}", {{"Prefer", "respond-async"}});
  check_error(res, 405);
  BOOST_CHECK_EQUAL(res.header("allow"), "GET, DELETE, PATCH");
  BOOST_CHECK_EQUAL(stored_count(), 0u);
}

BOOST_AUTO_TEST_CASE(the_entity_key_is_also_the_row_and_takes_select) {
  start();
  auto c = client();
  auto id = c.submit("sample_Echo", R"({"Text": "hi"})");
  c.wait_terminal(id);
  auto whole = c.get(entity_path(id)).json();
  // The poll answer, for the article's pollers...
  BOOST_CHECK_EQUAL(whole.at("backgroundOperationStatusCode"), 30);
  BOOST_CHECK_EQUAL(whole.at("Text"), "hi");
  // ... and the row, for OData clients: the article's columns, no others.
  for (auto* column :
       {"backgroundoperationid", "backgroundoperationstatecode",
        "backgroundoperationstatuscode", "name", "displayname",
        "inputparameters", "outputparameters", "starttime", "endtime",
        "retrycount", "errorcode", "errormessage", "runas", "createdon",
        "ttlinseconds"})
    BOOST_CHECK_MESSAGE(whole.contains(column), "missing " << column);
  for (auto* internal : {"bodyhash", "idempotencykey", "notified",
                         "cancelrequested", "deliveryfailure", "callbackurl"})
    BOOST_CHECK_MESSAGE(!whole.contains(internal), "shows " << internal);
  BOOST_CHECK_EQUAL(whole.at("backgroundoperationid"), id);
  auto some
    = c.get(entity_path(id) + "?$select=name,backgroundoperationstatuscode")
        .json();
  BOOST_CHECK_EQUAL(some.at("@odata.context"),
                    server->base_url()
                      + "/api/data/v9.2/$metadata#backgroundoperations(name,"
                        "backgroundoperationstatuscode)/$entity");
  some.erase("@odata.context");
  BOOST_CHECK_EQUAL(some, (json{{"backgroundoperationid", id},
                                {"name", "sample_Echo"},
                                {"backgroundoperationstatuscode", 30}}));
  check_error(c.get(entity_path(id) + "?$select=bodyhash"), 400);
  // Labels on request, beside the selected codes only.
  auto labelled
    = c.get(entity_path(id) + "?$select=backgroundoperationstatuscode",
            {{"Prefer", R"(odata.include-annotations="*")"}});
  BOOST_CHECK_EQUAL(labelled.header("preference-applied"),
                    R"(odata.include-annotations="*")");
  auto row = labelled.json();
  BOOST_CHECK_EQUAL(row.at("backgroundoperationstatuscode@OData.Community."
                           "Display.V1.FormattedValue"),
                    "Succeeded");
  BOOST_CHECK(!row.contains("backgroundoperationstatecode@OData.Community."
                            "Display.V1.FormattedValue"));
  auto set = c.get("/api/data/v9.2/backgroundoperations",
                   {{"Prefer", R"(odata.include-annotations="*")"}})
               .json();
  BOOST_REQUIRE_EQUAL(set.at("value").size(), 1u);
  BOOST_CHECK_EQUAL(set.at("value")[0].at("backgroundoperationstatecode@OData."
                                          "Community.Display.V1.FormattedValue"),
                    "Completed");
  check_error(c.get(entity_path(id) + "?$top=1"), 400,
              "The query option '$top' does not apply to one row; only "
              "'$select' does.");
}

// -- functions, labels, metadata ----------------------------------------------

BOOST_AUTO_TEST_CASE(a_function_is_called_with_get_and_respond_async) {
  start();
  auto c = client();
  auto res = c.get("/api/data/v9.2/sample_Echo(Text='hi',Number=7)",
                   {{"Prefer", "respond-async"}});
  BOOST_REQUIRE_EQUAL(res.status, 202u);
  auto id = res.json().at("backgroundOperationId").get<std::string>();
  BOOST_CHECK_EQUAL(res.header("location"),
                    server->base_url() + entity_path(id));
  auto done = c.wait_terminal(id);
  BOOST_CHECK_EQUAL(done.at("Text"), "hi");
  BOOST_CHECK_EQUAL(done.at("Number"), "7");
  // Without respond-async it answers with its outputs, as an action does.
  auto sync = c.get("/api/data/v9.2/sample_Echo(Text=@t)?@t='a%20b'");
  BOOST_REQUIRE_EQUAL(sync.status, 200u);
  BOOST_CHECK_EQUAL(sync.json().at("Text"), "a b");
  // Its inputs are checked as a body's are.
  check_error(c.get("/api/data/v9.2/sample_Echo(Text=5)"), 400,
              "The parameter 'Text' must be of type String.");
  check_error(c.get("/api/data/v9.2/sample_Echo(Text='x"), 400);
}

BOOST_AUTO_TEST_CASE(an_action_called_with_get_answers_405) {
  start();
  auto c = client();
  auto res = c.get("/api/data/v9.2/sample_Wait(Wait=1)",
                   {{"Prefer", "respond-async"}});
  check_error(res, 405,
              "The operation 'sample_Wait' is an action; call it with POST "
              "and a JSON body.");
  BOOST_CHECK_EQUAL(res.header("allow"), "POST");
  check_error(c.get("/api/data/v9.2/sample_Nothing()"), 404);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
}

BOOST_AUTO_TEST_CASE(formatted_values_on_request) {
  start();
  auto c = client();
  auto id = c.submit("sample_Wait", R"({"Wait": 60000})");
  auto plain = c.get(entity_path(id));
  BOOST_CHECK(!plain.json().contains(
    "backgroundOperationStatusCode@OData.Community.Display.V1.FormattedValue"));
  BOOST_CHECK_EQUAL(plain.header("preference-applied"), "");
  auto prefer = std::string{
    R"(odata.include-annotations="OData.Community.Display.V1.FormattedValue")"};
  c.wait_status(id, 20);
  auto labelled = c.get(entity_path(id), {{"Prefer", prefer}});
  BOOST_CHECK_EQUAL(
    labelled.json().at(
      "backgroundOperationStateCode@OData.Community.Display.V1.FormattedValue"),
    "Locked");
  BOOST_CHECK_EQUAL(
    labelled.json().at(
      "backgroundOperationStatusCode@OData.Community.Display.V1.FormattedValue"),
    "In Progress");
  BOOST_CHECK_EQUAL(labelled.header("preference-applied"),
                    "odata.include-annotations=\"OData.Community.Display.V1."
                    "FormattedValue\"");
  c.del(entity_path(id));
  auto done = c.submit("sample_Echo", R"({"Text": "x"})");
  c.wait_terminal(done);
  auto star = c.get(entity_path(done),
                    {{"Prefer", R"(odata.include-annotations="*")"}});
  BOOST_CHECK_EQUAL(
    star.json().at(
      "backgroundOperationStateCode@OData.Community.Display.V1.FormattedValue"),
    "Completed");
  BOOST_CHECK_EQUAL(
    star.json().at(
      "backgroundOperationStatusCode@OData.Community.Display.V1.FormattedValue"),
    "Succeeded");
  // The 202 acknowledges the preference beside respond-async.
  auto res = c.post("/api/data/v9.2/sample_Wait", R"({"Wait": 1})",
                    {{"Prefer", "respond-async, " + prefer}});
  BOOST_CHECK_EQUAL(res.header("preference-applied"),
                    "respond-async, " + prefer);
}

BOOST_AUTO_TEST_CASE(metadata_describes_the_set_and_every_operation) {
  start();
  auto c = client();
  auto res = c.get("/api/data/v9.2/$metadata");
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  BOOST_CHECK_EQUAL(res.header("content-type"), "application/xml");
  for (auto* needle :
       {R"(<EntityType Name="backgroundoperation">)",
        R"(<PropertyRef Name="backgroundoperationid"/>)",
        R"(<Property Name="errorcode" Type="Edm.Int32"/>)",
        R"(<EntitySet Name="backgroundoperations" EntityType="Microsoft.Dynamics.CRM.backgroundoperation"/>)",
        R"(<Function Name="sample_Echo">)",
        R"(<Parameter Name="Text" Type="Edm.String" Nullable="true"/>)",
        R"(<Action Name="sample_Wait">)",
        R"(<Parameter Name="Wait" Type="Edm.Int64" Nullable="false"/>)",
        R"(<FunctionImport Name="sample_Echo" Function="Microsoft.Dynamics.CRM.sample_Echo")",
        R"(<ActionImport Name="sample_Wait" Action="Microsoft.Dynamics.CRM.sample_Wait"/>)"})
    BOOST_CHECK_MESSAGE(res.body.find(needle) != std::string::npos,
                        "missing " << needle);
  check_error(client("").get("/api/data/v9.2/$metadata"), 401);
}

BOOST_AUTO_TEST_SUITE_END()
