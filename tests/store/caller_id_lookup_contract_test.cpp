// Caller id's one-step read (CustomerStore::first_by_phone) answers exactly
// what find_by_phone followed by get does, on every backend.
#include <doctest/doctest.h>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

Customer customer_with(const std::string& name, std::vector<std::string> phones) {
  Customer c;
  c.name = name;
  c.tier = "gold";
  c.tags = {"a", "b"};
  c.attributes = R"({"language":"de"})";
  c.national_id = "X-123";
  c.phones = std::move(phones);
  c.emails = {name + "@example.com", name + ".second@example.com"};
  c.created_at = kStart;
  c.updated_at = kStart + 5;
  return c;
}

}  // namespace

TEST_CASE_TEMPLATE("caller id reads the live customer with the number and the lowest id, whole",
                   B, HL_STORE_BACKENDS) {
  B backend;
  auto storage = backend.open();
  auto& customers = storage->customers();
  const std::string shared = "+49301234567";
  Customer merged = customer_with("merged", {shared});
  Customer erased = customer_with("erased", {shared});
  Customer first = customer_with("first", {"+4915123456789", shared, "+493099999"});
  Customer second = customer_with("second", {shared});
  for (Customer* c : {&merged, &erased, &first, &second}) REQUIRE(customers.insert(*c).ok());
  merged.merged_into = first.id;
  erased.erased = true;
  REQUIRE(customers.update(merged).ok());
  REQUIRE(customers.update(erased).ok());

  auto hit = customers.first_by_phone(shared);
  REQUIRE(hit.ok());
  REQUIRE(hit->has_value());
  const Customer& c = **hit;
  CHECK(c.id == first.id);
  auto ids = customers.find_by_phone(shared);
  REQUIRE(ids.ok());
  REQUIRE(ids->size() == 2);
  CHECK(ids->front() == c.id);
  auto whole = customers.get(c.id);
  REQUIRE(whole.ok());
  CHECK(c.name == whole->name);
  CHECK(c.tier == whole->tier);
  CHECK(c.tags == whole->tags);
  CHECK(c.attributes == whole->attributes);
  CHECK(c.national_id == whole->national_id);
  CHECK(c.created_at == whole->created_at);
  CHECK(c.updated_at == whole->updated_at);
  CHECK(c.merged_into == 0);
  CHECK_FALSE(c.erased);
  CHECK(c.phones == std::vector<std::string>{"+4915123456789", shared, "+493099999"});
  CHECK(c.emails == std::vector<std::string>{"first@example.com", "first.second@example.com"});

  // Only merged or erased holders: no one.
  Customer lone = customer_with("lone", {"+493055555"});
  REQUIRE(customers.insert(lone).ok());
  lone.erased = true;
  REQUIRE(customers.update(lone).ok());
  auto none = customers.first_by_phone("+493055555");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
  auto unknown = customers.first_by_phone("+493000000");
  REQUIRE(unknown.ok());
  CHECK_FALSE(unknown->has_value());
}
