#include "server/api/batch_endpoint.hpp"

#include <atomic>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "server/api/allowed_target.hpp"
#include "server/http/json_response.hpp"

namespace stagehand {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

http_response bad_request(const std::string& message) {
  return error_response(http::status::bad_request, "BadRequest", message);
}

/// A lone answer as an item of the batch's answer. `Content-Length` is left
/// out: it measures the lone body, which is no longer a body of its own.
json item_answer(const std::string& id, const http_response& res) {
  auto headers = json::object();
  for (auto& field : res)
    if (field.name() != http::field::content_length)
      headers[std::string{field.name_string()}] = std::string{field.value()};
  return {{"id", id},
          {"status", res.result_int()},
          {"headers", std::move(headers)},
          {"body", res.body().empty() ? json{} : json::parse(res.body())}};
}

} // namespace

/// One batch while its callback URLs are checked: each item's answer once it
/// has one, and the submits still to store.
struct batch_endpoint::batch {
  std::vector<std::string> ids;
  std::vector<std::optional<http_response>> answers;
  /// The checked submits, each with the index of its item.
  std::vector<std::pair<std::size_t, checked_submit>> submits;
  /// Verdicts still to come; the last one to arrive finishes the batch.
  std::atomic<std::size_t> waiting{0};
  http_reply reply;
};

batch_endpoint::batch_endpoint(submit_endpoint& submit, target_check& check,
                               const route_table& routes)
  : submit_(submit), check_(check), routes_(routes) {}

void batch_endpoint::handle(route_call& call, const principal& who) {
  auto items = parse_batch(call.req.body());
  if (!items)
    return call.reply(bad_request(error_text(items.error())));
  auto b = std::make_shared<batch>();
  b->reply = call.reply;
  b->answers.resize(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto& item = (*items)[i];
    b->ids.push_back(item.id);
    auto checked = check_item(item, who);
    if (auto* refused = std::get_if<http_response>(&checked))
      b->answers[i] = std::move(*refused);
    else
      b->submits.emplace_back(i, std::move(std::get<checked_submit>(checked)));
  }
  // One check per distinct callback URL: its verdict holds for every item
  // that names it, and a batch of 1,000 items must not start 1,000 lookups.
  std::map<std::string, std::vector<std::size_t>> by_url;
  for (std::size_t k = 0; k < b->submits.size(); ++k)
    if (auto& url = b->submits[k].second.rec.callback_url; !url.empty())
      by_url[url].push_back(k);
  // One more than the checks, released below, so that verdicts given at
  // once cannot finish the batch while checks are still being started.
  b->waiting = by_url.size() + 1;
  for (auto& [url, named] : by_url)
    check_.check(url, [this, b, named = std::move(named)](caf::error refused) {
      if (auto res = refusal_of("callback", refused))
        for (auto k : named)
          b->answers[b->submits[k].first] = *res;
      if (--b->waiting == 0)
        finish(*b);
    });
  if (--b->waiting == 0)
    finish(*b);
}

std::variant<checked_submit, http_response>
batch_endpoint::check_item(batch_item& item, const principal& who) const {
  auto path = std::string_view{item.url}.substr(0, item.url.find('?'));
  auto where
    = routes_.resolve(http::string_to_verb(item.method), item.method, path);
  if (where.found == nullptr)
    return std::move(where.refusal);
  if (where.label != http_route::submit)
    return bad_request("Only submits (POST /api/data/v9.2/<operation>, or GET "
                       "of a function) may be part of a $batch request, not '"
                       + item.method + " " + item.url + "'.");
  auto header = [&](std::string_view name) {
    auto* value = item.header(name);
    return value != nullptr ? *value : std::string{};
  };
  auto query = item.url.find('?') == std::string::npos
                 ? std::string{}
                 : item.url.substr(item.url.find('?') + 1);
  auto checked
    = where.found->method == http::verb::get
        ? submit_.check_function(where.param, query, header("Prefer"),
                                 header("Idempotency-Key"), who)
        : submit_.check(where.param, std::move(item.body), header("Prefer"),
                        header("Idempotency-Key"), who);
  auto* ok = std::get_if<checked_submit>(&checked);
  if (ok == nullptr)
    return checked;
  if (item.header("Authorization") != nullptr)
    return bad_request("A $batch item may not carry its own Authorization "
                       "header: the key of the $batch request submits every "
                       "item.");
  if (!ok->respond_async)
    return bad_request("A $batch item must ask for 'Prefer: respond-async': "
                       "a synchronous run cannot be part of the $batch "
                       "answer. Send it alone to wait for its outcome.");
  return checked;
}

void batch_endpoint::finish(batch& b) {
  try {
    std::vector<std::size_t> stored;
    std::vector<operation_record> recs;
    for (auto& [i, submit] : b.submits)
      if (!b.answers[i]) {
        stored.push_back(i);
        recs.push_back(std::move(submit.rec));
      }
    auto answers = submit_.accept_all(std::move(recs));
    for (std::size_t k = 0; k < stored.size(); ++k)
      b.answers[stored[k]] = std::move(answers[k]);
    auto responses = json::array();
    for (std::size_t i = 0; i < b.answers.size(); ++i)
      responses.push_back(item_answer(b.ids[i], *b.answers[i]));
    b.reply(
      json_response(http::status::ok, {{"responses", std::move(responses)}}));
  } catch (const std::exception& e) {
    // It may run on the check's thread, where an exception must not go.
    b.reply(internal_error(e));
  }
}

} // namespace stagehand
