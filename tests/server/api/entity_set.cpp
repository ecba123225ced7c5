// Tests server/api/entity_set_endpoint.hpp end to end: the operations table as
// the OData entity set `GET /api/data/v9.2/backgroundoperations`, through the
// real route table on a real server: columns, $select, $filter, $orderby,
// $top, $count, paging by $skiptoken while rows are added, refusals, and who
// sees what.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>
#include <vector>

#include "core/guid.hpp"
#include "core/wall_clock.hpp"
#include "server/api/operation_json.hpp"
#include "server/http/query_string.hpp"
#include "tests/support/server_fixture.hpp"

using namespace stagehand;
using namespace stagehand::test;
using nlohmann::json;

namespace {

const std::string set_path = "/api/data/v9.2/backgroundoperations";

/// The set's path with `options`, each value percent-encoded.
std::string
with(const std::vector<std::pair<std::string, std::string>>& options) {
  std::string out = set_path;
  char sep = '?';
  for (auto& [name, value] : options) {
    out += sep + name + "=" + percent_encode(value);
    sep = '&';
  }
  return out;
}

std::string filtered(const std::string& filter) {
  return with({{"$filter", filter}});
}

std::vector<std::string> ids_of(const json& body) {
  std::vector<std::string> out;
  for (auto& row : body.at("value"))
    out.push_back(row.at("backgroundoperationid").get<std::string>());
  return out;
}

std::set<std::string> keys_of(const json& row) {
  std::set<std::string> out;
  for (auto& [key, value] : row.items())
    out.insert(key);
  return out;
}

/// A finished operation of `user`, stored without running.
operation_record stored(const std::string& user, std::int64_t created_on) {
  operation_record rec;
  rec.id = make_guid();
  rec.name = "sample_Echo";
  rec.display_name = "Echo";
  rec.inputs = {{"Text", "paged"}};
  rec.status = operation_status::succeeded;
  rec.run_as = user;
  rec.created_on = created_on;
  rec.ttl_seconds = 3600;
  return rec;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(server_entity_set, server_fixture)

BOOST_AUTO_TEST_CASE(rows_carry_the_article_columns_only) {
  start();
  auto c = client();
  auto id = c.submit("sample_Echo", R"({"Text": "hi"})");
  c.wait_terminal(id);
  auto res = c.get(set_path);
  BOOST_REQUIRE_EQUAL(res.status, 200u);
  auto body = res.json();
  BOOST_CHECK_EQUAL(body.at("@odata.context"),
                    server->base_url()
                      + "/api/data/v9.2/$metadata#backgroundoperations");
  BOOST_CHECK(!body.contains("@odata.nextLink"));
  BOOST_CHECK(!body.contains("@odata.count"));
  BOOST_REQUIRE_EQUAL(body.at("value").size(), 1u);
  auto& row = body["value"][0];
  BOOST_CHECK(
    keys_of(row)
    == std::set<std::string>(entity_columns().begin(), entity_columns().end()));
  BOOST_CHECK_EQUAL(keys_of(row).size(), 15u);
  BOOST_CHECK_EQUAL(row.at("backgroundoperationid"), id);
  BOOST_CHECK_EQUAL(row.at("backgroundoperationstatuscode"), 30);
  BOOST_CHECK_EQUAL(row.at("runas"), "alice");
  BOOST_CHECK_EQUAL(row.at("inputparameters"),
                    (json::array({{{"Key", "Text"}, {"Value", "hi"}}})));
}

BOOST_AUTO_TEST_CASE(select_picks_columns_and_names_them_in_the_context) {
  start();
  auto c = client();
  c.wait_terminal(c.submit("sample_Echo", "{}"));
  auto body = c.get(with({{"$select", "name, retrycount"}})).json();
  BOOST_CHECK_EQUAL(body.at("@odata.context"),
                    server->base_url()
                      + "/api/data/v9.2/$metadata#backgroundoperations("
                        "name,retrycount)");
  BOOST_CHECK(
    keys_of(body.at("value").at(0))
    == (std::set<std::string>{"backgroundoperationid", "name", "retrycount"}));
  for (auto* internal : {"bodyhash", "idempotencykey", "location", ""})
    check_error(c.get(with({{"$select", internal}})), 400);
  auto refused = c.get(with({{"$select", "name,bodyhash"}})).json();
  BOOST_CHECK_NE(refused.at("error").at("message").get<std::string>().find(
                   "'$select' names 'bodyhash'"),
                 std::string::npos);
}

BOOST_AUTO_TEST_CASE(filter_selects_rows_by_each_kind_of_column) {
  start();
  auto c = client();
  auto a = c.submit("sample_Echo", R"({"Text": "it's 50%_off"})");
  auto b = c.submit("sample_Wait", R"({"Wait": 3000})");
  auto f = c.submit("sample_Flaky", R"({"FailTimes": 9})");
  c.wait_terminal(a);
  c.wait_terminal(f);
  auto rows = [&](const std::string& filter) {
    auto res = c.get(filtered(filter));
    BOOST_REQUIRE_MESSAGE(res.status == 200u, filter << ": " << res.body);
    return ids_of(res.json());
  };
  using ids = std::vector<std::string>;
  BOOST_CHECK(rows("name eq 'sample_Wait'") == ids{b});
  BOOST_CHECK(rows("name ne 'sample_Wait'") == (ids{a, f}));
  BOOST_CHECK(rows("backgroundoperationstatuscode eq 31") == ids{f});
  // errorcode is the number of the stored name: Flaky's Dialog is 1.
  BOOST_CHECK(rows("errorcode eq 1") == ids{f});
  BOOST_CHECK(rows("errorcode eq 0") == (ids{a, b}));
  BOOST_CHECK(rows("errorcode ne 0 and errorcode lt 99") == ids{f});
  BOOST_CHECK(rows("errorcode eq 2").empty());
  BOOST_CHECK(rows("backgroundoperationstatecode eq 3 and retrycount ge 1")
              == ids{f});
  BOOST_CHECK(rows("contains(inputparameters,'Wait=3000')") == ids{b});
  BOOST_CHECK(rows("contains(inputparameters,'3000')") == ids{b});
  BOOST_CHECK(rows("contains(inputparameters,'it''s 50%_off')") == ids{a});
  BOOST_CHECK(rows("contains(inputparameters,'%')") == ids{a});
  BOOST_CHECK(rows("contains(inputparameters,'Key')").empty());
  BOOST_CHECK(rows("contains(outputparameters,'50%_off')") == ids{a});
  BOOST_CHECK(rows("endtime eq null") == ids{b});
  BOOST_CHECK(rows("not (endtime eq null)") == (ids{a, f}));
  BOOST_CHECK(rows("endtime lt 2000-01-01T00:00:00Z").empty());
  BOOST_CHECK(rows("not (endtime lt 2000-01-01T00:00:00Z)") == (ids{a, b, f}));
  BOOST_CHECK(rows("createdon gt 2000-01-01T00:00:00Z") == (ids{a, b, f}));
  // A query string reads '+' as a space: an offset's must come as %2B.
  const std::string after_2000 = set_path
                                 + "?$filter=createdon%20gt%20"
                                   "2000-01-01T00:00:00";
  BOOST_CHECK_EQUAL(ids_of(c.get(after_2000 + "%2B01:00").json()).size(), 3u);
  check_error(c.get(after_2000 + "+01:00"), 400);
  BOOST_CHECK(rows("name eq 'sample_Echo' or name eq 'sample_Wait' and "
                   "retrycount eq 5")
              == ids{a});
  // Injection attempts match literally or are refused; the table is intact.
  BOOST_CHECK(rows("name eq 'x'' or 1=1 --'").empty());
  BOOST_CHECK(rows("name eq 'x''); DELETE FROM operations; --'").empty());
  check_error(c.get(filtered("name eq 'x' or 1=1")), 400);
  check_error(c.get(filtered("name eq 'x'; DELETE FROM operations")), 400);
  BOOST_CHECK_EQUAL(stored_count(), 3u);
  c.del(api_client::status_path(b));
}

BOOST_AUTO_TEST_CASE(orderby_top_and_count) {
  start();
  auto c = client();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(c.submit("sample_Echo", "{}"));
  for (auto& id : ids)
    c.wait_terminal(id);
  BOOST_CHECK(ids_of(c.get(set_path).json()) == ids);
  BOOST_CHECK(ids_of(c.get(with({{"$orderby", "createdon asc"}})).json())
              == ids);
  auto desc = ids_of(c.get(with({{"$orderby", "createdon desc"}})).json());
  BOOST_CHECK(desc == std::vector<std::string>(ids.rbegin(), ids.rend()));
  BOOST_CHECK_EQUAL(
    c.get(with({{"$orderby", "endtime desc"}})).json().at("value").size(), 5u);
  auto page = c.get(with({{"$top", "2"}, {"$count", "true"}})).json();
  BOOST_CHECK(ids_of(page)
              == std::vector<std::string>(ids.begin(), ids.begin() + 2));
  BOOST_CHECK_EQUAL(page.at("@odata.count"), 5);
  auto link = page.at("@odata.nextLink").get<std::string>();
  BOOST_REQUIRE_EQUAL(link.rfind(server->base_url() + set_path + "?", 0), 0u);
  BOOST_CHECK_NE(link.find("$top=2&$count=true&$skiptoken="),
                 std::string::npos);
  auto second = c.get(link.substr(server->base_url().size())).json();
  BOOST_CHECK(ids_of(second)
              == std::vector<std::string>(ids.begin() + 2, ids.begin() + 4));
  BOOST_CHECK_EQUAL(second.at("@odata.count"), 5);
  auto last = c.get(second.at("@odata.nextLink")
                      .get<std::string>()
                      .substr(server->base_url().size()))
                .json();
  BOOST_CHECK(ids_of(last) == std::vector<std::string>{ids[4]});
  BOOST_CHECK(!last.contains("@odata.nextLink"));
  BOOST_CHECK_EQUAL(c.get(with({{"$top", "1000"}})).json().at("value").size(),
                    5u);
  check_error(c.get(with({{"$top", "1001"}})), 400,
              "The query option '$top' takes a number from 1 to 1000.");
  check_error(c.get(with({{"$orderby", "name"}})), 400,
              "The query option '$orderby' takes createdon or endtime, "
              "optionally followed by asc or desc; one column only.");
}

BOOST_AUTO_TEST_CASE(options_outside_the_subset_answer_400_naming_them) {
  start();
  auto c = client();
  const std::string supported
    = "; use $select, $filter, $orderby, $top, $count, $skiptoken.";
  for (auto* option : {"$expand", "$search", "$skip", "$apply", "$foo", "top"})
    check_error(c.get(with({{option, "1"}})), 400,
                std::string{"The query option '"} + option
                  + "' is not supported" + supported);
  check_error(c.get(with({{"$top", "0"}})), 400);
  check_error(c.get(with({{"$top", "x"}})), 400);
  check_error(c.get(with({{"$count", "yes"}})), 400,
              "The query option '$count' takes true or false.");
  check_error(c.get(set_path + "?$top=1&$top=2"), 400,
              "The query option '$top' is given more than once.");
  check_error(c.get(set_path + "?$filter=%zz"), 400,
              "The query string is not validly encoded.");
  auto bad_filter = c.get(filtered("startswith(name,'a')"));
  check_error(bad_filter, 400,
              "The query option '$filter' is invalid: the function "
              "'startswith' is not supported; the one function is "
              "contains(column,'text').");
  BOOST_CHECK_EQUAL(bad_filter.json().at("error").at("code"), "BadRequest");
  // A skiptoken that was edited, or carried to another query, is refused.
  for (int i = 0; i < 2; ++i)
    c.wait_terminal(c.submit("sample_Echo", "{}"));
  auto link = c.get(with({{"$top", "1"}}))
                .json()
                .at("@odata.nextLink")
                .get<std::string>();
  auto token = link.substr(link.find("$skiptoken=") + 11);
  const std::string refused
    = "The query option '$skiptoken' is not one this server issued for this "
      "query; take it from '@odata.nextLink' unchanged, with the same $filter "
      "and $orderby.";
  BOOST_CHECK_EQUAL(c.get(with({{"$skiptoken", token}})).status, 200u);
  auto edited = token;
  edited[0] = edited[0] == 'M' ? 'N' : 'M';
  check_error(c.get(with({{"$skiptoken", edited}})), 400, refused);
  check_error(c.get(with({{"$skiptoken", "!!"}})), 400, refused);
  check_error(
    c.get(with({{"$orderby", "createdon desc"}, {"$skiptoken", token}})), 400,
    refused);
  check_error(
    c.get(with({{"$filter", "retrycount eq 0"}, {"$skiptoken", token}})), 400,
    refused);
}

BOOST_AUTO_TEST_CASE(no_filter_shows_a_user_another_users_rows) {
  start();
  auto alice = client(alice_key);
  auto bob = client(bob_key);
  auto admin = client(admin_key);
  auto mine = alice.submit("sample_Echo", R"({"Text": "alice"})");
  auto theirs = bob.submit("sample_Echo", R"({"Text": "bob"})");
  alice.wait_terminal(mine);
  bob.wait_terminal(theirs);
  for (auto* filter :
       {"runas eq 'bob'", "runas eq 'bob' or runas eq 'alice'",
        "runas ne 'alice'", "not (runas eq 'alice')",
        "(runas eq 'bob') or (retrycount ge 0)",
        "contains(inputparameters,'bob') or contains(inputparameters,'')",
        "runas eq 'x'' or run_as = ''bob'"}) {
    auto res = alice.get(with({{"$filter", filter}, {"$count", "true"}}));
    BOOST_REQUIRE_MESSAGE(res.status == 200u, filter << ": " << res.body);
    auto body = res.json();
    for (auto& id : ids_of(body))
      BOOST_CHECK_MESSAGE(id == mine, filter << " showed " << id);
    BOOST_CHECK_LE(body.at("@odata.count").get<int>(), 1);
  }
  BOOST_CHECK(ids_of(alice.get(set_path).json())
              == std::vector<std::string>{mine});
  BOOST_CHECK(ids_of(admin.get(set_path).json())
              == (std::vector<std::string>{mine, theirs}));
  BOOST_CHECK(ids_of(admin.get(filtered("runas eq 'bob'")).json())
              == std::vector<std::string>{theirs});
  check_error(client("nobody").get(set_path), 401);
}

BOOST_AUTO_TEST_CASE(paging_while_rows_are_added_sees_each_row_once) {
  start();
  // 2,500 rows of alice's, with bob's in between and ties in createdon,
  // stored directly: finished rows that never run.
  auto base = now_ms() - 1000000;
  std::vector<operation_record> recs;
  std::set<std::string> originals;
  for (int i = 0; i < 3000; ++i) {
    auto rec = stored(i % 6 == 5 ? "bob" : "alice", base + i / 7);
    if (rec.run_as == "alice")
      originals.insert(rec.id);
    recs.push_back(std::move(rec));
  }
  BOOST_REQUIRE_EQUAL(originals.size(), 2500u);
  server->store().insert_all(recs);
  auto c = client(alice_key);
  std::set<std::string> seen;
  std::size_t pages = 0;
  std::size_t added_by_alice = 0;
  std::string target = with({{"$top", "100"}});
  for (;;) {
    auto res = c.get(target);
    BOOST_REQUIRE_EQUAL(res.status, 200u);
    auto body = res.json();
    BOOST_REQUIRE_LE(body.at("value").size(), 100u);
    for (auto& id : ids_of(body))
      BOOST_CHECK_MESSAGE(seen.insert(id).second, id << " was seen twice");
    ++pages;
    // Between pages, each user adds rows: after the cursor in this order.
    std::vector<operation_record> more;
    for (int i = 0; i < 5 && pages < 20; ++i) {
      more.push_back(stored(i % 2 == 0 ? "alice" : "bob", now_ms()));
      added_by_alice += i % 2 == 0 ? 1 : 0;
    }
    if (!more.empty())
      server->store().insert_all(more);
    if (!body.contains("@odata.nextLink"))
      break;
    target = body.at("@odata.nextLink")
               .get<std::string>()
               .substr(server->base_url().size());
  }
  for (auto& id : originals)
    BOOST_CHECK_MESSAGE(seen.count(id) == 1, id << " was never seen");
  BOOST_CHECK_GE(pages, 25u);
  // The rows added while paging came after the cursor: all of alice's show,
  // and none of bob's.
  BOOST_CHECK_EQUAL(added_by_alice, 19u * 3);
  BOOST_CHECK_EQUAL(seen.size(), 2500u + added_by_alice);
}

BOOST_AUTO_TEST_SUITE_END()
