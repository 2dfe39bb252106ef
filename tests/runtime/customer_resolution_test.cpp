// An arriving caller resolved against a store: the customer's fields as an
// agent reads them (sensitive ones masked) and the 360° view's last agent
// become the event's customer; a customer the event already carries, a
// caller nobody has, another kind of event and a store that cannot answer
// leave the event as it was.
#include <doctest/doctest.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "hotline/runtime/customer_resolution.hpp"
#include "hotline/runtime/runtime.hpp"
#include "hotline/store/customer_service.hpp"
#include "hotline/store/json.hpp"

using namespace hotline;

namespace {

constexpr const char* kCaller = "+4930123456";

struct StoreWithCustomer {
  std::shared_ptr<store::Storage> storage = store::open_memory_storage();
  std::shared_ptr<std::mutex> lock = std::make_shared<std::mutex>();
  store::StoreConfig config;
  store::CustomerId id = 0;

  StoreWithCustomer() {
    store::CustomerService::Options options;
    options.clock = runtime::system_clock_ms;
    auto customers = store::CustomerService::make(*storage, options);
    REQUIRE(customers.ok());
    store::NewCustomer c;
    c.name = "Li Wei";
    c.phones = {kCaller};
    c.tier = "gold";
    c.national_id = "X1234567";
    auto made = customers->create(store::Actor{"sam", store::Role::kSupervisor}, c);
    REQUIRE(made.ok());
    id = made->id;
    store::ContactRecord served;
    served.contact_id = "earlier";
    served.customer = id;
    served.channel = "voice";
    served.agent = "bob";
    served.ani = kCaller;
    served.started_at = 1000;
    served.ended_at = 61000;
    served.outcome = "answered";
    REQUIRE(customers->record_contact(served).ok());
  }

  std::unique_ptr<runtime::CustomerResolver> resolver() {
    auto r = runtime::CustomerResolver::over_shared(*storage, storage, lock, config);
    REQUIRE(r.ok());
    return std::move(*r);
  }
};

engine::Event arrival(const std::string& caller) {
  engine::Event e;
  e.kind = engine::EventKind::kCallArrived;
  e.call_id = "c1";
  e.caller = caller;
  e.queue_id = "sales";
  return e;
}

std::string text_of(const expr::Attributes& a, std::string_view key) {
  const expr::Value* v = a.find(key);
  return v ? std::string(v->as_string()) : std::string("<absent>");
}

}  // namespace

TEST_CASE("a known caller becomes the event's customer with the last agent who served them") {
  StoreWithCustomer s;
  auto event = arrival(kCaller);
  REQUIRE(s.resolver()->resolve(event).ok());
  CHECK(text_of(event.customer, "last_agent") == "bob");
  CHECK(text_of(event.customer, "name") == "Li Wei");
  CHECK(text_of(event.customer, "tier") == "gold");
  // Read as an agent: the sensitive field arrives masked, never in clear.
  CHECK(text_of(event.customer, "national_id") != "X1234567");
}

TEST_CASE("a caller spelt in another format still finds the customer") {
  StoreWithCustomer s;
  s.config.default_region = "DE";
  auto event = arrival("030 123456");
  REQUIRE(s.resolver()->resolve(event).ok());
  CHECK(text_of(event.customer, "last_agent") == "bob");
}

TEST_CASE("a customer the event already carries is kept and nothing is looked up") {
  StoreWithCustomer s;
  auto event = arrival(kCaller);
  event.customer.set("tier", "silver");
  REQUIRE(s.resolver()->resolve(event).ok());
  CHECK(text_of(event.customer, "tier") == "silver");
  CHECK(event.customer.find("last_agent") == nullptr);
}

TEST_CASE("a caller nobody has, or no caller id at all, leaves the event unchanged") {
  StoreWithCustomer s;
  auto resolver = s.resolver();
  for (const char* caller : {"+4930999999", "anonymous", ""}) {
    CAPTURE(caller);
    auto event = arrival(caller);
    REQUIRE(resolver->resolve(event).ok());
    CHECK(event.customer.empty());
  }
}

TEST_CASE("only arrivals are resolved") {
  StoreWithCustomer s;
  auto event = arrival(kCaller);
  event.kind = engine::EventKind::kCallHungUp;
  CHECK(!runtime::wants_customer_lookup(event));
  REQUIRE(s.resolver()->resolve(event).ok());
  CHECK(event.customer.empty());
  event.kind = engine::EventKind::kContactArrived;
  CHECK(runtime::wants_customer_lookup(event));
}

TEST_CASE("a memory store configuration resolves nobody: another connection cannot see it") {
  store::StoreConfig config;
  config.sqlite = false;
  auto r = runtime::CustomerResolver::open(config);
  REQUIRE(r.ok());
  CHECK(*r == nullptr);
}

TEST_CASE("a SQLite store the resolver cannot open is an error naming the file") {
  store::StoreConfig config;
  config.sqlite_options.path = "/nonexistent-directory/customers.db";
  auto r = runtime::CustomerResolver::open(config);
  REQUIRE(!r.ok());
  CHECK(r.error().message.find("customers.db") != std::string::npos);
}

