#include "server/http/delivery_errc.hpp"

#include "core/errc.hpp"

namespace stagehand {

std::string to_string(delivery_errc x) {
  switch (x) {
  case delivery_errc::bad_url:
    return "bad_url";
  case delivery_errc::target_refused:
    return "target_refused";
  case delivery_errc::unresolvable_host:
    return "unresolvable_host";
  case delivery_errc::http_failed:
    return "http_failed";
  case delivery_errc::cancelled:
    return "cancelled";
  case delivery_errc::lookups_busy:
    return "lookups_busy";
  case delivery_errc::bad_allowlist_entry:
    return "bad_allowlist_entry";
  case delivery_errc::bad_setting:
    return "bad_setting";
  case delivery_errc::bad_signature:
    return "bad_signature";
  case delivery_errc::bad_ca_file:
    return "bad_ca_file";
  }
  return "unknown";
}

caf::error make_error(delivery_errc code, caf::message context) {
  return {static_cast<std::uint8_t>(code), delivery_errc_category,
          std::move(context)};
}

namespace {

std::string render(delivery_errc code, const caf::message& ctx) {
  auto str = [&](size_t i) {
    return ctx.get_as<std::string>(i);
  };
  switch (code) {
  case delivery_errc::bad_url:
    if (ctx.match_elements<std::string, std::string>())
      return "The URL '" + str(0) + "' is not valid: " + str(1) + ".";
    break;
  case delivery_errc::target_refused:
    if (ctx.match_elements<std::string, std::string>())
      return "The URL '" + str(0) + "' is not allowed: " + str(1) + ".";
    break;
  case delivery_errc::unresolvable_host:
    if (ctx.match_elements<std::string, std::string, std::string>())
      return "The host '" + str(1) + "' of the URL '" + str(0)
             + "' cannot be resolved: " + str(2) + ".";
    break;
  case delivery_errc::http_failed:
    if (ctx.match_elements<std::string, std::string>())
      return "POST to '" + str(0) + "' failed: " + str(1) + ".";
    break;
  case delivery_errc::cancelled:
    if (ctx.match_elements<std::string>())
      return "POST to '" + str(0) + "' was cancelled: server shutdown.";
    break;
  case delivery_errc::bad_allowlist_entry:
    if (ctx.match_elements<std::string, std::string>())
      return "The callback allowlist entry '" + str(0)
             + "' is not valid: " + str(1) + ".";
    break;
  case delivery_errc::bad_setting:
    if (ctx.match_elements<std::string, std::string>())
      return "The notifier setting '" + str(0) + "' is not valid: " + str(1)
             + ".";
    break;
  case delivery_errc::bad_signature:
    if (ctx.match_elements<std::string>())
      return "The signature does not verify: " + str(0) + ".";
    break;
  case delivery_errc::lookups_busy:
    if (ctx.match_elements<std::string>())
      return "The host of the URL '" + str(0)
             + "' cannot be looked up now: too many lookups are in progress.";
    break;
  case delivery_errc::bad_ca_file:
    if (ctx.match_elements<std::string, std::string>())
      return "The CA file '" + str(0) + "' cannot be loaded: " + str(1) + ".";
    break;
  }
  return to_string(code);
}

} // namespace

std::string describe_delivery(const caf::error& err) {
  if (err && err.category() == delivery_errc_category)
    return render(static_cast<delivery_errc>(err.code()), err.context());
  return describe(err);
}

bool is(const caf::error& err, delivery_errc code) {
  return err.category() == delivery_errc_category
         && err.code() == static_cast<std::uint8_t>(code);
}

} // namespace stagehand
