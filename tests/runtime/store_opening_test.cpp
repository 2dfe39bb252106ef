// Stores opened from a host's configuration: memory, a real SQLite file
// (whose tickets outlive the service), and configurations refused with
// their JSON path before anything is opened.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "hotline/runtime/store_opening.hpp"

using namespace hotline;
using nlohmann::json;

namespace {

store::NewTicket ticket(const std::string& subject) {
  store::NewTicket t;
  t.subject = subject;
  return t;
}

const store::Actor kAgent{"ann", store::Role::kAgent};

}  // namespace

TEST_CASE("a memory store opens from its configuration and keeps tickets") {
  auto opened = runtime::open_store(json{{"backend", "memory"}, {"number_prefix", "M"}});
  REQUIRE(opened.ok());
  CHECK(!opened->config.sqlite);
  auto tickets = runtime::make_ticket_service(std::move(opened->storage),
                                              std::move(opened->config));
  auto t = tickets->create(kAgent, ticket("printer on fire"));
  REQUIRE(t.ok());
  CHECK(t->number.rfind("M", 0) == 0);
  CHECK(tickets->get(t->id).ok());
}

TEST_CASE("a SQLite store opens at its path, and its tickets are there when opened again") {
  char dir_template[] = "/tmp/hotline-store-opening-XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string path = std::string(dir_template) + "/tickets.db";
  const json config{{"backend", "sqlite"}, {"path", path}};
  store::TicketId id = 0;
  {
    auto opened = runtime::open_store(config);
    REQUIRE(opened.ok());
    CHECK(opened->config.sqlite);
    auto tickets = runtime::make_ticket_service(std::move(opened->storage),
                                                std::move(opened->config));
    auto t = tickets->create(kAgent, ticket("no dial tone"));
    REQUIRE(t.ok());
    id = t->id;
  }  // the service lets go of the storage, which closes the file
  {
    auto opened = runtime::open_store(config);
    REQUIRE(opened.ok());
    auto tickets = runtime::make_ticket_service(std::move(opened->storage),
                                                std::move(opened->config));
    auto t = tickets->get(id);
    REQUIRE(t.ok());
    CHECK(t->subject == "no dial tone");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  rmdir(dir_template);
}

TEST_CASE("a store configuration that cannot be opened is refused with its JSON path") {
  auto unknown_backend = runtime::open_store(json{{"backend", "postgres"}}, "$.store");
  REQUIRE(!unknown_backend.ok());
  CHECK(unknown_backend.error().code == Errc::kInvalidArgument);
  CHECK(unknown_backend.error().message.rfind("$.store.backend:", 0) == 0);

  auto unknown_key = runtime::open_store(json{{"backend", "memory"}, {"colour", "red"}});
  REQUIRE(!unknown_key.ok());
  CHECK(unknown_key.error().message.rfind("$.colour: unknown field", 0) == 0);

  auto no_directory =
      runtime::open_store(json{{"backend", "sqlite"}, {"path", "/nonexistent-dir/x/tickets.db"}});
  REQUIRE(!no_directory.ok());
}
