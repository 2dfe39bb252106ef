#include "hotline/runtime/customer_resolution.hpp"

#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "hotline/runtime/open_tickets.hpp"
#include "hotline/runtime/runtime.hpp"
#include "hotline/runtime/store_opening.hpp"
#include "hotline/store/actor.hpp"

namespace hotline::runtime {
namespace {

// The least-privileged role: routing needs no sensitive field in clear, and
// an agent's read of a masked record writes no audit entry.
store::Actor routing_actor() { return store::Actor{"routing", store::Role::kAgent}; }

Result<store::CustomerService> customer_service(store::Storage& storage,
                                                const store::StoreConfig& config) {
  store::CustomerService::Options options;
  options.default_region = config.default_region;
  options.clock = system_clock_ms;
  return store::CustomerService::make(storage, std::move(options));
}

}  // namespace

bool wants_customer_lookup(const engine::Event& event) {
  const bool arrival = event.kind == engine::EventKind::kCallArrived ||
                       event.kind == engine::EventKind::kContactArrived;
  return arrival && !event.caller.empty() && event.customer.empty();
}

Result<std::unique_ptr<CustomerResolver>> CustomerResolver::open(
    const store::StoreConfig& config) {
  if (!config.sqlite) return std::unique_ptr<CustomerResolver>();
  auto storage = open_storage(config);
  if (!storage) return std::move(storage).error();
  auto customers = customer_service(**storage, config);
  if (!customers) return std::move(customers).error();
  store::Storage& opened = **storage;
  std::shared_ptr<const store::Storage> owned = std::move(*storage);
  return std::make_unique<CustomerResolver>(std::move(owned), std::make_shared<std::mutex>(),
                                            opened, std::move(*customers));
}

Result<std::unique_ptr<CustomerResolver>> CustomerResolver::over_shared(
    store::Storage& storage, std::shared_ptr<const void> keeps_storage,
    std::shared_ptr<std::mutex> storage_lock, const store::StoreConfig& config) {
  auto customers = customer_service(storage, config);
  if (!customers) return std::move(customers).error();
  return std::make_unique<CustomerResolver>(std::move(keeps_storage), std::move(storage_lock),
                                            storage, std::move(*customers));
}

CustomerResolver::CustomerResolver(std::shared_ptr<const void> keeps_storage,
                                   std::shared_ptr<std::mutex> lock,
                                   store::Storage& storage, store::CustomerService customers)
    : keeps_storage_(std::move(keeps_storage)),
      lock_(std::move(lock)),
      storage_(storage),
      customers_(std::move(customers)) {}

Status CustomerResolver::resolve(engine::Event& event) {
  if (!wants_customer_lookup(event)) return {};
  std::lock_guard<std::mutex> hold(*lock_);
  // The lookup and the last agent read as one: they agree whatever another
  // connection commits meanwhile, and over SQLite the file's read locks are
  // taken once for their two or three reads, not once each. The agent's
  // role reads without writing, so no write begins inside.
  store::ReadSnapshot snapshot(storage_);
  if (!snapshot.status()) return snapshot.status();
  const store::Actor actor = routing_actor();
  auto found = customers_.lookup_by_ani(actor, event.caller);
  // A caller id that is no phone number ("anonymous") belongs to nobody.
  if (!found && found.error().code == Errc::kInvalidArgument) return {};
  if (!found) return std::move(found).error();
  if (!*found) return {};
  // The record found, as the agent reads it, is the view's record: only
  // the view's last agent is read besides.
  auto last_agent = customers_.last_agent((*found)->id);
  if (!last_agent) return std::move(last_agent).error();
  auto attributes = customer_call_data(**found, *last_agent);
  if (!attributes) return std::move(attributes).error();
  event.customer = std::move(*attributes);
  return {};
}

Result<expr::Attributes> customer_call_data(const store::Customer& customer,
                                            std::string_view last_agent) {
  // Built straight from the record rather than through its JSON document,
  // which took 3.6 µs for a typical record (BM_CustomerCallData), about what
  // the lookup that found it takes: a tree of fourteen keys, then a path
  // string formatted for each key while reading it back. Only the custom
  // fields, stored as JSON text, are read as JSON, inside an object of their
  // own at the same depth and path as in the record's document, so their
  // limits and errors are the same.
  // The store writes them as a JSON object; text that is not JSON at all
  // (empty included) can only be a damaged record or a host's table gone
  // wrong, and is refused rather than read as nothing.
  nlohmann::json custom_fields = nlohmann::json::parse(customer.attributes, nullptr, false);
  if (custom_fields.is_discarded()) {
    return make_error(Errc::kInvalidArgument,
                      fmt::format("$.customer.attributes: customer {}'s stored custom fields are "
                                  "not JSON",
                                  customer.id));
  }
  auto custom = expr::Attributes::from_json(
      nlohmann::json{{"attributes", std::move(custom_fields)}}, "$.customer");
  if (!custom) return custom;
  auto strings = [](const std::vector<std::string>& list) {
    std::vector<expr::Value> items;
    items.reserve(list.size());
    for (const std::string& s : list) items.push_back(expr::Value::string(s));
    return items;
  };
  const std::vector<expr::Value> phones = strings(customer.phones);
  const std::vector<expr::Value> emails = strings(customer.emails);
  const std::vector<expr::Value> tags = strings(customer.tags);
  auto number = [](std::int64_t n) { return expr::Value::number(static_cast<double>(n)); };
  // The values store::to_json writes, sorted by key, so that merged() sorts
  // nothing. The views borrow from `customer`, `last_agent` and the lists
  // above, all alive until merged() has copied them into its block.
  const std::pair<std::string_view, expr::Value> fields[] = {
      {"created_at", number(customer.created_at)},
      {"emails", expr::Value::list(emails.data(), emails.size())},
      {"erased", expr::Value::boolean(customer.erased)},
      {"id", number(customer.id)},
      {"last_agent", expr::Value::string(last_agent)},
      {"merged_into", customer.merged_into == 0 ? expr::Value() : number(customer.merged_into)},
      {"name", expr::Value::string(customer.name)},
      {"national_id", expr::Value::string(customer.national_id)},
      {"payment_info", expr::Value::string(customer.payment_info)},
      {"phones", expr::Value::list(phones.data(), phones.size())},
      {"tags", expr::Value::list(tags.data(), tags.size())},
      {"tier", expr::Value::string(customer.tier)},
      {"updated_at", number(customer.updated_at)}};
  return expr::Attributes::merged(*custom, fields);
}

Status CustomerResolver::add_open_tickets(engine::Command& ring) {
  if (ring.kind != engine::Command::Kind::kRingAgent) return {};
  std::lock_guard<std::mutex> hold(*lock_);
  return runtime::add_open_tickets(storage_.tickets(), ring);
}

}  // namespace hotline::runtime
