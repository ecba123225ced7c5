// Tests server/http/prefer_header.hpp: the Prefer forms SPEC.md §3 uses, and
// RFC 7240's tolerance of case, spacing and unknown preferences.
#include <boost/test/unit_test.hpp>

#include "server/http/prefer_header.hpp"

using stagehand::prefer_header;

BOOST_AUTO_TEST_SUITE(server_prefer_header)

BOOST_AUTO_TEST_CASE(respond_async_alone) {
  auto p = prefer_header::parse("respond-async");
  BOOST_CHECK(p.respond_async);
  BOOST_CHECK(p.callback_url.empty());
  BOOST_CHECK(!prefer_header::parse("").respond_async);
  BOOST_CHECK(!prefer_header::parse("return=minimal").respond_async);
}

BOOST_AUTO_TEST_CASE(respond_async_with_a_callback) {
  auto p = prefer_header::parse(
    R"(respond-async, callback; url="https://example.com/cb?a=1,2;b")");
  BOOST_CHECK(p.respond_async);
  BOOST_CHECK_EQUAL(p.callback_url, "https://example.com/cb?a=1,2;b");
  auto q = prefer_header::parse(
    R"(odata.maxpagesize=5,Respond-Async , CALLBACK;URL=http://h/x)");
  BOOST_CHECK(q.respond_async);
  BOOST_CHECK_EQUAL(q.callback_url, "http://h/x");
}

BOOST_AUTO_TEST_CASE(escaped_quotes_inside_the_url) {
  auto p = prefer_header::parse(R"(respond-async,callback;url="http://h/\"q\"")");
  BOOST_CHECK_EQUAL(p.callback_url, R"(http://h/"q")");
}

BOOST_AUTO_TEST_CASE(formatted_values_by_name_by_pattern_and_not_when_excluded) {
  for (auto* asked :
       {R"(odata.include-annotations="OData.Community.Display.V1.FormattedValue")",
        R"(odata.include-annotations="*")",
        R"(respond-async, odata.include-annotations="OData.Community.*")",
        R"(odata.include-annotations="Other.X,odata.community.display.v1.*")"}) {
    auto p = prefer_header::parse(asked);
    BOOST_CHECK_MESSAGE(p.formatted_values, asked);
    BOOST_CHECK(!p.include_annotations.empty());
  }
  for (auto* not_asked :
       {"", "respond-async", R"(odata.include-annotations="Other.*")",
        R"(odata.include-annotations="*,-OData.Community.Display.V1.FormattedValue")",
        R"(odata.include-annotations="-OData.*,*")"})
    BOOST_CHECK_MESSAGE(!prefer_header::parse(not_asked).formatted_values,
                        not_asked);
  auto p = prefer_header::parse(R"(odata.include-annotations="*", respond-async)");
  BOOST_CHECK(p.respond_async);
  BOOST_CHECK_EQUAL(p.include_annotations, R"("*")");
}

BOOST_AUTO_TEST_SUITE_END()
