// Copies of an object laid out whole share its storage until one of them is
// changed (attributes.cpp): each copy must still read and change as an
// object of its own, and values read before a change must stay valid.
#include <doctest/doctest.h>

#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hotline/expr/attributes.hpp"
#include "random_json.hpp"

using namespace hotline::expr;
using hotline::expr::testing::random_json_value;
using nlohmann::json;

namespace {

// Where a string value's bytes are: the same address means the same storage.
const char* bytes_of(const Attributes& a, std::string_view key) {
  return a.find(key)->as_string().data();
}

Attributes sample() {
  auto a = Attributes::from_json(json::parse(
      R"({"name": "Ann", "langs": ["en", "zh"], "skills": {"billing": 3, "tier": "gold"},
          "orders": [{"id": 1}, "loose"]})"));
  REQUIRE(a.ok());
  return std::move(a).value();
}

// sample() laid out whole, as a copy lays it out: copies of it share.
Attributes whole_sample() {
  const Attributes built = sample();
  Attributes copy(built);
  return copy;
}

}  // namespace

TEST_CASE("a copy of a copy shares its storage; a copy of an object built by writes does not") {
  const Attributes built = sample();  // built key by key
  const Attributes whole = built;     // laid out afresh
  CHECK(bytes_of(whole, "name") != bytes_of(built, "name"));
  const Attributes shared = whole;
  CHECK(bytes_of(shared, "name") == bytes_of(whole, "name"));
  CHECK(shared.to_json() == built.to_json());
  Attributes assigned;
  assigned.set("old", 1);
  assigned = shared;
  CHECK(bytes_of(assigned, "name") == bytes_of(whole, "name"));
  CHECK(assigned.find("old") == nullptr);
  // merged() lays its result out whole too.
  const std::pair<std::string_view, Value> over[] = {{"zz", Value::number(1)}};
  const Attributes merged = Attributes::merged(built, over);
  const Attributes of_merged = merged;
  CHECK(bytes_of(of_merged, "name") == bytes_of(merged, "name"));
}

TEST_CASE("changing one of the objects that share storage leaves the others as they were") {
  const json before = sample().to_json();
  const Attributes whole = whole_sample();

  SUBCASE("set") {
    Attributes copy = whole;
    REQUIRE(bytes_of(copy, "name") == bytes_of(whole, "name"));  // shared until now
    copy.set("name", "Bob");
    copy.set("new", true);
    CHECK(whole.to_json() == before);
    CHECK(copy.find("name")->as_string() == "Bob");
    CHECK(copy.find("new")->as_bool());
    CHECK(bytes_of(copy, "name") != bytes_of(whole, "name"));
  }
  SUBCASE("erase") {
    Attributes copy = whole;
    CHECK(copy.erase("langs"));
    CHECK_FALSE(copy.erase("absent"));
    CHECK(copy.find("langs") == nullptr);
    CHECK(whole.to_json() == before);
  }
  SUBCASE("a nested object changed through object_at") {
    Attributes copy = whole;
    copy.object_at("skills").set("billing", 5);
    CHECK(copy.find_path("skills.billing")->as_number() == 5);
    CHECK(whole.find_path("skills.billing")->as_number() == 3);
    CHECK(whole.to_json() == before);
  }
  SUBCASE("clear") {
    Attributes copy = whole;
    copy.clear();
    CHECK(copy.empty());
    CHECK(whole.to_json() == before);
  }
  SUBCASE("the original changed, the copy kept") {
    Attributes original = whole;
    const Attributes copy = original;
    original.set("name", "Cy");
    CHECK(copy.find("name")->as_string() == "Ann");
    CHECK(copy.to_json() == before);
  }
}

TEST_CASE("values read from shared storage stay valid after a change, whoever else lets go") {
  auto other = std::make_unique<Attributes>(whole_sample());
  Attributes mine = *other;
  REQUIRE(bytes_of(mine, "name") == bytes_of(*other, "name"));
  const Value name = *mine.find("name");
  const Value langs = *mine.find("langs");
  const Value skills = *mine.find("skills");
  mine.set("added", 1);  // mine now lays its entries out in storage of its own
  other.reset();         // and the storage it shared has no other holder
  // Still valid: their keys were neither replaced nor erased, and mine lives.
  CHECK(name.as_string() == "Ann");
  CHECK(langs.list_at(1).as_string() == "zh");
  CHECK(skills.as_object()->find("tier")->as_string() == "gold");
  // Replaced many times over, the other keys' values stay valid too.
  for (int i = 0; i < 200; ++i) mine.set("churn", std::to_string(i));
  CHECK(name.as_string() == "Ann");
  // A value copied from inside the same object, after the storage changed hands.
  mine.set_value("langs2", *mine.find("langs"));
  CHECK(mine.find("langs2")->list_at(0).as_string() == "en");
}

