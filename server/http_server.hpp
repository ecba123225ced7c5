#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <caf/error.hpp>
#include <spdlog/logger.h>

#include "server/http_metrics.hpp"
#include "server/request_handler.hpp"

namespace stagehand {

/// Accepts HTTP connections and runs them on io threads of its own, never on
/// CAF's scheduler: handlers may block on SQLite.
class http_server {
public:
  http_server(request_handler& handler, http_metrics& metrics,
              std::shared_ptr<spdlog::logger> log);

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  ~http_server();

  /// Binds and listens; port 0 picks a free port.
  caf::error listen(const std::string& address, std::uint16_t port);

  /// The bound address and port.
  boost::asio::ip::tcp::endpoint local_endpoint() const;

  /// Starts accepting on `threads` io threads.
  void start(std::size_t threads);

  /// Closes the listening socket; open connections go on being served.
  void stop_accepting();

  /// Stops the io threads; open connections are dropped.
  void stop();

private:
  void accept();

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  request_handler& handler_;
  http_metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
  std::vector<std::thread> threads_;
};

} // namespace stagehand
