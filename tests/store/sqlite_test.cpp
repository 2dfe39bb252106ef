// What only the SQLite backend promises: WAL, migrations, a reader beside
// the writer, busy handling, and commits that survive the process dying.
#include <doctest/doctest.h>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "store/sqlite/search_tokenizer.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

// A second, raw connection to look at the file as any SQLite tool would,
// given the project's search tokenizer (the full-text index needs it).
std::string pragma(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK);
  REQUIRE(sqlite::register_search_tokenizer(db).ok());
  std::string out;
  char* error = nullptr;
  sqlite3_exec(
      db, sql,
      [](void* p, int, char** values, char**) {
        *static_cast<std::string*>(p) += values[0] ? values[0] : "";
        return 0;
      },
      &out, &error);
  if (error) {
    out = std::string("error: ") + error;
    sqlite3_free(error);
  }
  sqlite3_close(db);
  return out;
}

NewTicket subject(std::string text) {
  NewTicket n;
  n.subject = std::move(text);
  return n;
}

TicketService::Options clocked() {
  TicketService::Options o;
  o.clock = [] { return kStart; };
  return o;
}

}  // namespace

TEST_CASE("a new database is in WAL mode at the current schema version") {
  TempDir dir;
  const std::string path = dir.file("h.db");
  {
    auto s = open_sqlite_storage(SqliteOptions{path});
    REQUIRE(s.ok());
  }
  CHECK(pragma(path, "PRAGMA journal_mode") == "wal");
  CHECK(pragma(path, "PRAGMA user_version") == "6");
  // Opening again migrates nothing and keeps the data.
  {
    auto s = open_sqlite_storage(SqliteOptions{path});
    REQUIRE(s.ok());
    TicketService t(**s, clocked());
    REQUIRE(t.create(system_actor(), subject("kept")).ok());
  }
  auto s = open_sqlite_storage(SqliteOptions{path, true});
  REQUIRE(s.ok());
  TicketService t(**s, clocked());
  CHECK(t.get_by_number("T-2026-000001")->subject == "kept");
}

TEST_CASE("a database from a newer library is refused, untouched") {
  TempDir dir;
  const std::string path = dir.file("h.db");
  { REQUIRE(open_sqlite_storage(SqliteOptions{path}).ok()); }
  pragma(path, "PRAGMA user_version = 99");
  auto s = open_sqlite_storage(SqliteOptions{path});
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("schema version 99, newer than this library's 6") !=
        std::string::npos);
  CHECK(pragma(path, "PRAGMA user_version") == "99");
  auto bad = open_sqlite_storage(SqliteOptions{dir.file("missing/dir/h.db")});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("missing/dir/h.db") != std::string::npos);
  CHECK(open_sqlite_storage(SqliteOptions{}).error().code == Errc::kInvalidArgument);
}

TEST_CASE("a reader sees committed data while the writer holds its transaction") {
  TempDir dir;
  const std::string path = dir.file("h.db");
  auto writer = open_sqlite_storage(SqliteOptions{path});
  REQUIRE(writer.ok());
  TicketService w(**writer, clocked());
  REQUIRE(w.create(system_actor(), subject("committed")).ok());

  // The writer opens a transaction and writes without committing.
  REQUIRE((*writer)->begin().ok());
  Ticket pending;
  pending.number = "X-1";
  pending.subject = "uncommitted";
  REQUIRE((*writer)->tickets().insert(pending).ok());

  // A reader on another thread, with its own connection, is not blocked.
  std::size_t seen = 99;
  std::thread reader([&] {
    auto r = open_sqlite_storage(SqliteOptions{path, false, 5000, true});
    REQUIRE(r.ok());
    TicketQuery q;
    auto page = (*r)->tickets().list(q);
    REQUIRE(page.ok());
    seen = page->tickets.size();
  });
  reader.join();
  CHECK(seen == 1);
  (*writer)->rollback();
}

