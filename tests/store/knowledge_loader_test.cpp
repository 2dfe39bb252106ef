// The demo center's knowledge content loads, reads back in English and
// Chinese, and a bad document is refused by JSON path with nothing loaded.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "hotline/store/knowledge_loader.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

nlohmann::json example() {
  std::ifstream in(std::string(HOTLINE_SOURCE_DIR) + "/examples/center/knowledge/bank.json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

KnowledgeService::Options at_start() {
  KnowledgeService::Options o;
  o.clock = [] { return kStart; };
  return o;
}

}  // namespace

TEST_CASE_TEMPLATE("the demo center's knowledge base loads and answers", B, HL_STORE_BACKENDS) {
  B backend;
  auto storage = backend.open();
  KnowledgeService kb(*storage, at_start());
  const Actor editor{"content-team", Role::kSupervisor};
  const Actor agent{"1017", Role::kAgent};
  auto report = load_knowledge(kb, editor, example());
  REQUIRE_MESSAGE(report.ok(), (report.ok() ? "" : report.error().message));
  CHECK(report->categories == 4);
  CHECK(report->articles == 6);
  CHECK(report->scripts == 6);
  CHECK(kb.list_articles(agent, ArticleQuery{})->size() == 5);  // one is a draft

  CHECK(kb.search(agent, "挂失")->front().title == "银行卡挂失与补办");
  CHECK(kb.search(agent, "stolen card")->front().title == "Lost or stolen card: block it first");
  CHECK(kb.search(agent, "年费")->front().title == "信用卡年费减免规则");
  CHECK(kb.search(agent, "dormant")->empty());

  SuggestionRequest r;
  r.queue = "retail";
  r.ivr_path = "bank/cards/lost";
  r.category = "cards/lost";
  r.subject = "lost card";
  auto s = kb.suggest(agent, r);
  REQUIRE(s.ok());
  REQUIRE(s->size() >= 3);
  CHECK((*s)[0].title == "Lost card opening");

  auto wait = kb.quick_reply("/wait");
  REQUIRE(wait.ok());
  auto greet = kb.render_script(kb.list_scripts(ScriptQuery{})->front().id,
                                {{"agent", {{"number", "1017"}}}});
  REQUIRE(greet.ok());
  CHECK(greet->text ==
        "Thank you for calling, this is agent 1017. Am I speaking with ${customer.name}?");
  CHECK(greet->missing == std::vector<std::string>{"customer.name"});
}

TEST_CASE("a knowledge document with a mistake loads nothing and names the place") {
  auto storage = open_memory_storage();
  KnowledgeService kb(*storage, at_start());
  const Actor editor{"content-team", Role::kSupervisor};
  nlohmann::json doc = example();
  doc["articles"][2]["titel"] = "typo";
  auto r = load_knowledge(kb, editor, doc);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "$.articles[2].titel: unknown field (expected one of: title, body, category, tags, "
        "owner, review_at, status)");
  CHECK(kb.categories()->empty());
  CHECK(kb.list_scripts(ScriptQuery{})->empty());

  doc = example();
  doc["scripts"][1]["queue"] = 7;
  CHECK(load_knowledge(kb, editor, doc).error().message == "$.scripts[1].queue: expected a string");
  doc = example();
  doc["articles"][0]["status"] = "archived";
  CHECK(load_knowledge(kb, editor, doc).error().message ==
        "$.articles[0].status: expected draft or published");
  CHECK(load_knowledge(kb, editor, nlohmann::json{{"pages", 1}}).error().message ==
        "$.pages: unknown field (expected one of: categories, articles, scripts)");
  CHECK(kb.categories()->empty());
}

TEST_CASE_TEMPLATE("a refusal half-way through a load leaves the store as it was", B,
                   HL_STORE_BACKENDS) {
  B backend;
  auto storage = backend.open();
  KnowledgeService kb(*storage, at_start());
  const Actor editor{"content-team", Role::kSupervisor};
  const auto audited = [&] { return storage->audit().records(AuditQuery{})->size(); };
  const auto unchanged = [&] {
    CHECK(kb.categories()->empty());
    CHECK(kb.list_articles(editor, ArticleQuery{})->empty());
    CHECK(kb.list_scripts(ScriptQuery{})->empty());
    CHECK(audited() == 0);  // the articles published before the refusal are not audited
  };

  SUBCASE("an article in the middle names a category the document does not have") {
    nlohmann::json doc = example();
    doc["articles"][3]["category"] = "cards/stolen";
    auto r = load_knowledge(kb, editor, doc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kInvalidArgument);
    CHECK(r.error().message == "$.articles[3]: category: no category 'cards/stolen'");
    unchanged();
  }
  SUBCASE("the last script repeats a shortcut") {
    nlohmann::json doc = example();
    doc["scripts"][5]["shortcut"] = "/thx";
    auto r = load_knowledge(kb, editor, doc);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.rfind("$.scripts[5]: ", 0) == 0);
    unchanged();
  }
  SUBCASE("a category the store has already") {
    REQUIRE(kb.create_category(editor, "accounts").ok());
    auto r = load_knowledge(kb, editor, example());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == Errc::kExists);
    CHECK(r.error().message == "$.categories[3]: category 'accounts' exists");
    REQUIRE(kb.categories()->size() == 1);
    CHECK(kb.list_articles(editor, ArticleQuery{})->empty());
    CHECK(audited() == 0);
  }
}

TEST_CASE_TEMPLATE("after a refused load the corrected document loads in full", B,
                   HL_STORE_BACKENDS) {
  B backend;
  auto storage = backend.open();
  KnowledgeService kb(*storage, at_start());
  const Actor editor{"content-team", Role::kSupervisor};
  nlohmann::json doc = example();
  doc["scripts"][4]["text"] = "";
  REQUIRE_FALSE(load_knowledge(kb, editor, doc).ok());
  auto again = load_knowledge(kb, editor, example());
  REQUIRE_MESSAGE(again.ok(), (again.ok() ? "" : again.error().message));
  CHECK(again->categories == 4);
  CHECK(again->articles == 6);
  CHECK(again->scripts == 6);
  CHECK(kb.list_articles(editor, ArticleQuery{})->size() == 6);
  CHECK(storage->audit().records(AuditQuery{})->size() == 5);  // five publishes
}

TEST_CASE_TEMPLATE("write_together keeps all of its calls or none", B, HL_STORE_BACKENDS) {
  B backend;
  auto storage = backend.open();
  KnowledgeService kb(*storage, at_start());
  const Actor editor{"content-team", Role::kSupervisor};
  auto refused = kb.write_together([&]() -> Status {
    REQUIRE(kb.create_category(editor, "cards").ok());
    auto orphan = kb.create_category(editor, "x/y");
    if (!orphan) return std::move(orphan).error();
    return {};
  });
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "category 'x/y' has no parent 'x'; create that first");
  CHECK(kb.categories()->empty());

  auto nested = kb.write_together([&]() -> Status {
    REQUIRE(kb.create_category(editor, "cards").ok());
    return kb.write_together([] { return Status{}; });
  });
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.error().code == Errc::kIllegalState);
  CHECK(kb.categories()->empty());

  REQUIRE(kb.write_together([&]() -> Status {
              auto c = kb.create_category(editor, "cards");
              if (!c) return std::move(c).error();
              auto lost = kb.create_category(editor, "cards/lost");
              if (!lost) return std::move(lost).error();
              return {};
            }).ok());
  CHECK(kb.categories()->size() == 2);
  // Calls outside it write on their own again.
  CHECK(kb.create_category(editor, "loans").ok());
  CHECK(kb.categories()->size() == 3);
}
