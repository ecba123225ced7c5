#pragma once

#include <cstdint>
#include <string>

#include "benchmarks/common/http_load.hpp"

namespace stagehand::bench {

/// The request shapes of the http_api scenario, sent alike to Stagehand
/// and to its floor so that both parse the same bytes.

/// The API key both servers are given, mapped to user `bench`.
inline constexpr const char* http_api_key = "bench-key";

/// Most items `POST /api/$batch` takes in one request.
inline constexpr std::int64_t http_api_batch_limit = 1'000;

/// A request to `target` with the host and the key.
inline http_load::request http_api_request(boost::beast::http::verb verb,
                                           std::string target) {
  namespace http = boost::beast::http;
  http_load::request req{verb, std::move(target), 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::authorization, std::string{"Bearer "} + http_api_key);
  return req;
}

/// `POST /api/data/v9.2/sample_Echo`, with `Prefer: respond-async` unless
/// `synchronous`; each body differs, as real submits would.
inline http_load::request http_api_echo(std::int64_t i, bool synchronous) {
  namespace http = boost::beast::http;
  auto req = http_api_request(http::verb::post, "/api/data/v9.2/sample_Echo");
  req.set(http::field::content_type, "application/json");
  if (!synchronous)
    req.set("Prefer", "respond-async");
  req.body() = R"({"Text":"bench","Number":)" + std::to_string(i) + "}";
  req.prepare_payload();
  return req;
}

/// The asynchronous submit: answered 202 once its row is stored.
inline http_load::request http_api_submit(std::int64_t i) {
  return http_api_echo(i, false);
}

/// The synchronous submit: answered 200 once its operation is done.
inline http_load::request http_api_submit_sync(std::int64_t i) {
  return http_api_echo(i, true);
}

/// `GET /api/backgroundoperation/<id>`.
inline http_load::request http_api_status(const std::string& id) {
  return http_api_request(boost::beast::http::verb::get,
                          "/api/backgroundoperation/" + id);
}

/// `POST /api/$batch` with `items` asynchronous Echo submits.
inline http_load::request http_api_batch(std::int64_t items) {
  namespace http = boost::beast::http;
  auto req = http_api_request(http::verb::post, "/api/$batch");
  req.set(http::field::content_type, "application/json");
  std::string body = R"({"requests":[)";
  for (std::int64_t i = 1; i <= items; ++i) {
    if (i > 1)
      body += ',';
    body += R"({"id":")" + std::to_string(i)
            + R"(","method":"POST","url":"/api/data/v9.2/sample_Echo",)"
              R"("headers":{"Prefer":"respond-async"},"body":{"Text":"a"}})";
  }
  body += "]}";
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

} // namespace stagehand::bench
