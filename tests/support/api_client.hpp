#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

namespace stagehand::test {

/// One answer as a test looks at it.
struct api_response {
  unsigned status = 0;
  /// Header names in lower case.
  std::map<std::string, std::string> headers;
  std::string body;

  nlohmann::json json() const {
    return nlohmann::json::parse(body);
  }

  std::string header(const std::string& lower_name) const {
    auto i = headers.find(lower_name);
    return i != headers.end() ? i->second : std::string{};
  }
};

/// Checks that `res` is an error answer with `status` and the JSON error
/// body, and with `message` as its text unless that is empty.
inline void check_error(const api_response& res, unsigned status,
                        const std::string& message = "") {
  BOOST_CHECK_EQUAL(res.status, status);
  auto body = res.json();
  BOOST_REQUIRE(body.contains("error"));
  BOOST_CHECK(body["error"].at("code").is_string());
  BOOST_CHECK(body["error"].at("message").is_string());
  if (!message.empty())
    BOOST_CHECK_EQUAL(body["error"]["message"].get<std::string>(), message);
}

/// A blocking HTTP/1.1 client on one keep-alive loopback connection, with a
/// bearer key; it reconnects when the server closed the connection.
class api_client {
public:
  using headers = std::map<std::string, std::string>;

  explicit api_client(std::uint16_t port, std::string key = "")
    : port_(port), key_(std::move(key)) {}

  api_response request(boost::beast::http::verb verb, const std::string& target,
                       const std::string& body = "", const headers& extra = {}) {
    namespace http = boost::beast::http;
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    if (!key_.empty())
      req.set(http::field::authorization, "Bearer " + key_);
    for (auto& [name, value] : extra)
      req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    for (int tries = 0;; ++tries) {
      try {
        ensure_connected();
        http::write(*socket_, req);
        return read_response();
      } catch (const boost::system::system_error&) {
        // The server closed the kept-alive connection; one fresh try.
        socket_.reset();
        if (tries > 0)
          throw;
      }
    }
  }

  api_response get(const std::string& target, const headers& extra = {}) {
    return request(boost::beast::http::verb::get, target, "", extra);
  }

  api_response post(const std::string& target, const std::string& body,
                    const headers& extra = {}) {
    return request(boost::beast::http::verb::post, target, body, extra);
  }

  api_response del(const std::string& target) {
    return request(boost::beast::http::verb::delete_, target);
  }

  /// Sends `bytes` as they are on a fresh connection and reads one answer.
  api_response raw(const std::string& bytes) {
    socket_.reset();
    ensure_connected();
    boost::asio::write(*socket_, boost::asio::buffer(bytes));
    auto res = read_response();
    socket_.reset();
    return res;
  }

  /// Polls `predicate` every 2 ms until it holds, failing the test with
  /// `what` once `deadline` has passed. Every polling loop of the server
  /// tests goes through here, so none spins or waits for ever.
  template <class Predicate>
  static void wait_until(std::chrono::milliseconds deadline,
                         const std::string& what, Predicate&& predicate) {
    auto until = std::chrono::steady_clock::now() + deadline;
    while (!predicate()) {
      BOOST_REQUIRE_MESSAGE(std::chrono::steady_clock::now() < until,
                            "gave up after " << deadline.count()
                                             << " ms waiting for " << what);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }

  /// The status path of operation `id`.
  static std::string status_path(const std::string& id) {
    return "/api/data/v9.2/backgroundoperations(" + id + ")";
  }

  /// `GET` of operation `id`'s status, which must answer 200.
  nlohmann::json status(const std::string& id) {
    auto res = get(status_path(id));
    BOOST_REQUIRE_MESSAGE(res.status == 200, res.status << " " << res.body);
    return res.json();
  }

  /// Polls operation `id` until its status code is `code`.
  nlohmann::json wait_status(const std::string& id, int code,
                             std::chrono::milliseconds deadline
                             = std::chrono::seconds(20)) {
    nlohmann::json body;
    wait_until(deadline,
               "operation " + id + " to reach status " + std::to_string(code),
               [&] {
                 body = status(id);
                 return body.at("backgroundOperationStatusCode") == code;
               });
    return body;
  }

  /// Polls operation `id` until it is Completed (state 3).
  nlohmann::json wait_terminal(const std::string& id,
                               std::chrono::milliseconds deadline
                               = std::chrono::seconds(20)) {
    nlohmann::json body;
    wait_until(deadline, "operation " + id + " to finish", [&] {
      body = status(id);
      return body.at("backgroundOperationStateCode") == 3;
    });
    return body;
  }

  /// Submits `op` with `body` asynchronously; checks the 202 and returns the
  /// operation id.
  std::string submit(const std::string& op, const std::string& body,
                     headers extra = {}) {
    extra.emplace("Prefer", "respond-async");
    auto res = post("/api/data/v9.2/" + op, body, extra);
    BOOST_REQUIRE_MESSAGE(res.status == 202, res.status << " " << res.body);
    return res.json().at("backgroundOperationId").get<std::string>();
  }

private:
  void ensure_connected() {
    if (socket_)
      return;
    socket_.emplace(ioc_);
    socket_->connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    buffer_.clear();
  }

  api_response read_response() {
    namespace http = boost::beast::http;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(*socket_, buffer_, parser);
    auto& msg = parser.get();
    api_response out;
    out.status = msg.result_int();
    for (auto& field : msg) {
      std::string name{field.name_string()};
      for (auto& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string{field.value()};
    }
    out.body = msg.body();
    if (!msg.keep_alive())
      socket_.reset();
    return out;
  }

  boost::asio::io_context ioc_;
  std::uint16_t port_;
  std::string key_;
  std::optional<boost::asio::ip::tcp::socket> socket_;
  boost::beast::flat_buffer buffer_;
};

} // namespace stagehand::test
