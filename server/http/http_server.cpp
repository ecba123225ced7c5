#include "server/http/http_server.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>
#include <caf/sec.hpp>

namespace stagehand {

namespace net = boost::asio;
using tcp = net::ip::tcp;

http_server::http_server(request_handler& handler, http_metrics& metrics,
                         std::shared_ptr<spdlog::logger> log, limits lim)
  : accept_strand_(net::make_strand(ioc_)), acceptor_(accept_strand_),
    retry_timer_(accept_strand_), handler_(handler), metrics_(metrics),
    log_(std::move(log)), limits_(lim),
    open_(std::make_shared<std::atomic<std::size_t>>(0)),
    refusing_(std::make_shared<std::atomic<std::size_t>>(0)) {}

http_server::~http_server() {
  stop();
}

// -- life cycle ---------------------------------------------------------------

caf::error http_server::listen(const std::string& address,
                               std::uint16_t port) {
  boost::system::error_code ec;
  auto ip = net::ip::make_address(address, ec);
  if (ec)
    return caf::make_error(caf::sec::invalid_argument,
                           "http-address '" + address + "': " + ec.message());
  tcp::endpoint endpoint{ip, port};
  auto fail = [&](const char* step) {
    return caf::make_error(caf::sec::cannot_open_port,
                           std::string{step} + " " + address + ":"
                             + std::to_string(port) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec)
    return fail("cannot open");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec)
    return fail("cannot bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return fail("cannot listen on");
  return caf::none;
}

tcp::endpoint http_server::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

void http_server::start(std::size_t threads) {
  net::post(accept_strand_, [this] { accept(); });
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { ioc_.run(); });
}

void http_server::stop_accepting() {
  net::post(accept_strand_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
  });
}

void http_server::stop() {
  ioc_.stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
}

// -- implementation -----------------------------------------------------------

void http_server::accept() {
  acceptor_.async_accept(
    net::make_strand(ioc_), [this](boost::system::error_code ec,
                                   tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open())
        return;
      if (ec)
        return back_off(ec);
      if (failures_in_a_row_ > 0)
        log_->info("event=accept_recovered failures={}", failures_in_a_row_);
      failures_in_a_row_ = 0;
      backoff_ = initial_accept_backoff;
      admit(std::move(socket));
      accept();
    });
}

void http_server::admit(tcp::socket socket) {
  // Only this strand increments, so a count read here does not grow before
  // the increment; connections ending elsewhere only make room.
  if (*open_ < limits_.max_connections) {
    ++*open_;
    std::make_shared<http_connection>(std::move(socket), handler_, metrics_,
                                      limits_.connection, open_)
      ->start();
    return;
  }
  metrics_.connection_refused();
  if (*refusing_ >= limits_.max_connections)
    return; // `socket` closes here, unanswered.
  ++*refusing_;
  std::make_shared<http_connection>(std::move(socket), handler_, metrics_,
                                    limits_.connection, refusing_)
    ->refuse();
}

void http_server::back_off(const boost::system::error_code& ec) {
  metrics_.accept_failed();
  // The listening socket stays readable while, say, the descriptors are
  // used up: accepting again at once would spin a core and flood the log.
  if (failures_in_a_row_++ == 0)
    log_->warn("event=accept_failed reason=\"{}\" retry_ms={} max_retry_ms={}",
               ec.message(), backoff_.count(), max_accept_backoff.count());
  retry_timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, max_accept_backoff);
  retry_timer_.async_wait([this](boost::system::error_code ec) {
    if (!ec && acceptor_.is_open())
      accept();
  });
}

} // namespace stagehand
