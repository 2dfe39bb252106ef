// The store's JSON readers: typed fields without coercion, errors that name
// the JSON path, unknown keys refused with the keys accepted, and numeric
// options bounded before any arithmetic on them.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "hotline/store/json.hpp"

using namespace hotline;
using namespace hotline::store;
using nlohmann::json;

namespace {

template <typename T>
std::string error_of(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kInvalidArgument);
  return r.error().message;
}

}  // namespace

TEST_CASE("unknown keys are refused with the keys the object accepts, in order") {
  CHECK(error_of(new_ticket_from_json(json{{"subject", "x"}, {"priorty", "high"}})) ==
        "$.priorty: unknown field (expected one of: subject, description, category, priority, "
        "channel, customer, contact_id, assignee, group)");
  CHECK(error_of(ticket_update_from_json(json{{"assignee", "bob"}})) ==
        "$.assignee: unknown field (expected one of: subject, description, category, priority, "
        "customer)");
  CHECK(error_of(customer_update_from_json(json{{"phone", "1"}})) ==
        "$.phone: unknown field (expected one of: name, phones, emails, tier, tags, attributes, "
        "national_id, payment_info)");
  CHECK(error_of(ticket_query_from_json(json{{"sort", "x"}})) ==
        "$.sort: unknown field (expected one of: status, assignee, group, customer, due_before, "
        "open_only, order, limit, after)");
  CHECK(error_of(store_config_from_json(
            json{{"backend", "memory"}, {"sla", {{"high", {{"resolution_hours", 1}}}}}})) ==
        "$.sla.high.resolution_hours: unknown field (expected one of: first_response_minutes, "
        "resolution_minutes)");
  CHECK(error_of(store_config_from_json(json{{"backend", "memory"}, {"pathh", "x"}})) ==
        "$.pathh: unknown field (expected one of: backend, path, synchronous, locking, "
        "busy_timeout_ms, "
        "default_region, categories, number_prefix, recovery_group, recovery_due_minutes, "
        "calendar, sla)");
  CHECK(error_of(store_config_from_json(json{{"backend", "memory"}, {"sla", {{"soon", {}}}}})) ==
        "$.sla.soon: unknown field (expected one of: low, normal, high, urgent)");
  CHECK(error_of(contact_from_json(json{{"caller", "x"}})).find(
            "$.caller: unknown field (expected one of: contact_id, customer, channel, queue, "
            "agent, ani, started_at, ended_at, outcome)") == 0);
  CHECK(error_of(follow_up_query_from_json(json{{"kind", "x"}})) ==
        "$.kind: unknown field (expected one of: ticket, status, assignee, due_before, limit)");
  CHECK(error_of(audit_query_from_json(json{{"who", "x"}})) ==
        "$.who: unknown field (expected one of: entity, entity_id, actor, limit)");
  CHECK(error_of(import_options_from_json(json{{"dryrun", true}})) ==
        "$.dryrun: unknown field (expected one of: mapping, duplicates, dry_run)");
}

TEST_CASE("a number where a string belongs, and the reverse, is refused, not coerced") {
  CHECK(error_of(new_ticket_from_json(json{{"subject", 5}})) == "$.subject: expected a string");
  CHECK(error_of(new_ticket_from_json(json{{"subject", "x"}, {"customer", "7"}})) ==
        "$.customer: expected an integer");
  CHECK(error_of(new_ticket_from_json(json{{"subject", "x"}, {"customer", 7.5}})) ==
        "$.customer: expected an integer");
  CHECK(error_of(new_ticket_from_json(json{{"subject", "x"}, {"customer", true}})) ==
        "$.customer: expected an integer");
  CHECK(error_of(new_ticket_from_json(json{{"subject", json::array({"x"})}})) ==
        "$.subject: expected a string");
  CHECK(error_of(new_ticket_from_json(json{{"subject", "x"}, {"priority", 2}})) ==
        "$.priority: expected low, normal, high or urgent");
  CHECK(error_of(customer_update_from_json(json{{"tags", json::array({"a", 1})}})) ==
        "$.tags[1]: expected a string");
  CHECK(error_of(customer_update_from_json(json{{"phones", "+49301234567"}})) ==
        "$.phones: expected a list of strings");
  CHECK(error_of(ticket_query_from_json(json{{"open_only", 1}})) ==
        "$.open_only: expected true or false");
  // 2^64-1 would wrap to -1 if read as int64.
  CHECK(error_of(new_ticket_from_json(json::parse(
            R"({"subject": "x", "customer": 18446744073709551615})"))) ==
        "$.customer: expected an integer that fits in 64 bits");
  auto biggest = new_ticket_from_json(
      json::parse(R"({"subject": "x", "customer": 9223372036854775807})"));
  REQUIRE(biggest.ok());
  CHECK(biggest->customer == 9223372036854775807LL);
  // A null is an absent field.
  auto with_null = new_ticket_from_json(json{{"subject", "x"}, {"assignee", nullptr}});
  REQUIRE(with_null.ok());
  CHECK(with_null->assignee.empty());
}

TEST_CASE("page sizes outside their range are refused with the path, not clamped") {
  CHECK(error_of(ticket_query_from_json(json{{"limit", 0}})) ==
        "$.limit: expected 1 to 1000, not 0");
  CHECK(error_of(follow_up_query_from_json(json{{"limit", -5}})) ==
        "$.limit: expected 1 to 10000, not -5");
  CHECK(error_of(audit_query_from_json(json{{"limit", 10001}})) ==
        "$.limit: expected 1 to 10000, not 10001");
  CHECK(follow_up_query_from_json(json{{"limit", 10000}})->limit == 10000);
}

