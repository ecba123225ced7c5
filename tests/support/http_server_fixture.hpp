#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/test/unit_test.hpp>
#include <spdlog/sinks/null_sink.h>

#include "server/http/http_server.hpp"
#include "server/http/json_response.hpp"

namespace stagehand::test {

/// A request the handler answers 200.
inline const std::string get_request = "GET /x HTTP/1.1\r\nHost: t\r\n\r\n";

/// Answers every request 200 and counts them.
struct counting_handler : request_handler {
  std::atomic<int> requests{0};

  void handle(http_request, http_reply reply) override {
    ++requests;
    reply(json_response(boost::beast::http::status::ok, {{"ok", true}}));
  }
};

/// An http_server on loopback with the limits a test gives it and a handler
/// that answers every request 200; the server's tests, split over two files,
/// all run on it.
struct server_with_limits {
  counting_handler handler;
  http_metrics metrics;
  std::unique_ptr<http_server> server;

  void start(http_server::limits lim) {
    server = std::make_unique<http_server>(
      handler, metrics,
      std::make_shared<spdlog::logger>(
        "test", std::make_shared<spdlog::sinks::null_sink_mt>()),
      lim);
    BOOST_REQUIRE(!server->listen("127.0.0.1", 0));
    server->start(2);
  }

  std::uint16_t port() const {
    return server->local_endpoint().port();
  }

  std::string metrics_text() const {
    std::string out;
    metrics.render(out);
    return out;
  }
};

} // namespace stagehand::test
