#pragma once

#include <string>

#include <boost/beast/http/status.hpp>
#include <nlohmann/json_fwd.hpp>

#include "server/request_handler.hpp"

namespace stagehand {

/// A response with a JSON body and its content type.
http_response json_response(boost::beast::http::status status,
                            const nlohmann::json& body);

/// The API's error shape, `{ "error": { "code", "message" } }`, used for
/// every failure, from a bad parameter to a header that is too long.
http_response error_response(boost::beast::http::status status,
                             const std::string& code,
                             const std::string& message);

} // namespace stagehand
