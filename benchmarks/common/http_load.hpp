#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace stagehand::bench {

/// Loopback HTTP/1.1 load: a few client threads, each with one keep-alive
/// connection and one request in flight, as a small pool of blocking
/// clients would send them. Every HTTP scenario drives its server and its
/// floor through this one client, so that the client's own cost is the same
/// on both sides of the ratio.
class http_load {
public:
  using request
    = boost::beast::http::request<boost::beast::http::string_body>;
  using response
    = boost::beast::http::response<boost::beast::http::string_body>;

  /// Builds the request numbered `i` of a run.
  using request_maker = std::function<request(std::int64_t i)>;

  /// Sees each answer, with its request's number, on the client thread that
  /// got it: to keep ids, or to know which poll an answer is for.
  using response_sink
    = std::function<void(std::int64_t i, const response&)>;

  /// What one run measured.
  struct result {
    double requests_per_second = 0;
    /// Microseconds from writing each request to having read its answer.
    std::vector<double> latencies;
  };

  /// What a run for a duration measured: also when each answer came, so
  /// that a long run shows how its latencies drift with time.
  struct timed_result : result {
    /// Seconds from the run's start to each answer, in `latencies`' order.
    std::vector<double> finished;
  };

  /// Connects `connections` clients to 127.0.0.1:`port`.
  http_load(std::uint16_t port, std::size_t connections);

  http_load(const http_load&) = delete;
  http_load& operator=(const http_load&) = delete;

  ~http_load();

  /// Sends requests 0..`requests`-1, each connection taking the next number
  /// when its previous answer arrived.
  /// @throws std::runtime_error if an answer's status is not `expected` or
  ///         a connection fails: a refused request would count as fast.
  result run(std::int64_t requests, const request_maker& make,
             unsigned expected, const response_sink& sink = {});

  /// Sends requests 0, 1, ... until `duration` has passed, each connection
  /// taking the next number when its previous answer arrived; the requests
  /// in flight at the deadline still finish and count. A soak's load: the
  /// same time on every machine, however fast it answers.
  /// @throws std::runtime_error as `run` does.
  timed_result run_for(std::chrono::steady_clock::duration duration,
                       const request_maker& make, unsigned expected);

private:
  struct connection;

  /// The one client loop of `run` and `run_for`: requests below `requests`
  /// until `deadline`, whichever ends first.
  timed_result drive(std::int64_t requests,
                     std::chrono::steady_clock::time_point deadline,
                     const request_maker& make, unsigned expected,
                     const response_sink& sink);

  std::vector<std::unique_ptr<connection>> connections_;
};

} // namespace stagehand::bench
