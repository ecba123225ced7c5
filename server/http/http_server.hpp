#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <caf/error.hpp>
#include <spdlog/logger.h>

#include "server/http/http_connection.hpp"
#include "server/http/http_metrics.hpp"
#include "server/http/request_handler.hpp"

namespace stagehand {

/// Accepts HTTP connections and runs them on io threads of its own, never on
/// CAF's scheduler: handlers may block on SQLite. It holds under abuse: at
/// most `max_connections` connections are served at once, and one more gets
/// a 503 and is closed (or, while as many are still being refused so, is
/// closed without an answer); and when `accept` fails, for instance because
/// the process ran out of file descriptors, it waits before trying again
/// instead of spinning on a listening socket that stays readable.
class http_server {
public:
  // -- member types -----------------------------------------------------------

  struct limits {
    /// Connections open at once; the next one is answered 503 and closed.
    std::size_t max_connections = 1024;
    /// What each connection allows its requests (see http_connection).
    http_connection::limits connection;
  };

  /// After a failed `accept`, the first wait; each further failure in a row
  /// doubles it, up to `max_accept_backoff`.
  static constexpr std::chrono::milliseconds initial_accept_backoff{10};
  static constexpr std::chrono::milliseconds max_accept_backoff{1000};

  // -- construction -----------------------------------------------------------

  http_server(request_handler& handler, http_metrics& metrics,
              std::shared_ptr<spdlog::logger> log, limits lim);

  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  ~http_server();

  // -- life cycle -------------------------------------------------------------

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
  // -- implementation ---------------------------------------------------------

  void accept();

  /// Serves `socket`, or refuses it if the cap is reached.
  void admit(boost::asio::ip::tcp::socket socket);

  /// Waits before the next `accept`, doubling the wait per failure in a row;
  /// logs the first failure of a burst only.
  void back_off(const boost::system::error_code& ec);

  boost::asio::io_context ioc_;
  /// The acceptor and its retry timer; a strand, because `stop_accepting`
  /// closes them from another thread than the one that accepts.
  boost::asio::strand<boost::asio::io_context::executor_type> accept_strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
  std::chrono::milliseconds backoff_ = initial_accept_backoff;
  std::size_t failures_in_a_row_ = 0;
  request_handler& handler_;
  http_metrics& metrics_;
  std::shared_ptr<spdlog::logger> log_;
  const limits limits_;
  /// Shared with the connections, which may outlive the server in a reply
  /// that a handler still holds.
  http_connection::open_count open_;
  /// Connections being answered 503; as many as the cap at most, so that a
  /// flood cannot hold descriptors in refusals either.
  http_connection::open_count refusing_;
  std::vector<std::thread> threads_;
};

} // namespace stagehand
