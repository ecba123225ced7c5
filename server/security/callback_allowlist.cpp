#include "server/security/callback_allowlist.hpp"

#include <algorithm>
#include <cctype>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <caf/make_message.hpp>

#include "server/http/delivery_errc.hpp"

namespace stagehand {

namespace {

using address = callback_allowlist::address;

/// An IPv4-mapped IPv6 address reaches the IPv4 host, so it is judged as one.
address unmapped(const address& addr) {
  if (addr.is_v6() && addr.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped,
                                            addr.to_v6());
  return addr;
}

/// The first `prefix` bits of `a` and `b` are equal; both of one family.
bool same_prefix(const address& a, const address& b, unsigned prefix) {
  auto compare = [prefix](const auto& x, const auto& y) {
    for (unsigned i = 0; i < x.size() && prefix > i * 8; ++i) {
      auto bits = std::min(8u, prefix - i * 8);
      auto mask = static_cast<unsigned char>(0xff << (8 - bits));
      if ((x[i] & mask) != (y[i] & mask))
        return false;
    }
    return true;
  };
  if (a.is_v4())
    return compare(a.to_v4().to_bytes(), b.to_v4().to_bytes());
  return compare(a.to_v6().to_bytes(), b.to_v6().to_bytes());
}

caf::error bad_entry(const std::string& entry, std::string why) {
  return make_error(delivery_errc::bad_allowlist_entry,
                    caf::make_message(entry, std::move(why)));
}

} // namespace

// -- construction -------------------------------------------------------------

callback_allowlist::callback_allowlist()
  : callback_allowlist(*make({"127.0.0.0/8", "::1", "localhost"})) {}

callback_allowlist::callback_allowlist(std::vector<network> networks,
                                       std::vector<std::string> names,
                                       resolver resolve)
  : networks_(std::move(networks)), names_(std::move(names)),
    resolve_(std::move(resolve)) {}

caf::expected<callback_allowlist>
callback_allowlist::make(const std::vector<std::string>& entries,
                         resolver resolve) {
  std::vector<network> networks;
  std::vector<std::string> names;
  for (const auto& entry : entries) {
    if (entry.empty())
      return bad_entry(entry, "it is empty");
    auto slash = entry.find('/');
    boost::system::error_code ec;
    auto base = boost::asio::ip::make_address(entry.substr(0, slash), ec);
    if (!ec) {
      base = unmapped(base);
      unsigned max_prefix = base.is_v4() ? 32 : 128;
      auto prefix = max_prefix;
      if (slash != std::string::npos) {
        auto digits = entry.substr(slash + 1);
        if (digits.empty() || digits.size() > 3
            || !std::all_of(digits.begin(), digits.end(),
                            [](unsigned char c) {
                              return std::isdigit(c);
                            })
            || std::stoul(digits) > max_prefix)
          return bad_entry(entry, "the prefix length must be a number from 0 "
                                  "to "
                                    + std::to_string(max_prefix));
        prefix = static_cast<unsigned>(std::stoul(digits));
      }
      networks.push_back({base, prefix});
      continue;
    }
    // A host name is whatever a URL would accept as one, nothing more.
    auto parsed = url::parse("http://" + entry + "/");
    if (slash != std::string::npos || !parsed || parsed->host != entry)
      return bad_entry(entry, "it is neither an IP address, a CIDR block nor "
                              "a lower-case host name");
    names.push_back(entry);
  }
  return callback_allowlist{std::move(networks), std::move(names),
                            std::move(resolve)};
}

caf::expected<callback_allowlist>
callback_allowlist::configured(const std::vector<std::string>& entries) {
  if (entries.empty())
    return callback_allowlist{};
  return make(entries);
}

std::vector<address>
callback_allowlist::system_resolver(const std::string& host,
                                    boost::system::error_code& ec) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::resolver resolver{ioc};
  auto results = resolver.resolve(host, "", ec);
  std::vector<address> addresses;
  for (const auto& entry : results) {
    auto addr = entry.endpoint().address();
    if (std::find(addresses.begin(), addresses.end(), addr) == addresses.end())
      addresses.push_back(addr);
  }
  return addresses;
}

// -- checks -------------------------------------------------------------------

bool callback_allowlist::allowed(const address& addr) const {
  auto x = unmapped(addr);
  return std::any_of(networks_.begin(), networks_.end(), [&](const network& n) {
    return n.base.is_v4() == x.is_v4() && same_prefix(n.base, x, n.prefix);
  });
}

bool callback_allowlist::needs_lookup(const url& location) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(location.host, ec);
  return static_cast<bool>(ec);
}

caf::expected<callback_allowlist::target>
callback_allowlist::judge(const std::string& text, url location,
                          const boost::system::error_code& ec,
                          std::vector<address> addresses) const {
  const auto host = location.host;
  auto refuse = [&](std::string why) {
    return make_error(delivery_errc::target_refused,
                      caf::make_message(text, std::move(why)));
  };
  boost::system::error_code not_literal;
  auto literal = boost::asio::ip::make_address(host, not_literal);
  if (!not_literal) {
    if (!allowed(literal))
      return refuse(host + " is not in the callback allowlist");
    return target{std::move(location), {literal}};
  }
  if (ec || addresses.empty())
    return make_error(
      delivery_errc::unresolvable_host,
      caf::make_message(text, host,
                        ec ? ec.message() : std::string{"no addresses"}));
  if (std::find(names_.begin(), names_.end(), host) == names_.end())
    for (const auto& addr : addresses)
      if (!allowed(addr))
        return refuse(host + " resolves to " + addr.to_string()
                      + ", which is not in the callback allowlist");
  return target{std::move(location), std::move(addresses)};
}

caf::expected<callback_allowlist::target>
callback_allowlist::resolve(const std::string& text) const {
  auto location = url::parse(text);
  if (!location)
    return std::move(location.error());
  boost::system::error_code ec;
  std::vector<address> addresses;
  if (needs_lookup(*location))
    addresses = resolve_(location->host, ec);
  return judge(text, std::move(*location), ec, std::move(addresses));
}

caf::error callback_allowlist::check(const std::string& text) const {
  auto result = resolve(text);
  return result ? caf::error{} : std::move(result.error());
}

} // namespace stagehand
