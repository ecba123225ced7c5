#include "core/errc.hpp"

#include <caf/sec.hpp>

#include "messages/cancel_reason.hpp"

namespace stagehand {

std::string to_string(errc x) {
  switch (x) {
  case errc::unknown_codeunit:
    return "unknown_codeunit";
  case errc::queue_full:
    return "queue_full";
  case errc::page_closed:
    return "page_closed";
  case errc::session_closed:
    return "session_closed";
  case errc::negative_timeout:
    return "negative_timeout";
  case errc::task_cancelled:
    return "task_cancelled";
  case errc::task_failed:
    return "task_failed";
  case errc::unknown_company:
    return "unknown_company";
  case errc::company_unreadable:
    return "company_unreadable";
  case errc::session_queue_full:
    return "session_queue_full";
  case errc::session_recursion:
    return "session_recursion";
  case errc::cannot_stop_self:
    return "cannot_stop_self";
  case errc::budget_spent:
    return "budget_spent";
  case errc::unknown_session:
    return "unknown_session";
  case errc::shutting_down:
    return "shutting_down";
  case errc::no_answer:
    return "no_answer";
  case errc::not_permitted:
    return "not_permitted";
  case errc::coordinator_unreachable:
    return "coordinator_unreachable";
  case errc::certificate_refused:
    return "certificate_refused";
  case errc::incompatible_version:
    return "incompatible_version";
  case errc::message_types_mismatch:
    return "message_types_mismatch";
  case errc::duplicate_node:
    return "duplicate_node";
  case errc::node_lost:
    return "node_lost";
  case errc::cluster_unavailable:
    return "cluster_unavailable";
  }
  return "unknown";
}

caf::error make_error(errc code, caf::message context) {
  return {static_cast<std::uint8_t>(code), errc_category, std::move(context)};
}

namespace {

std::string render(errc code, const caf::message& ctx) {
  using std::to_string;
  switch (code) {
  case errc::unknown_codeunit:
    if (ctx.match_elements<std::int32_t>())
      return "Codeunit " + to_string(ctx.get_as<std::int32_t>(0))
             + " is not registered.";
    break;
  case errc::queue_full:
    if (ctx.match_elements<std::uint64_t, std::uint64_t>())
      return "The background task queue of session "
             + to_string(ctx.get_as<std::uint64_t>(0)) + " is full ("
             + to_string(ctx.get_as<std::uint64_t>(1)) + " tasks are waiting).";
    break;
  case errc::page_closed:
    return "The page is closed.";
  case errc::session_closed:
    return "The session is closed.";
  case errc::negative_timeout:
    if (ctx.match_elements<std::int64_t>())
      return "The timeout must not be negative (got "
             + to_string(ctx.get_as<std::int64_t>(0)) + " ms).";
    break;
  case errc::task_cancelled:
    if (ctx.match_elements<std::uint64_t, cancel_reason>())
      return "Task " + to_string(ctx.get_as<std::uint64_t>(0))
             + " was cancelled ("
             + stagehand::to_string(ctx.get_as<cancel_reason>(1)) + ").";
    break;
  case errc::task_failed:
    if (ctx.match_elements<std::string, std::string>())
      return ctx.get_as<std::string>(0) + ": " + ctx.get_as<std::string>(1);
    break;
  case errc::unknown_company:
    if (ctx.match_elements<std::string, std::string>())
      return "Company '" + ctx.get_as<std::string>(0) + "' does not exist ("
             + ctx.get_as<std::string>(1) + ").";
    break;
  case errc::company_unreadable:
    if (ctx.match_elements<std::string, std::string, std::string>())
      return "Company '" + ctx.get_as<std::string>(0) + "' cannot be opened ("
             + ctx.get_as<std::string>(1) + "): " + ctx.get_as<std::string>(2);
    break;
  case errc::session_queue_full:
    if (ctx.match_elements<std::uint64_t>())
      return "The background session queue is full ("
             + to_string(ctx.get_as<std::uint64_t>(0))
             + " sessions are waiting).";
    break;
  case errc::session_recursion:
    if (ctx.match_elements<std::uint64_t, std::uint64_t>())
      return "Excessive recursive session creation detected, original "
             "session ID: "
             + to_string(ctx.get_as<std::uint64_t>(0))
             + ", current session ID: "
             + to_string(ctx.get_as<std::uint64_t>(1)) + ".";
    break;
  case errc::cannot_stop_self:
    if (ctx.match_elements<std::uint64_t>())
      return "Session " + to_string(ctx.get_as<std::uint64_t>(0))
             + " cannot stop itself.";
    break;
  case errc::budget_spent:
    if (ctx.match_elements<std::uint64_t>())
      return "Session " + to_string(ctx.get_as<std::uint64_t>(0))
             + " has no time left of its timeout, so it cannot start a "
               "session that would inherit it; give that session a timeout "
               "of its own.";
    break;
  case errc::unknown_session:
    if (ctx.match_elements<std::uint64_t>())
      return "Session " + to_string(ctx.get_as<std::uint64_t>(0))
             + " is not active and has not ended recently.";
    break;
  case errc::shutting_down:
    return "The server is shutting down.";
  case errc::no_answer:
    if (ctx.match_elements<std::string, std::int64_t>())
      return "No answer within " + to_string(ctx.get_as<std::int64_t>(1))
             + " ms (" + ctx.get_as<std::string>(0) + ").";
    break;
  case errc::not_permitted:
    if (ctx.match_elements<std::string>())
      return "Only the runtime itself may send " + ctx.get_as<std::string>(0)
             + ".";
    break;
  case errc::coordinator_unreachable:
    if (ctx.match_elements<std::string, std::uint16_t, std::string>())
      return "No coordinator reachable at " + ctx.get_as<std::string>(0) + ":"
             + to_string(ctx.get_as<std::uint16_t>(1)) + ": "
             + ctx.get_as<std::string>(2) + ".";
    break;
  case errc::certificate_refused:
    if (ctx.match_elements<std::string, std::uint16_t>())
      return "The TLS handshake with " + ctx.get_as<std::string>(0) + ":"
             + to_string(ctx.get_as<std::uint16_t>(1))
             + " was refused: the certificate (cluster-certificate) was "
               "not signed by the other side's CA (cluster-ca), or one side "
               "has none.";
    break;
  case errc::incompatible_version:
    if (ctx.match_elements<std::uint32_t, std::uint32_t>())
      return "Incompatible version: this node speaks cluster protocol "
             + to_string(ctx.get_as<std::uint32_t>(0)) + ", the other "
             + to_string(ctx.get_as<std::uint32_t>(1)) + ".";
    if (ctx.match_elements<std::string>())
      return "Incompatible version: " + ctx.get_as<std::string>(0) + ".";
    break;
  case errc::message_types_mismatch:
    if (ctx.match_elements<std::string, std::string>())
      return "Message-type mismatch: this node registers message types "
             + ctx.get_as<std::string>(0) + ", the other "
             + ctx.get_as<std::string>(1)
             + "; build both from the same Stagehand.";
    break;
  case errc::duplicate_node:
    if (ctx.match_elements<std::string>())
      return "A live node is already called '" + ctx.get_as<std::string>(0)
             + "' (set stagehand.node-name).";
    break;
  case errc::node_lost:
    if (ctx.match_elements<std::string>())
      return "Node " + ctx.get_as<std::string>(0) + " was lost.";
    break;
  case errc::cluster_unavailable:
    if (ctx.match_elements<std::string>())
      return "The cluster door is closed: " + ctx.get_as<std::string>(0)
             + ".";
    break;
  }
  return to_string(code);
}

} // namespace

std::string render_errc(std::uint8_t code, caf::atom_value,
                        const caf::message& context) {
  return render(static_cast<errc>(code), context);
}

std::string describe(const caf::error& err) {
  if (!err)
    return "no error";
  if (err.category() == errc_category)
    return render(static_cast<errc>(err.code()), err.context());
  if (err == caf::sec::request_receiver_down)
    return "The receiver is gone (its page or session has closed).";
  return caf::to_string(err);
}

bool is(const caf::error& err, errc code) {
  return err.category() == errc_category
         && err.code() == static_cast<std::uint8_t>(code);
}

} // namespace stagehand
