#include "server/security/target_check.hpp"

#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <caf/make_message.hpp>
#include <pthread.h>

#include "server/http/delivery_errc.hpp"

namespace stagehand {

struct target_check::pending {
  pending(boost::asio::io_context& ioc, std::string text, url where,
          verdict on_done)
    : url_text(std::move(text)), location(std::move(where)),
      done(std::move(on_done)), timer(ioc) {}

  std::string url_text;
  url location;
  verdict done;
  boost::asio::steady_timer timer;
  bool finished = false;
};

// -- construction -------------------------------------------------------------

target_check::target_check(callback_allowlist allowlist,
                           std::chrono::milliseconds deadline, lookup resolve)
  : allowlist_(std::move(allowlist)), deadline_(deadline),
    resolve_(std::move(resolve)), work_(ioc_.get_executor()) {
  thread_ = std::thread{[this] {
    pthread_setname_np(pthread_self(), "stagehand.dns");
    ioc_.run();
  }};
}

target_check::~target_check() {
  shutdown();
}

void target_check::system_lookup(boost::asio::io_context& ioc,
                                 const std::string& host, lookup_done done) {
  using boost::asio::ip::tcp;
  auto resolver = std::make_shared<tcp::resolver>(ioc);
  resolver->async_resolve(
    host, "",
    [resolver,
     done = std::move(done)](const boost::system::error_code& ec,
                             const tcp::resolver::results_type& results) {
      std::vector<address> addresses;
      for (const auto& entry : results) {
        auto addr = entry.endpoint().address();
        if (std::find(addresses.begin(), addresses.end(), addr)
            == addresses.end())
          addresses.push_back(addr);
      }
      done(ec, std::move(addresses));
    });
}

// -- checks -------------------------------------------------------------------

void target_check::check(const std::string& text, verdict done) {
  auto location = url::parse(text);
  if (!location)
    return done(std::move(location.error()));
  if (!callback_allowlist::needs_lookup(*location)) {
    auto result = allowlist_.judge(text, std::move(*location), {}, {});
    return done(result ? caf::error{} : std::move(result.error()));
  }
  auto p = std::make_shared<pending>(ioc_, text, std::move(*location),
                                     std::move(done));
  auto refusal = delivery_errc::cancelled;
  {
    // Under the lock, so that no start is posted after shutdown's sweep,
    // and so that a check joins a lookup before that lookup's verdicts.
    std::lock_guard<std::mutex> guard{mtx_};
    auto& host = p->location.host;
    auto running = lookups_.find(host);
    auto first = running == lookups_.end();
    auto room = first ? lookups_.size() < max_lookups
                      : running->second.size() < max_checks_per_lookup;
    if (!stopped_ && room) {
      lookups_[host].push_back(p);
      boost::asio::post(ioc_, [this, p, first] {
        arm(p);
        if (first)
          resolve(p->location.host);
      });
      return;
    }
    if (!stopped_)
      refusal = delivery_errc::lookups_busy;
  }
  p->done(make_error(refusal, caf::make_message(text)));
}

void target_check::arm(const std::shared_ptr<pending>& p) {
  pending_.insert(p);
  p->timer.expires_after(deadline_);
  p->timer.async_wait([this, p](const boost::system::error_code& ec) {
    if (ec)
      return;
    finish(p, make_error(delivery_errc::unresolvable_host,
                         caf::make_message(p->url_text, p->location.host,
                                           "the lookup took longer than "
                                             + std::to_string(deadline_.count())
                                             + " ms")));
  });
}

void target_check::resolve(const std::string& host) {
  resolve_(
    ioc_, host,
    [this, host](boost::system::error_code ec, std::vector<address> addresses) {
      std::vector<std::shared_ptr<pending>> waiting;
      {
        std::lock_guard<std::mutex> guard{mtx_};
        auto i = lookups_.find(host);
        waiting = std::move(i->second);
        lookups_.erase(i);
      }
      // Back on the check's thread, which alone touches `pending_`.
      boost::asio::post(ioc_, [this, waiting = std::move(waiting), ec,
                               addresses = std::move(addresses)] {
        for (auto& p : waiting) {
          if (p->finished)
            continue;
          auto result
            = allowlist_.judge(p->url_text, p->location, ec, addresses);
          finish(p, result ? caf::error{} : std::move(result.error()));
        }
      });
    });
}

void target_check::finish(const std::shared_ptr<pending>& p, caf::error err) {
  if (p->finished)
    return;
  p->finished = true;
  p->timer.cancel();
  pending_.erase(p);
  // Let go of the verdict, and the connection it answers, now: handlers of
  // this check may stay queued until the check is destroyed, after the HTTP
  // server whose sockets the connection holds.
  auto done = std::exchange(p->done, nullptr);
  done(std::move(err));
}

void target_check::shutdown() {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    if (stopped_)
      return;
    stopped_ = true;
  }
  boost::asio::post(ioc_, [this] {
    auto left = pending_;
    for (auto& p : left)
      finish(p, make_error(delivery_errc::cancelled,
                           caf::make_message(p->url_text)));
    ioc_.stop();
  });
  thread_.join();
}

} // namespace stagehand
