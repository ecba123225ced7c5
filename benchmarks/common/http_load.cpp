#include "benchmarks/common/http_load.hpp"

#include <atomic>
#include <exception>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "benchmarks/common/measure.hpp"

namespace stagehand::bench {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// -- one client connection ------------------------------------------------------

/// Blocking calls on a socket of its own, so that the client threads share
/// nothing while they run.
struct http_load::connection {
  boost::asio::io_context ioc;
  tcp::socket socket{ioc};
  boost::beast::flat_buffer buffer;

  explicit connection(std::uint16_t port) {
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    // A request is one small write; Nagle would hold it for the last ACK.
    socket.set_option(tcp::no_delay(true));
  }

  response exchange(const request& req) {
    http::write(socket, req);
    response res;
    http::read(socket, buffer, res);
    if (!res.keep_alive())
      throw std::runtime_error{"http_load: the server closed the connection"};
    return res;
  }
};

// -- the load -------------------------------------------------------------------

http_load::http_load(std::uint16_t port, std::size_t connections) {
  for (std::size_t i = 0; i < connections; ++i)
    connections_.push_back(std::make_unique<connection>(port));
}

http_load::~http_load() = default;

http_load::result http_load::run(std::int64_t requests,
                                 const request_maker& make, unsigned expected,
                                 const response_sink& sink) {
  auto timed = drive(requests, clock_type::time_point::max(), make, expected,
                     sink);
  return {timed.requests_per_second, std::move(timed.latencies)};
}

http_load::timed_result
http_load::run_for(clock_type::duration duration, const request_maker& make,
                   unsigned expected) {
  return drive(std::numeric_limits<std::int64_t>::max(),
               clock_type::now() + duration, make, expected, {});
}

http_load::timed_result
http_load::drive(std::int64_t requests, clock_type::time_point deadline,
                 const request_maker& make, unsigned expected,
                 const response_sink& sink) {
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> stop{false};
  std::mutex mtx;
  std::exception_ptr failure;
  timed_result out;
  if (deadline == clock_type::time_point::max()) {
    out.latencies.reserve(static_cast<std::size_t>(requests));
    out.finished.reserve(static_cast<std::size_t>(requests));
  }
  auto start = clock_type::now();
  auto client = [&](connection& conn) {
    // Samples stay thread-local until the end, so that recording them
    // takes no lock between requests.
    std::vector<double> latencies;
    std::vector<double> finished;
    try {
      for (auto i = next++; i < requests && !stop; i = next++) {
        auto req = make(i);
        auto sent = clock_type::now();
        auto res = conn.exchange(req);
        auto done = clock_type::now();
        latencies.push_back(micros(done - sent));
        finished.push_back(micros(done - start) / 1e6);
        if (res.result_int() != expected)
          throw std::runtime_error{
            "http_load: " + std::string{req.target()} + " answered "
            + std::to_string(res.result_int()) + ": " + res.body()};
        if (sink)
          sink(i, res);
        if (done >= deadline)
          break;
      }
    } catch (...) {
      stop = true;
      std::lock_guard<std::mutex> guard{mtx};
      if (!failure)
        failure = std::current_exception();
    }
    std::lock_guard<std::mutex> guard{mtx};
    out.latencies.insert(out.latencies.end(), latencies.begin(),
                         latencies.end());
    out.finished.insert(out.finished.end(), finished.begin(), finished.end());
  };
  std::vector<std::thread> threads;
  for (auto& conn : connections_)
    threads.emplace_back(client, std::ref(*conn));
  for (auto& t : threads)
    t.join();
  auto seconds = micros(clock_type::now() - start) / 1e6;
  if (failure)
    std::rethrow_exception(failure);
  out.requests_per_second = out.latencies.size() / seconds;
  return out;
}

} // namespace stagehand::bench
