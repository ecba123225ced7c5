#include "server/http/http_metrics.hpp"

#include <cstdio>

namespace stagehand {

void http_metrics::record(http_route route, unsigned code,
                          std::chrono::nanoseconds latency) {
  auto seconds = std::chrono::duration<double>(latency).count();
  std::size_t bucket = 0;
  while (bucket < bounds.size() && seconds > bounds[bucket])
    ++bucket;
  std::lock_guard<std::mutex> guard{mtx_};
  auto& stats = routes_[static_cast<std::size_t>(route)];
  ++stats.by_code[code];
  ++stats.buckets[bucket];
  stats.sum += seconds;
  ++stats.count;
}

void http_metrics::render(std::string& out) const {
  std::lock_guard<std::mutex> guard{mtx_};
  char line[256];
  out += "# HELP stagehand_http_requests_total HTTP requests by route and "
         "status code.\n# TYPE stagehand_http_requests_total counter\n";
  for (std::size_t r = 0; r < routes_.size(); ++r)
    for (auto& [code, n] : routes_[r].by_code) {
      std::snprintf(line, sizeof(line),
                    "stagehand_http_requests_total{route=\"%s\",code=\"%u\"} "
                    "%llu\n",
                    to_string(static_cast<http_route>(r)), code,
                    static_cast<unsigned long long>(n));
      out += line;
    }
  out += "# HELP stagehand_http_request_duration_seconds HTTP request "
         "latency by route.\n# TYPE stagehand_http_request_duration_seconds "
         "histogram\n";
  for (std::size_t r = 0; r < routes_.size(); ++r) {
    auto& stats = routes_[r];
    if (stats.count == 0)
      continue;
    auto name = to_string(static_cast<http_route>(r));
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < bounds.size(); ++b) {
      cumulative += stats.buckets[b];
      std::snprintf(line, sizeof(line),
                    "stagehand_http_request_duration_seconds_bucket{route=\"%"
                    "s\",le=\"%g\"} %llu\n",
                    name, bounds[b],
                    static_cast<unsigned long long>(cumulative));
      out += line;
    }
    std::snprintf(line, sizeof(line),
                  "stagehand_http_request_duration_seconds_bucket{route=\"%s\","
                  "le=\"+Inf\"} %llu\n"
                  "stagehand_http_request_duration_seconds_sum{route=\"%s\"} "
                  "%.9f\n"
                  "stagehand_http_request_duration_seconds_count{route=\"%s\"} "
                  "%llu\n",
                  name, static_cast<unsigned long long>(stats.count), name,
                  stats.sum, name, static_cast<unsigned long long>(stats.count));
    out += line;
  }
  out += "# HELP stagehand_http_connections_refused_total Connections "
         "answered 503 because http-max-connections were open.\n"
         "# TYPE stagehand_http_connections_refused_total counter\n"
         "stagehand_http_connections_refused_total "
         + std::to_string(refused_.load()) + "\n";
  out += "# HELP stagehand_http_accept_errors_total Failed accepts, each "
         "followed by a backoff.\n"
         "# TYPE stagehand_http_accept_errors_total counter\n"
         "stagehand_http_accept_errors_total "
         + std::to_string(accept_failures_.load()) + "\n";
}

} // namespace stagehand
