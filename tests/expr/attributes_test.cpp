#include <doctest/doctest.h>

#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/expr/attributes.hpp"
#include "random_json.hpp"

using namespace hotline::expr;
using hotline::expr::testing::random_json_value;
using nlohmann::json;

TEST_CASE("attributes from JSON, and back") {
  json j = json::parse(R"({"tier": "vip", "age": 41, "ok": true, "none": null,
                           "langs": ["en", "de"], "address": {"city": "Haifa", "zip": 31000},
                           "orders": [{"id": 1}, {"id": 2}]})");
  auto a = Attributes::from_json(j);
  REQUIRE(a.ok());
  CHECK(a->find("tier")->as_string() == "vip");
  CHECK(a->find("age")->as_number() == 41);
  CHECK(a->find("ok")->as_bool());
  CHECK(a->find("none")->is_null());
  CHECK(a->find("langs")->list_at(1).as_string() == "de");
  CHECK(a->find_path("address.city")->as_string() == "Haifa");
  CHECK(a->find_path("address.zip")->as_number() == 31000);
  CHECK(a->find_path("address.street") == nullptr);
  CHECK(a->find_path("tier.deeper") == nullptr);
  CHECK(a->find("orders")->list_at(1).as_object()->find("id")->as_number() == 2);
  CHECK(a->find("missing") == nullptr);
  CHECK(a->to_json() == j);
}

TEST_CASE("bad JSON attributes are reported with their path") {
  auto r = Attributes::from_json(json::parse(R"({"a": {"b": [1, [2]]}})"), "$.agents[0].attributes");
  REQUIRE(!r.ok());
  CHECK(r.error().message == "$.agents[0].attributes.a.b[1]: lists inside lists are not supported");
  auto s = Attributes::from_json(json::parse("[1]"), "$.x");
  CHECK(s.error().message == "$.x: expected an object");
}

TEST_CASE("copies are deep and views stay valid while other keys change") {
  Attributes a;
  a.set("name", "Ann");
  a.set("langs", std::vector<std::string>{"en", "zh"});
  Attributes inner;
  inner.set("billing", 3);
  a.set("skills", inner);
  const Value name = *a.find("name");
  for (int i = 0; i < 100; ++i) a.set("k" + std::to_string(i), i);  // many inserts
  CHECK(name.as_string() == "Ann");
  Attributes b = a;
  a.set("name", "Bob");
  a.object_at("skills").set("billing", 5);
  CHECK(b.find("name")->as_string() == "Ann");
  CHECK(b.find_path("skills.billing")->as_number() == 3);
  CHECK(a.find_path("skills.billing")->as_number() == 5);
  CHECK(b.find("langs")->list_at(0).as_string() == "en");
  CHECK(a.size() == 103);
  CHECK(a.erase("name"));
  CHECK_FALSE(a.erase("name"));
  CHECK(a.key_at(0) == "k0");
  // set_value may copy from a value that lives in the same object.
  a.set_value("langs", *a.find("langs"));
  CHECK(a.find("langs")->list_at(1).as_string() == "zh");
  Attributes moved = std::move(b);
  CHECK(moved.find("name")->as_string() == "Ann");
}

TEST_CASE("views stay valid while other keys are replaced many times over") {
  Attributes a;
  a.set("kept", "still here");
  a.set("tags", std::vector<std::string>{"x", "yy", ""});
  const Value kept = *a.find("kept");
  const Value tags = *a.find("tags");
  for (int i = 0; i < 1000; ++i) {
    a.set("churn", "value number " + std::to_string(i));
    a.set("n" + std::to_string(i % 7), std::vector<std::string>{std::to_string(i)});
    if (i % 3 == 0) a.erase("n" + std::to_string((i + 1) % 7));
  }
  CHECK(kept.as_string() == "still here");
  CHECK(tags.list_size() == 3);
  CHECK(tags.list_at(1).as_string() == "yy");
  CHECK(tags.list_at(2).as_string().empty());
  CHECK(a.find("churn")->as_string() == "value number 999");
  CHECK(a.find("n5")->list_at(0).as_string() == "999");
  // Replacing a key with a value read from it, or from a key next to it.
  a.set("kept", a.find("kept")->as_string().substr(6));
  CHECK(a.find("kept")->as_string() == "here");
  a.set_value("copy", *a.find("tags"));
  CHECK(a.find("copy")->list_at(0).as_string() == "x");
}

