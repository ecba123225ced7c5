#include "actors/parent_session.hpp"

#include "actors/sender_check.hpp"
#include "actors/session_supervisor.hpp"
#include "core/errc.hpp"

namespace stagehand {

namespace {

using self_ptr = parent_session_actor::stateful_pointer<parent_session_state>;

/// Completes a close once the last page has gone.
void close_if_done(self_ptr self) {
  auto& st = self->state;
  if (st.closing && st.pages.empty()) {
    self->send(st.supervisor, shutdown_atom::value);
    st.svc->log->info("session_type=Background session_id={} event=closed",
                      st.id);
    st.close_reply.deliver(caf::unit);
    self->quit();
  }
}

void detach(self_ptr self, page_id id) {
  self->state.pages.erase(id);
  close_if_done(self);
}

} // namespace

parent_session_actor::behavior_type
parent_session(self_ptr self, session_id id, client_type client,
               session_supervisor_actor supervisor, services_ptr svc) {
  auto& st = self->state;
  st.id = id;
  st.client = client;
  st.supervisor = std::move(supervisor);
  st.svc = std::move(svc);
  // A page that dies without detaching must not keep the session open.
  self->set_down_handler([self](caf::down_msg& msg) {
    auto& pages = self->state.pages;
    for (auto& [pid, hdl] : pages)
      if (hdl.address() == msg.source) {
        detach(self, pid);
        return;
      }
  });
  return {
    // Pages and the runtime are actors of this process; nothing on another
    // node may attach, detach or close here.
    [self](attach_page& msg) -> caf::result<void> {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "attach_page"))
        return make_error(errc::not_permitted,
                          caf::make_message(std::string{"attach_page"}));
      if (st.closing)
        return make_error(errc::session_closed);
      self->monitor(msg.page);
      st.pages.emplace(msg.id, std::move(msg.page));
      return caf::unit;
    },
    [self](page_detached& msg) {
      if (!accept_local(self, *self->state.svc, "page_detached"))
        return;
      detach(self, msg.page);
    },
    [self](close_session&) -> caf::result<void> {
      auto& st = self->state;
      if (!accept_local(self, *st.svc, "close_session"))
        return make_error(errc::not_permitted,
                          caf::make_message(std::string{"close_session"}));
      if (st.closing)
        return make_error(errc::session_closed);
      st.closing = true;
      st.close_reply = self->make_response_promise();
      for (auto& [pid, hdl] : st.pages)
        self->send(hdl, close_page{cancel_reason::session_closed});
      // Copy the promise: close_if_done may deliver it and quit.
      auto rp = st.close_reply;
      close_if_done(self);
      return rp;
    },
  };
}

// -- spawning -----------------------------------------------------------------

session_actors spawn_session(caf::actor_system& sys, const services_ptr& svc,
                             session_id id, client_type client) {
  auto supervisor = sys.spawn(session_supervisor, id, svc);
  auto actor = sys.spawn(parent_session, id, client, supervisor, svc);
  svc->log->info("session_type=Background session_id={} client_type=\"{}\" "
                 "event=opened",
                 id, to_string(client));
  session_actors session;
  session.handle.id = id;
  session.handle.client = client;
  session.handle.actor = std::move(actor);
  session.supervisor = std::move(supervisor);
  return session;
}

} // namespace stagehand
