#include "server/api/metrics_page.hpp"

#include <boost/beast/http/field.hpp>
#include <spdlog/fmt/fmt.h>

namespace stagehand {

namespace {

/// A label value as the text format wants it: a node name is the operator's
/// choice, so a quote, a backslash or a newline in it must not end the label.
std::string escape_label(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

/// One family with a series per node; `value` picks the node's figure.
template <class Value>
void render_nodes(std::string& out, const std::vector<node_load>& nodes,
                  const char* name, const char* type, const char* help,
                  Value value) {
  out += fmt::format("# HELP {0} {1}\n# TYPE {0} {2}\n", name, help, type);
  for (auto& n : nodes)
    out += fmt::format("{}{{node=\"{}\"}} {}\n", name, escape_label(n.name),
                       value(n));
}

/// Nothing without nodes: a server without a runtime has no node to show.
void render_nodes(std::string& out, const std::vector<node_load>& nodes) {
  if (nodes.empty())
    return;
  render_nodes(out, nodes, "stagehand_node_running", "gauge",
               "Page tasks and background sessions running on the node.",
               [](const node_load& n) { return n.running; });
  render_nodes(out, nodes, "stagehand_node_capacity", "gauge",
               "Codeunits the node runs at once, as placement weighs it.",
               [](const node_load& n) { return n.capacity; });
  render_nodes(out, nodes, "stagehand_node_lost_total", "counter",
               "Times a node of this name was lost.",
               [](const node_load& n) { return n.lost_total; });
  render_nodes(out, nodes, "stagehand_node_last_heard_seconds", "gauge",
               "Seconds since the coordinator last heard from the node.",
               [](const node_load& n) {
                 return fmt::format("{:.3f}", n.last_heard_seconds);
               });
}

} // namespace

http_response
metrics_page(const counters& stats, const std::vector<node_load>& nodes,
             const std::map<operation_status, std::int64_t>& by_status,
             const http_metrics& http, const operation_totals& totals) {
  std::string out;
  auto gauge = [&](const char* name, const char* help, std::uint64_t value) {
    out += fmt::format("# HELP {0} {1}\n# TYPE {0} gauge\n{0} {2}\n", name,
                       help, value);
  };
  gauge("stagehand_active_child_sessions",
        "Page background tasks holding a running slot.",
        stats.active_child_sessions);
  gauge("stagehand_active_background_sessions",
        "Background sessions running, operation attempts among them.",
        stats.active_background_sessions);
  gauge("stagehand_queued_background_sessions",
        "Background sessions waiting for a slot.",
        stats.queued_background_sessions);
  gauge("stagehand_queued_tasks", "Page background tasks waiting for a slot.",
        stats.queued_tasks);
  out += "# HELP stagehand_cancels_total Cancels of running page tasks "
         "and background sessions (cancelled, stopped or timed out) by "
         "state: each sent to a worker counts as requested, then each counts "
         "once as acknowledged or forced.\n"
         "# TYPE stagehand_cancels_total counter\n";
  for (auto [state, value] :
       {std::pair{"requested", stats.cancels_requested},
        std::pair{"acknowledged", stats.cancels_acknowledged},
        std::pair{"forced", stats.cancels_forced}})
    out += fmt::format("stagehand_cancels_total{{state=\"{}\"}} {}\n", state,
                       value);
  render_nodes(out, nodes);
  out += "# HELP stagehand_operations Stored operations by status.\n"
         "# TYPE stagehand_operations gauge\n";
  for (auto s :
       {operation_status::waiting_for_resources, operation_status::in_progress,
        operation_status::canceling, operation_status::succeeded,
        operation_status::failed, operation_status::canceled}) {
    auto i = by_status.find(s);
    out += fmt::format("stagehand_operations{{status=\"{}\",code=\"{}\"}} {}\n",
                       label(s), status_code(s),
                       i != by_status.end() ? i->second : 0);
  }
  out += "# HELP stagehand_operations_total Operations submitted, and "
         "operations that ended, by outcome, since the server started.\n"
         "# TYPE stagehand_operations_total counter\n";
  for (auto [event, value] : {std::pair{"submitted", totals.submitted},
                              std::pair{"succeeded", totals.succeeded},
                              std::pair{"failed", totals.failed},
                              std::pair{"canceled", totals.canceled}})
    out += fmt::format("stagehand_operations_total{{event=\"{}\"}} {}\n",
                       event, value);
  http.render(out);
  http_response res{boost::beast::http::status::ok, 11};
  res.set(boost::beast::http::field::content_type, "text/plain; version=0.0.4");
  res.body() = std::move(out);
  res.prepare_payload();
  return res;
}

} // namespace stagehand