TEST_CASE("objects inside lists and objects are deep copied and replaced") {
  auto j = json::parse(R"({"orders": [{"id": 1, "sku": "a"}, "loose", {"id": 2}],
                           "owner": {"name": "Ann", "tags": ["vip"]}})");
  auto a = Attributes::from_json(j);
  REQUIRE(a.ok());
  Attributes b = *a;
  a->object_at("owner").set("name", "Bob");
  a->set("orders", 0);
  CHECK(b.find("orders")->list_at(0).as_object()->find("sku")->as_string() == "a");
  CHECK(b.find("orders")->list_at(1).as_string() == "loose");
  CHECK(b.find_path("owner.name")->as_string() == "Ann");
  CHECK(a->find_path("owner.name")->as_string() == "Bob");
  CHECK(b.to_json() == j);
  b = *b.find("owner")->as_object();  // assigning from an object nested in the target
  CHECK(b.find("name")->as_string() == "Ann");
  CHECK(b.find("tags")->list_at(0).as_string() == "vip");
  b.clear();
  CHECK(b.empty());
  b.set("again", true);
  CHECK(b.find("again")->as_bool());
}

namespace {
// {"k": {"k": ... {"k": 1}}} with `levels` objects, the outermost included.
json nested_objects(int levels) {
  json j = {{"k", 1}};
  for (int i = 1; i < levels; ++i) j = json{{"k", std::move(j)}};
  return j;
}
}  // namespace

TEST_CASE("attributes nested past the depth limit are refused with the path where it was crossed") {
  auto deepest = Attributes::from_json(nested_objects(kMaxAttributeDepth));
  REQUIRE(deepest.ok());
  std::string path = "k";
  for (int i = 2; i <= kMaxAttributeDepth; ++i) path += ".k";
  CHECK(deepest->find_path(path)->as_number() == 1);
  Attributes copy = *deepest;  // copies walk the levels too
  CHECK(copy.to_json() == nested_objects(kMaxAttributeDepth));

  auto too_deep = Attributes::from_json(nested_objects(kMaxAttributeDepth + 1), "$.event");
  REQUIRE(!too_deep.ok());
  std::string expected = "$.event";
  for (int i = 1; i <= kMaxAttributeDepth; ++i) expected += ".k";
  CHECK(too_deep.error().message == expected + ": nested deeper than 32 levels");

  // A list is a level, and so is an object inside it.
  json in_list = nested_objects(kMaxAttributeDepth - 1);
  in_list = json{{"list", json::array({in_list})}};
  auto listed = Attributes::from_json(in_list, "$");
  REQUIRE(!listed.ok());
  CHECK(listed.error().message.rfind("$.list[0]", 0) == 0);
  CHECK(listed.error().message.find(": nested deeper than 32 levels") != std::string::npos);
}

TEST_CASE("a 100,000-level object from an unbounded parse is refused, not a stack overflow") {
  // A document built without parse_json's bound: from_json stops at its own.
  std::string text;
  for (int i = 0; i < 100'000; ++i) text += "{\"a\":";
  text += "1";
  text += std::string(100'000, '}');
  const json j = json::parse(text);
  auto r = Attributes::from_json(j, "$");
  REQUIRE(!r.ok());
  CHECK(r.error().message.find("nested deeper than 32 levels") != std::string::npos);
}


TEST_CASE("merged gives what setting each key in turn and then copying gives") {
  // Keys drawn from a small pool, so that `over` repeats keys and replaces
  // the base's; an empty key and keys that are prefixes of others included.
  const std::string pool[] = {"", "id", "i", "idx", "name", "skills", "languages", "z"};
  std::mt19937 rng(11);
  for (int round = 0; round < 2000; ++round) {
    json base_json = json::object();
    for (unsigned i = rng() % 6; i > 0; --i) {
      base_json[pool[rng() % std::size(pool)]] = random_json_value(rng, 1);
    }
    auto base = Attributes::from_json(base_json);
    REQUIRE(base.ok());
    // The values of `over`, kept in objects of their own so they outlive it.
    std::vector<Attributes> holders(rng() % 7);
    std::vector<std::pair<std::string_view, Value>> over;
    for (Attributes& h : holders) {
      auto v = Attributes::from_json(json{{"v", random_json_value(rng, 1)}});
      REQUIRE(v.ok());
      h = std::move(v).value();
      over.emplace_back(pool[rng() % std::size(pool)], *h.find("v"));
    }
    Attributes one_by_one = *base;
    for (const auto& [key, value] : over) one_by_one.set_value(key, value);
    const Attributes copied = one_by_one;
    const Attributes merged = Attributes::merged(*base, over.data(), over.size());
    CAPTURE(round);
    CHECK(merged.to_json() == copied.to_json());
    REQUIRE(merged.size() == copied.size());
    for (std::size_t i = 0; i < merged.size(); ++i) CHECK(merged.key_at(i) == copied.key_at(i));
    // The base is left as it was.
    CHECK(base->to_json() == base_json);
  }
  CHECK(Attributes::merged(Attributes(), nullptr, 0).size() == 0);
}
