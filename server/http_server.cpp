#include "server/http_server.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <caf/sec.hpp>

#include "server/http_connection.hpp"

namespace stagehand {

namespace net = boost::asio;
using tcp = net::ip::tcp;

http_server::http_server(request_handler& handler, http_metrics& metrics,
                         std::shared_ptr<spdlog::logger> log)
  : acceptor_(ioc_), handler_(handler), metrics_(metrics),
    log_(std::move(log)) {}

http_server::~http_server() {
  stop();
}

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
  accept();
  for (std::size_t i = 0; i < threads; ++i)
    threads_.emplace_back([this] { ioc_.run(); });
}

void http_server::accept() {
  acceptor_.async_accept(
    net::make_strand(ioc_), [this](boost::system::error_code ec,
                                   tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open())
        return;
      if (ec)
        log_->warn("event=accept_failed reason=\"{}\"", ec.message());
      else
        std::make_shared<http_connection>(std::move(socket), handler_,
                                          metrics_)
          ->start();
      accept();
    });
}

void http_server::stop_accepting() {
  // The acceptor belongs to the io threads; close it on one of them.
  net::post(ioc_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
}

void http_server::stop() {
  ioc_.stop();
  for (auto& t : threads_)
    t.join();
  threads_.clear();
}

} // namespace stagehand
