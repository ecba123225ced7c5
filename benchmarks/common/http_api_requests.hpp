#pragma once

#include <cstdint>
#include <string>

#include "benchmarks/common/http_load.hpp"

namespace stagehand::bench {

/// The two request shapes of the http_api scenario, sent alike to Stagehand
/// and to its floor so that both parse the same bytes.

/// The API key both servers are given, mapped to user `bench`.
inline constexpr const char* http_api_key = "bench-key";

/// `POST /api/data/v9.2/sample_Echo` with `Prefer: respond-async`; each
/// body differs, as real submits would.
inline http_load::request http_api_submit(std::int64_t i) {
  namespace http = boost::beast::http;
  http_load::request req{http::verb::post, "/api/data/v9.2/sample_Echo", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, std::string{"Bearer "} + http_api_key);
  req.set(http::field::content_type, "application/json");
  req.set("Prefer", "respond-async");
  req.body() = R"({"Text":"bench","Number":)" + std::to_string(i) + "}";
  req.prepare_payload();
  return req;
}

/// `GET /api/backgroundoperation/<id>`.
inline http_load::request http_api_status(const std::string& id) {
  namespace http = boost::beast::http;
  http_load::request req{http::verb::get, "/api/backgroundoperation/" + id,
                         11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, std::string{"Bearer "} + http_api_key);
  return req;
}

} // namespace stagehand::bench
