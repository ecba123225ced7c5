#include "cluster/cluster_door.hpp"

#include <caf/actor_cast.hpp>
#include <caf/system_messages.hpp>

#include "core/errc.hpp"

namespace stagehand {

namespace {

/// The reason a join is refused, or none.
caf::error check(const cluster_door_state& st, const worker_join& req) {
  if (req.protocol != cluster_protocol)
    return make_error(errc::incompatible_version,
                      caf::make_message(std::uint32_t{cluster_protocol},
                                        req.protocol));
  if (req.types != st.types)
    return make_error(errc::message_types_mismatch,
                      caf::make_message(st.types, req.types));
  if (req.node.empty() || !req.agent)
    return make_error(errc::incompatible_version,
                      caf::make_message(
                        std::string{"a join without node name or agent"}));
  return caf::none;
}

std::string codeunit_list(const std::vector<codeunit_id>& ids) {
  std::string out;
  for (auto id : ids)
    out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

} // namespace

cluster_door_actor::behavior_type
cluster_door(cluster_door_actor::stateful_pointer<cluster_door_state> self,
             std::shared_ptr<node_table> nodes, std::string node,
             std::string types, std::shared_ptr<spdlog::logger> log) {
  auto& st = self->state;
  st.nodes = std::move(nodes);
  st.node = std::move(node);
  st.types = std::move(types);
  st.log = std::move(log);
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& st = self->state;
    // Only the agent's own proxy reports its end; a down message is a
    // system message, which no typed face filters.
    auto& sender = self->current_sender();
    auto entry = st.nodes->find(msg.source);
    if (!entry || sender == nullptr || sender->address() != msg.source)
      return;
    // A supervisor with tasks there may have marked it lost first; the door
    // monitors each agent once, so this logs each loss once.
    st.nodes->mark_lost(msg.source);
    st.log->warn("event=worker_lost node={} reason={}", entry->name,
                 caf::to_string(msg.reason));
  });
  return {
    [self](worker_join& req) -> caf::result<worker_welcome> {
      auto& st = self->state;
      auto refuse = [&](caf::error err) {
        st.log->warn("event=worker_refused node={} reason=\"{}\"", req.node,
                     describe(err));
        return err;
      };
      if (auto err = check(st, req))
        return refuse(std::move(err));
      node_entry entry;
      entry.name = req.node;
      entry.agent = req.agent;
      entry.capacity = req.capacity;
      entry.codeunits = req.codeunits;
      if (auto err = st.nodes->add(std::move(entry)))
        return refuse(std::move(err));
      self->monitor(req.agent);
      st.log->info("event=worker_joined node={} capacity={} codeunits={}",
                   req.node, req.capacity, codeunit_list(req.codeunits));
      return worker_welcome{st.node};
    },
  };
}

} // namespace stagehand
