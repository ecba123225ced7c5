#pragma once
// The Beast floor of the HTTP scenarios as a server of its own, so that
// each scenario's floor (http_api's, soak's) answers with the same code.

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace stagehand::bench {

/// The id every accepted answer of the floor names, shaped like
/// Stagehand's, so that status GETs to the floor have a target.
inline constexpr const char* beast_floor_id
  = "0f8fad5b-d9cb-469f-a165-70867728950e";

/// A minimal Boost.Beast server built like Stagehand's http_server
/// (asynchronous, a strand per keep-alive connection, the same number of
/// io threads) that answers every POST with 202 and every GET with 200 and
/// a fixed small JSON body, with no routing, authentication, JSON parsing
/// or database: what HTTP on loopback costs without Stagehand. It listens
/// on a free loopback port until it goes.
class beast_floor_server {
public:
  beast_floor_server();

  beast_floor_server(const beast_floor_server&) = delete;
  beast_floor_server& operator=(const beast_floor_server&) = delete;

  ~beast_floor_server();

  std::uint16_t port() const {
    return acceptor_.local_endpoint().port();
  }

private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

} // namespace stagehand::bench