TEST_CASE("store options: minutes that would overflow, or negative values, are refused") {
  // Read, not opened: the file's settings belong to the sqlite backend.
  const json base{{"path", "h.db"}};
  auto with = [&](json extra) {
    json j = base;
    j.update(extra);
    return store_config_from_json(j);
  };
  // 2^62 minutes times 60,000 overflows int64: refused before multiplying.
  CHECK(error_of(with({{"sla", {{"urgent", {{"resolution_minutes", 4611686018427387904LL}}}}}})) ==
        "$.sla.urgent.resolution_minutes: expected 0 to 5270400 minutes (ten years), not "
        "4611686018427387904");
  CHECK(error_of(with({{"sla", {{"low", {{"first_response_minutes", -1}}}}}})) ==
        "$.sla.low.first_response_minutes: expected 0 to 5270400 minutes (ten years), not -1");
  CHECK(error_of(with({{"recovery_due_minutes", -30}})) ==
        "$.recovery_due_minutes: expected 0 to 5270400 minutes (ten years), not -30");
  CHECK(error_of(with({{"recovery_due_minutes", 153722867280912931LL}})).find(
            "$.recovery_due_minutes: expected 0 to 5270400") == 0);
  CHECK(error_of(with({{"busy_timeout_ms", -1}})) ==
        "$.busy_timeout_ms: expected 0 to 600000 (ten minutes), not -1");
  CHECK(error_of(with({{"busy_timeout_ms", 4294967296LL}})).find("$.busy_timeout_ms") == 0);

  auto fine = with({{"sla", {{"urgent", {{"first_response_minutes", 30},
                                          {"resolution_minutes", 5270400}}}}},
                    {"recovery_due_minutes", 0},
                    {"busy_timeout_ms", 600000}});
  REQUIRE(fine.ok());
  CHECK(fine->tickets.sla.at(TicketPriority::kUrgent).first_response_ms == 30 * 60'000);
  CHECK(fine->tickets.sla.at(TicketPriority::kUrgent).resolution_ms == 5270400LL * 60'000);
  CHECK(fine->tickets.recovery_due_ms == 0);
  CHECK(fine->sqlite_options.busy_timeout_ms == 600000);
}

TEST_CASE("store options: locking is shared unless a host asks to hold the file alone") {
  auto with_locking = [](json locking) {
    return store_config_from_json(json{{"path", "h.db"}, {"locking", std::move(locking)}});
  };
  CHECK_FALSE(store_config_from_json(json{{"path", "h.db"}})->sqlite_options.exclusive);
  CHECK_FALSE(with_locking("shared")->sqlite_options.exclusive);
  CHECK(with_locking("exclusive")->sqlite_options.exclusive);
  CHECK(error_of(with_locking("sole")) == "$.locking: expected shared or exclusive");
  CHECK(error_of(with_locking(true)).find("$.locking") == 0);
}

TEST_CASE("store options: a file's settings are refused for the memory backend") {
  auto memory_with = [](const char* field, json value) {
    return error_of(store_config_from_json(json{{"backend", "memory"}, {field, std::move(value)}}));
  };
  CHECK(memory_with("locking", "exclusive") ==
        "$.locking: only the sqlite backend takes locking, and this store's backend is memory");
  CHECK(memory_with("path", "h.db") ==
        "$.path: only the sqlite backend takes path, and this store's backend is memory");
  CHECK(memory_with("path", "") ==
        "$.path: only the sqlite backend takes path, and this store's backend is memory");
  CHECK(memory_with("synchronous", "full") ==
        "$.synchronous: only the sqlite backend takes synchronous, and this store's backend is "
        "memory");
  CHECK(memory_with("busy_timeout_ms", 100) ==
        "$.busy_timeout_ms: only the sqlite backend takes busy_timeout_ms, and this store's "
        "backend is memory");
  CHECK(store_config_from_json(json{{"backend", "memory"}, {"default_region", "CN"}}).ok());
  // Null is absent, as for every field these readers take.
  for (const std::string_view field : kSqliteFileSettings) {
    CAPTURE(field);
    CHECK(store_config_from_json(json{{"backend", "memory"}, {std::string(field), nullptr}}).ok());
    CHECK_FALSE(store_config_from_json(json{{"backend", "memory"}, {std::string(field), 1}}).ok());
  }
}

TEST_CASE("store options: a path SQLite would not read as the file it spells is refused") {
  // nolock=1 would turn off locking and the write-ahead log; mode=ro would
  // make the store read-only behind its back.
  for (const char* uri : {"file:h.db?nolock=1", "file:h.db?mode=ro", "file:h.db"}) {
    CAPTURE(uri);
    const std::string error = error_of(store_config_from_json(json{{"path", uri}}));
    CHECK(error.find(fmt::format("$.path: '{}' would be read as an SQLite URI", uri)) == 0);
    CHECK(error.find("prefixed with ./") != std::string::npos);
  }
  // A NUL byte would end the name SQLite reads: "\0x" would open a private
  // temporary database instead of a file.
  CHECK(error_of(store_config_from_json(json{{"path", std::string("\0x", 2)}})) ==
        "$.path: the path holds a NUL byte (byte 0), which would end it early");
  // Only the exact prefix is a URI to SQLite; these are file names.
  for (const char* name : {"./file:h.db", "File:h.db", "files.db", "data/file:h.db"}) {
    CAPTURE(name);
    CHECK(store_config_from_json(json{{"path", name}}).ok());
  }
}