namespace {

// The memory store, counting the read snapshots asked of it and the reads
// of its customers made outside one; `refuse` fails every begin_read().
class SnapshotCounting final : public store::Storage {
 public:
  explicit SnapshotCounting(store::Storage& inner) : inner_(inner) {}
  store::TicketStore& tickets() override { return inner_.tickets(); }
  store::CustomerStore& customers() override {
    if (open_ == 0) ++outside_;
    return inner_.customers();
  }
  store::AuditLog& audit() override { return inner_.audit(); }
  store::KnowledgeStore& knowledge() override { return inner_.knowledge(); }
  Status begin() override {
    if (open_ > 0) ++writes_inside_;
    return inner_.begin();
  }
  Status commit() override { return inner_.commit(); }
  void rollback() noexcept override { inner_.rollback(); }
  Status begin_read() override {
    if (refuse) return make_error(Errc::kIo, "no snapshot today");
    ++begun_;
    ++open_;
    return {};
  }
  void end_read() noexcept override { --open_; }

  bool refuse = false;
  int begun_ = 0, open_ = 0, writes_inside_ = 0, outside_ = 0;

 private:
  store::Storage& inner_;
};

}  // namespace

TEST_CASE("a caller is resolved in one read snapshot, ended before resolve returns") {
  StoreWithCustomer s;
  SnapshotCounting counting(*s.storage);
  auto r = runtime::CustomerResolver::over_shared(counting, s.storage, s.lock, s.config);
  REQUIRE(r.ok());
  engine::Event known = arrival(kCaller);
  REQUIRE((*r)->resolve(known).ok());
  CHECK(text_of(known.customer, "last_agent") == "bob");
  CHECK(counting.begun_ == 1);
  CHECK(counting.open_ == 0);
  CHECK(counting.writes_inside_ == 0);
  CHECK(counting.outside_ == 0);  // every read of the customers inside it
  engine::Event unknown = arrival("+4930999999");
  REQUIRE((*r)->resolve(unknown).ok());
  CHECK(counting.begun_ == 2);
  CHECK(counting.open_ == 0);
  // Nothing to look up: no snapshot at all.
  engine::Event carried = arrival(kCaller);
  carried.customer.set("tier", "silver");
  REQUIRE((*r)->resolve(carried).ok());
  CHECK(counting.begun_ == 2);
  CHECK(counting.outside_ == 0);
  // No snapshot, no lookup: the error comes back and the event is as it was.
  counting.refuse = true;
  engine::Event refused = arrival(kCaller);
  auto st = (*r)->resolve(refused);
  REQUIRE_FALSE(st.ok());
  CHECK(st.error().message == "no snapshot today");
  CHECK(refused.customer.empty());
  CHECK(counting.outside_ == 0);
}

namespace {

// What the call data was defined as before it was built directly: the
// record's JSON document with the last agent, read back as attributes.
Result<expr::Attributes> call_data_through_json(const store::Customer& c,
                                                std::string_view last_agent) {
  nlohmann::json data = store::to_json(c);
  data["last_agent"] = last_agent;
  return expr::Attributes::from_json(data, "$.customer");
}

void check_same_call_data(const store::Customer& c, std::string_view last_agent) {
  CAPTURE(c.attributes);
  auto direct = runtime::customer_call_data(c, last_agent);
  auto through_json = call_data_through_json(c, last_agent);
  REQUIRE(direct.ok() == through_json.ok());
  if (direct.ok()) {
    CHECK(direct->to_json() == through_json->to_json());
  } else {
    CHECK(direct.error().code == through_json.error().code);
    CHECK(direct.error().message == through_json.error().message);
  }
}

std::string nested_custom_fields(int levels) {
  std::string text;
  for (int i = 0; i < levels; ++i) text += "{\"a\":";
  text += "1";
  for (int i = 0; i < levels; ++i) text += "}";
  return text;
}

}  // namespace

TEST_CASE("a customer's call data is its record's JSON document with the last agent") {
  store::Customer plain;
  plain.id = 7;
  plain.name = "Li Wei";
  check_same_call_data(plain, "");
  check_same_call_data(plain, "bob");

  store::Customer full;
  full.id = (std::int64_t{1} << 40) + 3;
  full.name = "Zoë 李伟 \"quoted\"";
  full.phones = {"+4930123456", "+8613800138000", "+12025550123"};
  full.emails = {"li@example.com"};
  full.tier = "gold";
  full.tags = {"vip", "billing", "中文"};
  full.attributes =
      R"({"segment":"retail","contract":{"plan":"fiber","since":2019,"lines":[1,2.5,"x",{"k":null}]},"ok":true})";
  full.national_id = "****4567";
  full.payment_info = "****";
  full.created_at = 1795510800000;
  full.updated_at = 1795510860000;
  full.merged_into = 12;
  full.erased = true;
  check_same_call_data(full, "agent42");

  // Custom fields that are not a JSON object, or nest as deep as
  // attributes may and one level deeper: the same answer, or the same
  // error at the same path.
  for (const char* odd :
       {"[1,2]", "5", "\"text\"", "null", "true", "[]", "{}", "{\"a\":[[1]]}"}) {
    store::Customer c = plain;
    c.attributes = odd;
    check_same_call_data(c, "bob");
  }
  for (int levels : {29, 30, 31, 32}) {
    store::Customer c = plain;
    c.attributes = nested_custom_fields(levels);
    check_same_call_data(c, "bob");
  }
}

TEST_CASE("a record whose custom fields are not JSON gives an error, not call data") {
  // The store writes them as a JSON object: text that is not JSON at all is
  // a damaged record or a host's table gone wrong. Empty, cut short, and a
  // number beyond a double's range, which the JSON reader refuses.
  for (const char* text : {"", "{\"a\":", "{\"n\":1e400}"}) {
    CAPTURE(text);
    store::Customer damaged;
    damaged.id = 10;
    damaged.attributes = text;
    auto refused = runtime::customer_call_data(damaged, "");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == Errc::kInvalidArgument);
    CHECK(refused.error().message ==
          "$.customer.attributes: customer 10's stored custom fields are not JSON");
  }
}
