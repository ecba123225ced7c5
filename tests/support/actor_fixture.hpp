#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <caf/test/dsl.hpp>

#include "runtime/config.hpp"
#include "core/errc.hpp"
#include "core/log.hpp"
#include "runtime/runtime.hpp"
#include "services/services.hpp"
#include "tests/support/manual_executor.hpp"
#include "tests/support/recording_triggers.hpp"
#include "tests/support/reply.hpp"

namespace stagehand::test {

/// Codeunits of the deterministic tests.
enum test_codeunit : codeunit_id {
  /// Returns its parameters as results.
  echo_codeunit = 1,
  /// Raises an error whose text is parameter `Message`.
  failing_codeunit = 2,
};

/// Sessions, pages and supervisors on CAF's deterministic scheduler, with
/// codeunits that "return" only when the test runs them. Every page event is
/// recorded in `events`.
struct actor_fixture : test_coordinator_fixture<config> {
  std::shared_ptr<manual_executor> exec = std::make_shared<manual_executor>();
  std::vector<page_event> events;
  std::shared_ptr<services> svc_data = std::make_shared<services>();
  services_ptr svc = svc_data;
  std::vector<session_handle> sessions;
  /// Each session's supervisor, which its handle does not carry; sessions
  /// opened through the runtime's front are added with `watch_supervisor`.
  std::map<session_id, session_supervisor_actor> supervisors;
  session_id next_session = 1;
  page_id next_page = 1;
  /// The tasks whose start `begin_codeunits` has reported, by (page, id).
  std::set<std::pair<page_id, task_id>> begun;

  actor_fixture();

  /// Closes every session (pages and sessions hold each other, so the actor
  /// system would wait for them forever). Actors still run in the base
  /// class's destructor; they must not reach members that are gone by then.
  ~actor_fixture() override;

  // -- set-up -----------------------------------------------------------------

  session_handle open_session(client_type client = client_type::web_client);

  page_handle open_page(const session_handle& session, std::string record,
                        std::shared_ptr<page_triggers> triggers
                        = std::make_shared<recording_triggers>());

  // -- driving ----------------------------------------------------------------

  /// Sends `msg` to `dest`, runs all actors, and returns what came back: a
  /// value, a refusal, or nothing.
  template <class T, class Handle, class... Msg>
  reply<T> ask(const Handle& dest, Msg... msg) {
    self->send(dest, std::move(msg)...);
    sched.run();
    return fetch<T>();
  }

  /// Returns the reply waiting in the test's mailbox: a value, a refusal, or
  /// nothing (the scheduler is deterministic, so nothing means none came).
  template <class T>
  reply<T> fetch() {
    reply<T> result;
    self->receive(
      [&](T& x) {
        result = reply<T>::of(std::move(x));
      },
      [&](caf::error& err) {
        result = reply<T>::refusal(std::move(err));
      },
      caf::after(std::chrono::seconds(0)) >> [] {});
    return result;
  }

  /// Sends `msg` to `dest` as a request, for messages answered with nothing
  /// but "done", and runs all actors. A request, unlike `ask`'s message, is
  /// refused by an actor that is gone. Returns "done", "refused: <text>" or
  /// "no reply".
  template <class Handle, class... Msg>
  std::string ask_done(const Handle& dest, Msg... msg) {
    auto pending = self->request(dest, caf::infinite, std::move(msg)...);
    sched.run();
    // The scheduler is deterministic: an empty mailbox means no reply came,
    // and receiving would wait for ever.
    if (self->mailbox().empty())
      return "no reply";
    std::string result;
    std::move(pending).receive(
      [&] {
        result = "done";
      },
      [&](caf::error& err) {
        result = "refused: " + describe(err);
      });
    return result;
  }

  reply<task_id> enqueue(const page_handle& page, codeunit_id codeunit,
                         dictionary params = {},
                         caf::optional<caf::timespan> timeout = caf::none,
                         error_level level = error_level::error);

  /// Lets every held codeunit return, and the actors react, until quiet.
  void run_codeunits();

  /// Lets every held codeunit start on its pool thread without returning: the
  /// supervisor hears what the pool tells it at that moment, so timeouts
  /// start to count. The codeunits still return only when the test runs them.
  void begin_codeunits();

  /// `begin_codeunits` for the tasks of one session, such as one opened
  /// through the runtime's front rather than `open_session`.
  void begin_codeunits(const session_handle& session);

  std::pair<std::uint64_t, std::uint64_t> load(const session_handle& session) {
    return load_of(supervisors.at(session.id));
  }

  /// Asks any actor that answers `load_atom` for its (running, queued).
  template <class Handle>
  std::pair<std::uint64_t, std::uint64_t> load_of(const Handle& dest) {
    self->send(dest, load_atom::value);
    sched.run();
    std::pair<std::uint64_t, std::uint64_t> result{~0ull, ~0ull};
    self->receive(
      [&](std::uint64_t running, std::uint64_t queued) {
        result = {running, queued};
      },
      caf::after(std::chrono::seconds(0)) >> [] {});
    return result;
  }

  // -- inspecting -------------------------------------------------------------

  std::vector<page_event> events_of(page_event::kind what) const;

  std::size_t count(page_event::kind what) const {
    return events_of(what).size();
  }
};

} // namespace stagehand::test
