#include "server/http/json_response.hpp"

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "server/http/delivery_errc.hpp"

namespace stagehand {

http_response json_response(boost::beast::http::status status,
                            const nlohmann::json& body) {
  http_response res{status, 11};
  res.set(boost::beast::http::field::content_type,
          "application/json; odata.metadata=minimal");
  res.set("OData-Version", "4.0");
  // Texts may echo what a client sent (a path, a header), which need not be
  // UTF-8; a bad byte becomes U+FFFD instead of an exception.
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

http_response error_response(boost::beast::http::status status,
                             const std::string& code,
                             const std::string& message) {
  return json_response(status,
                       {{"error", {{"code", code}, {"message", message}}}});
}

http_response internal_error(const std::exception& e) {
  return error_response(boost::beast::http::status::internal_server_error,
                        "InternalError", e.what());
}

std::string error_text(const caf::error& err) {
  auto& ctx = err.context();
  if (err && err.category() != delivery_errc_category
      && ctx.match_elements<std::string>())
    return ctx.get_as<std::string>(0);
  return describe_delivery(err);
}

} // namespace stagehand