TEST_CASE("a second writer gets kBusy after the busy timeout, not a hang") {
  TempDir dir;
  const std::string path = dir.file("h.db");
  auto first = open_sqlite_storage(SqliteOptions{path});
  auto second = open_sqlite_storage(SqliteOptions{path, false, 50});
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE((*first)->begin().ok());
  TicketService t(**second, clocked());
  auto r = t.create(system_actor(), subject("blocked"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::kBusy);
  REQUIRE((*first)->commit().ok());
  CHECK(t.create(system_actor(), subject("now it works")).ok());
}

TEST_CASE("a read snapshot sees one state of the file while another connection commits") {
  TempDir dir;
  const std::string path = dir.file("h.db");
  auto writer = open_sqlite_storage(SqliteOptions{path});
  auto reader = open_sqlite_storage(SqliteOptions{path});
  REQUIRE(writer.ok());
  REQUIRE(reader.ok());
  TicketService w(**writer, clocked());
  REQUIRE(w.create(system_actor(), subject("first")).ok());
  auto count = [&] { return (*reader)->tickets().list(TicketQuery{})->tickets.size(); };

  {
    ReadSnapshot snapshot(**reader);
    REQUIRE(snapshot.status().ok());
    CHECK(count() == 1);
    // The writer is not held up, and the snapshot does not see its commit.
    REQUIRE(w.create(system_actor(), subject("second")).ok());
    CHECK(count() == 1);
    auto nested = (*reader)->begin_read();
    REQUIRE_FALSE(nested.ok());
    CHECK(nested.error().code == Errc::kIllegalState);
    auto write = (*reader)->begin();
    REQUIRE_FALSE(write.ok());
    CHECK(write.error().message == "a read snapshot is open");
  }
  // Ended with its scope: the next read sees the commit, and a write may begin.
  CHECK(count() == 2);
  REQUIRE((*reader)->begin().ok());
  auto inside_write = (*reader)->begin_read();
  REQUIRE_FALSE(inside_write.ok());
  CHECK(inside_write.error().code == Errc::kIllegalState);
  (*reader)->rollback();
  (*reader)->end_read();  // none open: nothing to end
  CHECK(count() == 2);
  REQUIRE((*reader)->begin().ok());
  REQUIRE((*reader)->commit().ok());
}

TEST_CASE("a store opened with exclusive locking holds the file alone until it closes") {
  TempDir dir;
  const std::string path = dir.file("h.db");
  {
    // Written first by an ordinary writer: the exclusive one meets a file
    // in WAL mode that others have had open.
    auto shared = open_sqlite_storage(SqliteOptions{path});
    REQUIRE(shared.ok());
    TicketService t(**shared, clocked());
    REQUIRE(t.create(system_actor(), subject("before")).ok());
  }
  // Opened again, with nothing to migrate: held from the open, before any
  // write of its own.
  SqliteOptions alone{path};
  alone.exclusive = true;
  auto sole = open_sqlite_storage(alone);
  REQUIRE(sole.ok());
  CHECK(pragma(path, "PRAGMA user_version") == "error: database is locked");
  TicketService t(**sole, clocked());
  CHECK(t.get_by_number("T-2026-000001")->subject == "before");
  REQUIRE(t.create(system_actor(), subject("during")).ok());
  // The write-ahead log's index is in the connection's memory: no
  // shared-memory file for other processes to meet in.
  CHECK(::access((path + "-shm").c_str(), F_OK) != 0);

  // Nobody else gets in, whatever they open it for, and the error says why.
  for (const bool read_only : {false, true}) {
    CAPTURE(read_only);
    auto other = open_sqlite_storage(SqliteOptions{path, false, 0, read_only});
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == Errc::kBusy);
    CHECK(other.error().message.find("'" + path + "' is in use by another connection") == 0);
    CHECK(other.error().message.find("exclusive locking") != std::string::npos);
  }
  SqliteOptions second = alone;
  second.busy_timeout_ms = 0;
  auto rival = open_sqlite_storage(second);
  REQUIRE_FALSE(rival.ok());
  CHECK(rival.error().code == Errc::kBusy);
  CHECK(pragma(path, "PRAGMA user_version") == "error: database is locked");

  // Closed, the file is everyone's again, with what was written.
  sole->reset();
  auto after = open_sqlite_storage(SqliteOptions{path, false, 5000, true});
  REQUIRE(after.ok());
  TicketService read(**after, clocked());
  CHECK(read.get_by_number("T-2026-000002")->subject == "during");
  CHECK(pragma(path, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("an exclusive open is refused while another connection has the file open") {
  TempDir dir;
  const std::string path = dir.file("h.db");
  auto shared = open_sqlite_storage(SqliteOptions{path});
  REQUIRE(shared.ok());
  SqliteOptions alone{path, false, 0};  // no busy wait: refused at once
  alone.exclusive = true;
  auto sole = open_sqlite_storage(alone);
  REQUIRE_FALSE(sole.ok());
  CHECK(sole.error().code == Errc::kBusy);
  CHECK(sole.error().message.find("exclusive locking needs the file to have no other "
                                  "connection open") != std::string::npos);
  // The other connection goes on unharmed.
  TicketService t(**shared, clocked());
  CHECK(t.create(system_actor(), subject("still mine")).ok());
  shared->reset();
  auto now_alone = open_sqlite_storage(alone);
  REQUIRE(now_alone.ok());
  CHECK(TicketService(**now_alone, clocked()).get_by_number("T-2026-000001")->subject ==
        "still mine");
}

TEST_CASE("a store cannot be both read-only and exclusive") {
  TempDir dir;
  SqliteOptions o{dir.file("h.db"), false, 5000, true};
  o.exclusive = true;
  auto s = open_sqlite_storage(o);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == Errc::kInvalidArgument);
  CHECK(s.error().message.find("both read-only and exclusive") != std::string::npos);
}

TEST_CASE("a path SQLite would read otherwise than as the file it spells is refused") {
  TempDir dir;
  const std::string file = dir.file("h.db");
  // As a URI, nolock=1 would open the file with no locking at all, and
  // mode=ro read-only whatever was asked.
  for (const std::string& uri : {"file:" + file + "?nolock=1", "file:" + file + "?mode=ro"}) {
    CAPTURE(uri);
    auto s = open_sqlite_storage(SqliteOptions{uri});
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == Errc::kInvalidArgument);
    CHECK(s.error().message.find("would be read as an SQLite URI") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(file));
  }
  // Nor a path with a NUL byte, which would open a temporary database.
  auto cut = open_sqlite_storage(SqliteOptions{file + std::string("\0x", 2)});
  REQUIRE_FALSE(cut.ok());
  CHECK(cut.error().code == Errc::kInvalidArgument);
  CHECK(cut.error().message.find("NUL byte") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(file));
  // A file whose name merely contains "file:" is a file like any other.
  const std::string named = dir.file("file:h.db");
  auto s = open_sqlite_storage(SqliteOptions{named});
  REQUIRE(s.ok());
  CHECK(std::filesystem::exists(named));
}

// A child commits tickets in a loop and reports each committed id through a
// pipe; it is killed with SIGKILL at a random moment. Every reported ticket
// must be there after reopening, and the file must pass integrity_check.
TEST_CASE("commits survive SIGKILL at a random moment") {
  TempDir dir;
  const std::string path = dir.file("crash.db");
  std::mt19937 rng(20261124);
  std::vector<TicketId> committed;
  for (int round = 0; round < 8; ++round) {
    const bool full = round % 2 == 1;
    // Half the writers hold the file with exclusive locking: their log's
    // index, in their own memory, dies with them, and the next opener
    // rebuilds it from the log.
    const bool exclusive = round % 4 >= 2;
    CAPTURE(round);
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      SqliteOptions options{path, full};
      options.exclusive = exclusive;
      auto s = open_sqlite_storage(options);
      if (!s.ok()) _exit(2);
      TicketService t(**s, clocked());
      for (int i = 0;; ++i) {
        NewTicket n;
        n.subject = "round " + std::to_string(round) + " ticket " + std::to_string(i);
        n.description = std::string(static_cast<std::size_t>(i % 7) * 300, 'd');
        auto r = t.create(system_actor(), n);
        if (!r.ok()) _exit(3);
        const TicketId id = r->id;
        if (write(fds[1], &id, sizeof id) != sizeof id) _exit(4);
      }
    }
    close(fds[1]);
    // The kill lands at a random moment after the writer's first commit, so
    // a slow machine cannot turn a round into one that committed nothing.
    TicketId id;
    REQUIRE_MESSAGE(read(fds[0], &id, sizeof id) == sizeof id, "the writer never committed");
    committed.push_back(id);
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + rng() % 250));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFSIGNALED(status));  // it was still writing, not failed early
    while (read(fds[0], &id, sizeof id) == sizeof id) committed.push_back(id);
    close(fds[0]);

    auto s = open_sqlite_storage(SqliteOptions{path});
    REQUIRE(s.ok());
    for (TicketId c : committed) {
      auto t = (*s)->tickets().get(c);
      REQUIRE_MESSAGE(t.ok(), "ticket ", c, " was reported committed and is gone");
    }
    CHECK(pragma(path, "PRAGMA integrity_check") == "ok");
    CHECK(pragma(path, "INSERT INTO ticket_text(ticket_text) VALUES('integrity-check')").empty());
  }
  MESSAGE(committed.size(), " tickets committed across 8 killed writers");
}