TEST_CASE("assigning an object from one nested in it, when the storage is shared") {
  const Attributes whole = whole_sample();
  Attributes copy = whole;
  REQUIRE(bytes_of(copy, "name") == bytes_of(whole, "name"));
  copy = *copy.find("skills")->as_object();
  CHECK(copy.find("tier")->as_string() == "gold");
  CHECK(whole.find_path("skills.tier")->as_string() == "gold");
  Attributes again = whole;
  again = *again.find("orders")->list_at(0).as_object();
  CHECK(again.find("id")->as_number() == 1);
  // The target the only holder of its storage: assigning drops the storage
  // the nested object lives in.
  Attributes sole = whole_sample();
  sole = *sole.find("skills")->as_object();
  CHECK(sole.find("billing")->as_number() == 3);
  Attributes built = sample();
  built = *built.find("skills")->as_object();
  CHECK(built.find("tier")->as_string() == "gold");
  // An emptied object's copy holds no storage to share or free.
  Attributes emptied;
  emptied.set("k", 1);
  emptied.erase("k");
  const Attributes copy_of_empty = emptied;
  CHECK(copy_of_empty.empty());
}

TEST_CASE("objects copied, changed and dropped at random read as the JSON they model") {
  // Eight objects, each with the JSON it should read as; every step copies
  // one onto another (sharing when the source was laid out whole), changes
  // one (set, erase, a nested object's key) or drops one.
  std::mt19937 rng(5);
  constexpr int kObjects = 8;
  std::vector<Attributes> objects(kObjects);
  std::vector<json> model(kObjects, json::object());
  for (int step = 0; step < 20000; ++step) {
    const int i = static_cast<int>(rng() % kObjects);
    const int j = static_cast<int>(rng() % kObjects);
    const std::string key = "k" + std::to_string(rng() % 5);
    switch (rng() % 6) {
      case 0:
        objects[i] = objects[j];
        model[i] = model[j];
        break;
      case 1: {
        const json v = random_json_value(rng, 1);
        auto holder = Attributes::from_json(json{{"v", v}});
        REQUIRE(holder.ok());
        objects[i].set_value(key, *holder->find("v"));
        model[i][key] = v;
        break;
      }
      case 2:
        CHECK(objects[i].erase(key) == (model[i].erase(key) == 1));
        break;
      case 3: {
        const int n = static_cast<int>(rng() % 100);
        objects[i].object_at(key).set("x", n);
        if (!model[i].contains(key) || !model[i][key].is_object()) model[i][key] = json::object();
        model[i][key]["x"] = n;
        break;
      }
      case 4:
        objects[i] = Attributes(objects[j]);  // a copy moved in
        model[i] = model[j];
        break;
      default:
        if (rng() % 4 == 0) {
          objects[i].clear();
          model[i] = json::object();
        }
        break;
    }
    CAPTURE(step);
    REQUIRE(objects[i].to_json() == model[i]);
    REQUIRE(objects[j].to_json() == model[j]);
  }
  for (int i = 0; i < kObjects; ++i) CHECK(objects[i].to_json() == model[i]);
}

TEST_CASE("copies sharing storage are read, changed and dropped on different threads") {
  // Each round a fresh object is shared by two threads, and the main thread
  // lets go of its own copy at once: which thread drops the last share, and
  // whether the other then changes its copy in place, is left to the race.
  const json expected = sample().to_json();
  std::vector<int> wrong(2, 0);
  for (int round = 0; round < 300; ++round) {
    auto shared = std::make_unique<Attributes>(whole_sample());
    Attributes first = *shared;
    Attributes second = *shared;
    shared.reset();
    std::thread a([&, mine = std::move(first)]() mutable {
      Attributes copy = mine;
      if (copy.find("name")->as_string() != "Ann") ++wrong[0];
      if (round % 2 == 0) mine.set("thread", 0);
      if (round % 3 == 0) copy.object_at("skills").set("billing", round);
      if (mine.find_path("skills.tier")->as_string() != "gold") ++wrong[0];
    });
    std::thread b([&, mine = std::move(second)]() mutable {
      if (mine.to_json() != expected) ++wrong[1];
      if (round % 2 == 1) mine.erase("langs");
      Attributes later = mine;
      if (later.find_path("skills.billing")->as_number() != 3) ++wrong[1];
    });
    a.join();
    b.join();
  }
  CHECK(wrong[0] == 0);
  CHECK(wrong[1] == 0);
}
