#include "tests/support/recording_subscriber.hpp"

#include <algorithm>

#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

namespace stagehand::test {

void subscriber_record::add(std::string line) {
  {
    std::lock_guard<std::mutex> guard{mtx_};
    lines_.push_back(std::move(line));
  }
  changed_.notify_all();
}

std::vector<std::string> subscriber_record::lines() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return lines_;
}

bool subscriber_record::wait_for(const std::string& prefix,
                                 std::chrono::milliseconds limit) {
  std::unique_lock<std::mutex> guard{mtx_};
  return changed_.wait_for(guard, limit, [&] {
    return std::any_of(lines_.begin(), lines_.end(), [&](auto& line) {
      return line.rfind(prefix, 0) == 0;
    });
  });
}

namespace {

std::string show(const dictionary& results) {
  std::string text;
  for (auto& [key, value] : results)
    text += (text.empty() ? "" : ",") + key + "=" + value;
  return text;
}

page_subscriber_actor::behavior_type
page_subscriber(page_subscriber_actor::pointer self,
                std::shared_ptr<subscriber_record> rec) {
  return {
    [rec](page_task_started& msg) {
      rec->add("started " + std::to_string(msg.task.id));
    },
    [self, rec](page_task_completed& msg) {
      rec->add("completed " + std::to_string(msg.task.id) + " "
               + show(msg.results));
      if (rec->reenqueue <= 0)
        return;
      --rec->reenqueue;
      // A request, not a call: the page answers later, from its mailbox.
      self->request(rec->page, caf::infinite, rec->again)
        .then(
          [rec](task_id id) {
            rec->add("reenqueued " + std::to_string(id));
          },
          [rec](caf::error&) {
            rec->add("reenqueue refused");
          });
    },
    [self, rec](page_task_error& msg) -> caf::result<bool> {
      rec->add("error " + std::to_string(msg.task.id) + " " + msg.error.code
               + ": " + msg.error.text + " level=" + to_string(msg.task.level));
      switch (rec->on_error) {
      case error_answer::handled:
        return true;
      case error_answer::unhandled:
        return false;
      case error_answer::silent:
        break;
      }
      // CAF 0.17 sends nothing for a promise that is dropped undelivered;
      // one kept in the actor would keep the actor alive for ever.
      return self->make_response_promise<bool>();
    },
    [rec](page_task_cancelled& msg) {
      rec->add("cancelled " + std::to_string(msg.task.id) + " "
               + to_string(msg.reason));
    },
    [rec](page_notification& msg) {
      rec->add("notification " + msg.level + ": " + msg.text);
    },
    [rec](page_tasks_done&) {
      rec->add("done");
    },
  };
}

session_subscriber_actor::behavior_type
session_subscriber(session_subscriber_actor::pointer,
                   std::shared_ptr<subscriber_record> rec) {
  return {
    [rec](session_ended& msg) {
      rec->add(
        "ended " + std::to_string(msg.id) + " " + to_string(msg.outcome.what)
        + (msg.outcome.comment.empty() ? "" : ": " + msg.outcome.comment));
    },
  };
}

} // namespace

page_subscriber_actor
spawn_page_subscriber(caf::actor_system& sys,
                      std::shared_ptr<subscriber_record> rec) {
  return sys.spawn(page_subscriber, std::move(rec));
}

session_subscriber_actor
spawn_session_subscriber(caf::actor_system& sys,
                         std::shared_ptr<subscriber_record> rec) {
  return sys.spawn(session_subscriber, std::move(rec));
}

} // namespace stagehand::test
