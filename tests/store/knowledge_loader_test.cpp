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
        "owner, review_at)");
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
