// Tests server/api/route_table.hpp: canonical paths, pattern matching, and, on
// a real server, that no spelling of any route gets past its key check.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "server/api/route_table.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
namespace http = boost::beast::http;

namespace {

const std::string submit_path = "/api/data/v9.2/";

/// A value for each `{...}` a pattern may hold; a new capture name fails
/// the test, so that every route is tried with a value that would route.
std::string instantiate(const std::string& pattern) {
  static const std::map<std::string, std::string> values{
    {"{id}", "00000000-0000-4000-8000-000000000000"},
    {"{operation}", "sample_Echo"},
    {"{file}", "admin.js"}};
  auto open = pattern.find('{');
  if (open == std::string::npos)
    return pattern;
  auto close = pattern.find('}', open);
  auto i = values.find(pattern.substr(open, close - open + 1));
  BOOST_REQUIRE_MESSAGE(i != values.end(), "no test value for " << pattern);
  return pattern.substr(0, open) + i->second + pattern.substr(close + 1);
}

std::string upper(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

/// Other spellings of `path` that a lenient router might take for it.
std::vector<std::string> spellings(const std::string& path) {
  std::vector<std::string> out;
  out.push_back(upper(path));
  // Upper case in the first segment only, as in "/API/...".
  auto second = path.find('/', 1);
  out.push_back(upper(path.substr(0, second))
                + (second == std::string::npos ? "" : path.substr(second)));
  // The first letter percent-encoded: "/%61pi/...".
  char hex[4];
  std::snprintf(hex, sizeof(hex), "%%%02X",
                static_cast<unsigned char>(path[1]));
  out.push_back("/" + std::string{hex} + path.substr(2));
  // Every slash after the first encoded.
  auto encoded = path.substr(0, 1);
  for (std::size_t i = 1; i < path.size(); ++i)
    encoded += path[i] == '/' ? std::string{"%2F"} : std::string(1, path[i]);
  out.push_back(encoded);
  out.push_back("/" + path);
  out.push_back(path.substr(0, second) + "/"
                + (second == std::string::npos ? "" : path.substr(second)));
  out.push_back("/." + path);
  out.push_back("/x/.." + path);
  out.push_back(path.substr(0, second) + "/."
                + (second == std::string::npos ? "" : path.substr(second)));
  // Some spellings of a short path are the path itself: not a variant.
  out.erase(std::remove(out.begin(), out.end(), path), out.end());
  return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(server_route_table)

// -- paths --------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(only_canonical_paths_pass) {
  for (auto* ok : {"/", "/healthz", "/api/data/v9.2/", "/API/x", "/a/b.c/d",
                   "/a/f(T='x%20y')", "/a/f(T='x%2Fy')"})
    BOOST_CHECK_MESSAGE(route_table::path_problem(ok).empty(), ok);
  std::map<std::string, std::string> bad{
    {"", "it does not start with '/'"},
    {"api/x", "it does not start with '/'"},
    {"http://h/api", "it does not start with '/'"},
    {"/%61pi/x", "it is percent-encoded"},
    {"/%61pi/f(x)", "it is percent-encoded"},
    {"/a/f%28x)", "it is percent-encoded"},
    {"/a/f(%78", "it is percent-encoded"},
    {"/a/f(x)/%62", "it is percent-encoded"},
    {"/api//x", "it has an empty segment (//)"},
    {"//api/x", "it has an empty segment (//)"},
    {"/api/./x", "it has a dot segment (/./ or /../)"},
    {"/api/../x", "it has a dot segment (/./ or /../)"},
    {"/api/..", "it has a dot segment (/./ or /../)"},
  };
  for (auto& [path, why] : bad)
    BOOST_CHECK_EQUAL(route_table::path_problem(path), why);
}

BOOST_AUTO_TEST_CASE(patterns_match_whole_segments_exactly) {
  std::string param;
  BOOST_CHECK(route_table::matches("/a/{id}", "/a/42", param));
  BOOST_CHECK_EQUAL(param, "42");
  BOOST_CHECK(!route_table::matches("/a/{id}", "/a/", param));
  BOOST_CHECK(!route_table::matches("/a/{id}", "/a/42/", param));
  BOOST_CHECK(!route_table::matches("/a/{id}", "/a/42/x", param));
  BOOST_CHECK(!route_table::matches("/a/{id}", "/A/42", param));
  BOOST_CHECK(route_table::matches("/a/", "/a/", param));
  BOOST_CHECK(!route_table::matches("/a/", "/a", param));
  BOOST_CHECK(!route_table::matches("/a", "/ab", param));
}

BOOST_AUTO_TEST_CASE(a_bad_pattern_is_a_programming_error) {
  http_metrics metrics;
  api_key_ring keys{{}};
  auto entry = [](std::string pattern) {
    return route{http::verb::get, std::move(pattern), http_route::other,
                 open_route{[](route_call&) {}}};
  };
  BOOST_CHECK_THROW(route_table({entry("/a//b")}, keys, metrics),
                    std::invalid_argument);
  BOOST_CHECK_THROW(route_table({entry("/{a}/{b}")}, keys, metrics),
                    std::invalid_argument);
  BOOST_CHECK_NO_THROW(route_table({entry("/a/{b}")}, keys, metrics));
}

// -- every route, every spelling ----------------------------------------------

BOOST_FIXTURE_TEST_CASE(no_spelling_of_any_route_passes_without_a_valid_key,
                        server_fixture) {
  start();
  auto none = client("");
  auto wrong = client("wrong-key");
  auto user = client(alice_key);
  std::size_t sent = 0;
  for (auto& entry : server->routes().routes()) {
    auto path = instantiate(entry.pattern);
    auto open = std::holds_alternative<open_route>(entry.access);
    auto admin = std::holds_alternative<admin_route>(entry.access);
    auto body = std::string{"{}"};
    if (!open)
      for (auto* c : {&none, &wrong}) {
        auto res
          = c->request(entry.method, path, body, {{"Prefer", "respond-async"}});
        ++sent;
        BOOST_CHECK_MESSAGE(res.status == 401, entry.method << " " << path
                                                            << " answered "
                                                            << res.status);
      }
    if (admin) {
      auto res = user.request(entry.method, path, body);
      BOOST_CHECK_MESSAGE(res.status == 403, entry.method << " " << path
                                                          << " answered "
                                                          << res.status);
    }
    for (auto& spelled : spellings(path))
      for (auto* c : {&none, &wrong, &user}) {
        auto res = c->request(entry.method, spelled, body,
                              {{"Prefer", "respond-async"}});
        ++sent;
        BOOST_CHECK_MESSAGE(res.status == 404,
                            entry.method << " " << spelled << " answered "
                                         << res.status << " " << res.body);
      }
  }
  BOOST_TEST_MESSAGE(sent << " requests sent");
  BOOST_CHECK_GE(sent, 8u * 2u * 9u);
  // Alive, and nothing ran or was stored.
  BOOST_CHECK_EQUAL(none.get("/healthz").status, 200u);
  BOOST_CHECK_EQUAL(user.get("/api/backgroundoperations").status, 200u);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
}

BOOST_FIXTURE_TEST_CASE(the_crash_cases_of_issue_10_answer_404,
                        server_fixture) {
  start();
  auto none = client("");
  auto res = none.del("/API/backgroundoperation/"
                      "00000000-0000-4000-8000-000000000000");
  BOOST_CHECK_EQUAL(res.status, 404u);
  BOOST_CHECK_EQUAL(res.json().at("error").at("message"),
                    "Resource not found for the segment "
                    "'/API/backgroundoperation/"
                    "00000000-0000-4000-8000-000000000000'.");
  BOOST_CHECK_EQUAL(none.post("/API/data/v9.2/sample_Echo", "{}").status, 404u);
  auto encoded = none.get("/api/%62ackgroundoperations");
  BOOST_CHECK_EQUAL(encoded.status, 404u);
  BOOST_CHECK_EQUAL(encoded.json().at("error").at("message"),
                    "The path '/api/%62ackgroundoperations' is not canonical: "
                    "it is percent-encoded. Paths match exactly and "
                    "case-sensitively.");
  BOOST_CHECK_EQUAL(none.get("/healthz").status, 200u);
  BOOST_CHECK_EQUAL(stored_count(), 0u);
}

BOOST_FIXTURE_TEST_CASE(wrong_methods_and_paths, server_fixture) {
  start();
  auto c = client();
  auto res = c.get(submit_path + "sample_Wait");
  check_error(res, 405);
  BOOST_CHECK_EQUAL(res.header("allow"), "POST");
  check_error(c.post(api_client::status_path("00000000-0000-4000-8000-000000000000"), ""),
              405);
  check_error(c.del("/api/backgroundoperations"), 405);
  check_error(c.get("/api/webhooks"), 405);
  check_error(c.post("/healthz", ""), 405);
  check_error(c.get("/api/nothing"), 404);
}

BOOST_FIXTURE_TEST_CASE(every_api_call_needs_a_valid_key, server_fixture) {
  start();
  auto none = client("");
  auto wrong = client("nope");
  for (auto* c : {&none, &wrong}) {
    auto res = c->post(submit_path + "sample_Echo", "{}",
                       {{"Prefer", "respond-async"}});
    check_error(res, 401);
    BOOST_CHECK_EQUAL(res.header("www-authenticate"), "Bearer");
    check_error(c->get("/api/backgroundoperations"), 401);
    check_error(c->get(api_client::status_path("x")), 401);
  }
  BOOST_CHECK_EQUAL(stored_count(), 0u);
  BOOST_CHECK_EQUAL(none.get("/healthz").status, 200u);
}

BOOST_FIXTURE_TEST_CASE(metrics_count_each_answer_under_its_route,
                        server_fixture) {
  start();
  auto c = client();
  auto id = std::string{"00000000-0000-4000-8000-000000000000"};
  c.del("/api/backgroundoperation/" + id);
  c.get("/api/data/v9.2/");
  c.get("/api//data");
  auto wrong = c.request(http::verb::put, "/api/backgroundoperation/" + id);
  BOOST_CHECK_EQUAL(wrong.status, 405u);
  BOOST_CHECK_EQUAL(wrong.header("allow"), "GET, DELETE");
  client("").get("/api/backgroundoperations");
  auto text = c.get("/metrics").body;
  for (auto* needle :
       {"stagehand_http_requests_total{route=\"cancel\",code=\"404\"} 1\n",
        "stagehand_http_requests_total{route=\"catalog\",code=\"200\"} 1\n",
        "stagehand_http_requests_total{route=\"other\",code=\"404\"} 1\n",
        "stagehand_http_requests_total{route=\"status\",code=\"405\"} 1\n",
        "stagehand_http_requests_total{route=\"list\",code=\"401\"} 1\n"})
    BOOST_CHECK_MESSAGE(text.find(needle) != std::string::npos,
                        "missing: " << needle << "\nin:\n"
                                    << text);
}

BOOST_AUTO_TEST_SUITE_END()
