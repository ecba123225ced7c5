#pragma once

#include <exception>
#include <string>

#include <boost/beast/http/status.hpp>
#include <caf/error.hpp>
#include <nlohmann/json_fwd.hpp>

#include "server/http/request_handler.hpp"

namespace stagehand {

/// A response with a JSON body and its content type.
http_response json_response(boost::beast::http::status status,
                            const nlohmann::json& body);

/// The API's error shape, `{ "error": { "code", "message" } }`, used for
/// every failure, from a bad parameter to a header that is too long.
http_response error_response(boost::beast::http::status status,
                             const std::string& code,
                             const std::string& message);

/// 500 with the exception's text: a handler failed unexpectedly (SQLite).
http_response internal_error(const std::exception& e);

/// The text of an error for an answer's message: the sentence a check or a
/// parameter binding put in its context, a delivery error (a refused or
/// malformed callback URL) as `describe_delivery` renders it, any other
/// error as `describe` does.
std::string error_text(const caf::error& err);

} // namespace stagehand
