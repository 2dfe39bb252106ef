// The knowledge-base contract: every case runs against the memory, SQLite and
// host-storage (key-value) backends.
#include <doctest/doctest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "hotline/store/knowledge_service.hpp"
#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

template <typename Backend>
struct Library : Desk<Backend> {
  KnowledgeService kb{*this->storage, kb_options()};

  KnowledgeService::Options kb_options() {
    KnowledgeService::Options o;
    o.clock = [this] { return this->now; };
    return o;
  }
  void category(const char* path) {
    auto c = kb.create_category(this->supervisor, path);
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? "" : c.error().message));
  }
  Article article(std::string title, std::string body, std::string category = "",
                  std::vector<std::string> tags = {}, bool publish = true) {
    NewArticle n;
    n.title = std::move(title);
    n.body = std::move(body);
    n.category = std::move(category);
    n.tags = std::move(tags);
    auto a = kb.create_article(this->supervisor, n);
    REQUIRE_MESSAGE(a.ok(), (a.ok() ? "" : a.error().message));
    if (!publish) return *a;
    auto p = kb.publish(this->supervisor, a->id);
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return *p;
  }
  Script script(NewScript n) {
    auto s = kb.create_script(this->supervisor, n);
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    return *s;
  }
};

std::vector<std::string> titles(const std::vector<Article>& list) {
  std::vector<std::string> out;
  for (const auto& a : list) out.push_back(a.title);
  return out;
}

}  // namespace

TEST_CASE_TEMPLATE("every change to an article is a version with who, when and what", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  d.category("cards");
  NewArticle n;
  n.title = "Lost card";
  n.body = "# Lost card\n\nBlock the card first.";
  n.category = "cards";
  n.tags = {"card", "urgent"};
  auto a = d.kb.create_article(d.supervisor, n);
  REQUIRE(a.ok());
  CHECK(a->version == 1);
  CHECK(a->status == ArticleStatus::kDraft);
  CHECK(a->owner == "sam");  // the creator, when no owner is named
  CHECK(a->tags == std::vector<std::string>{"card", "urgent"});

  d.now += kHour;
  ArticleUpdate u;
  u.title = "Lost or stolen card";
  u.body = n.body;  // unchanged: not listed as changed
  u.owner = "ada";
  auto edited = d.kb.update_article(d.admin, a->id, u);
  REQUIRE(edited.ok());
  CHECK(edited->version == 2);
  CHECK(edited->updated_by == "ada");
  CHECK(edited->updated_at == kStart + kHour);

  d.now += kHour;
  REQUIRE(d.kb.publish(d.supervisor, a->id).ok());
  // An edit that changes nothing makes no version.
  auto same = d.kb.update_article(d.supervisor, a->id, u);
  REQUIRE(same.ok());
  CHECK(same->version == 3);

  auto history = d.kb.history(d.supervisor, a->id);
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  CHECK((*history)[0].version == 1);
  CHECK((*history)[0].actor == "sam");
  CHECK((*history)[0].at == kStart);
  CHECK((*history)[0].changed == std::vector<std::string>{"created"});
  CHECK((*history)[1].actor == "ada");
  CHECK((*history)[1].changed == std::vector<std::string>{"title", "owner"});
  CHECK((*history)[2].changed == std::vector<std::string>{"status"});
  CHECK((*history)[2].status == ArticleStatus::kPublished);

  auto first = d.kb.version(d.supervisor, a->id, 1);
  REQUIRE(first.ok());
  CHECK(first->title == "Lost card");
  CHECK(first->owner == "sam");
  CHECK(first->status == ArticleStatus::kDraft);
  auto current = d.kb.get_article(d.agent, a->id);
  REQUIRE(current.ok());
  CHECK(current->title == "Lost or stolen card");
  auto missing = d.kb.version(d.supervisor, a->id, 4);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == Errc::kNotFound);
  CHECK(missing.error().message.find("versions 1 to 3, not 4") != std::string::npos);
}

TEST_CASE_TEMPLATE("an article past its review date is flagged stale in reads and lists", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  NewArticle n;
  n.title = "Card fees 2026";
  n.review_at = kStart + 24 * kHour;
  auto a = d.kb.create_article(d.supervisor, n);
  REQUIRE(a.ok());
  REQUIRE(d.kb.publish(d.supervisor, a->id).ok());
  const Article fresh = d.article("Opening hours", "9 to 5");
  CHECK_FALSE(d.kb.get_article(d.agent, a->id)->stale);
  ArticleQuery stale_only;
  stale_only.stale_only = true;
  CHECK(d.kb.list_articles(d.agent, stale_only)->empty());

  d.now = kStart + 24 * kHour;
  CHECK(d.kb.get_article(d.agent, a->id)->stale);
  CHECK_FALSE(d.kb.get_article(d.agent, fresh.id)->stale);
  CHECK(titles(*d.kb.list_articles(d.agent, stale_only)) ==
        std::vector<std::string>{"Card fees 2026"});
  auto all = d.kb.list_articles(d.agent, ArticleQuery{});
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].stale);
  CHECK_FALSE((*all)[1].stale);

  // A new review date clears the flag.
  ArticleUpdate u;
  u.review_at = kStart + 90 * 24 * kHour;
  REQUIRE(d.kb.update_article(d.supervisor, a->id, u).ok());
  CHECK_FALSE(d.kb.get_article(d.agent, a->id)->stale);
}

TEST_CASE_TEMPLATE("agents read published articles; editors write, and publishing is audited", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  NewArticle n;
  n.title = "Draft policy";
  auto denied = d.kb.create_article(d.agent, n);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == Errc::kPermission);
  CHECK(denied.error().message.find("alice may not create articles") != std::string::npos);
  CHECK(d.kb.list_articles(d.supervisor, ArticleQuery{})->empty());

  const Article draft = d.article("Draft policy", "not yet", "", {}, false);
  auto hidden = d.kb.get_article(d.agent, draft.id);
  REQUIRE_FALSE(hidden.ok());
  CHECK(hidden.error().code == Errc::kNotFound);
  CHECK(d.kb.history(d.agent, draft.id).error().code == Errc::kNotFound);
  CHECK(d.kb.list_articles(d.agent, ArticleQuery{})->empty());
  ArticleQuery drafts;
  drafts.status = ArticleStatus::kDraft;
  CHECK(d.kb.list_articles(d.agent, drafts).error().code == Errc::kPermission);
  CHECK(d.kb.list_articles(d.supervisor, drafts)->size() == 1);
  CHECK(d.kb.publish(d.agent, draft.id).error().code == Errc::kPermission);
  ArticleUpdate u;
  u.body = "sneaky";
  CHECK(d.kb.update_article(d.agent, draft.id, u).error().code == Errc::kPermission);
  CHECK(d.kb.get_article(d.supervisor, draft.id)->body == "not yet");

  d.now += kMinute;
  REQUIRE(d.kb.publish(d.supervisor, draft.id).ok());
  CHECK(d.kb.get_article(d.agent, draft.id).ok());
  CHECK(d.kb.publish(d.supervisor, draft.id).error().code == Errc::kIllegalState);
  d.now += kMinute;
  REQUIRE(d.kb.archive(d.admin, draft.id).ok());
  CHECK(d.kb.get_article(d.agent, draft.id).error().code == Errc::kNotFound);

  AuditQuery q;
  q.entity = "article";
  auto audit = d.storage->audit().records(q);
  REQUIRE(audit.ok());
  REQUIRE(audit->size() == 2);  // most recent first
  CHECK((*audit)[0].action == "archive");
  CHECK((*audit)[0].actor == "ada");
  CHECK((*audit)[0].role == "admin");
  CHECK((*audit)[0].entity_id == draft.id);
  CHECK((*audit)[0].at == kStart + 2 * kMinute);
  CHECK((*audit)[1].action == "publish");
  CHECK((*audit)[1].actor == "sam");
  CHECK((*audit)[1].detail == "version 2: Draft policy");

  // Scripts: agents read them, editors write them.
  NewScript s;
  s.title = "Greeting";
  s.text = "Hello";
  CHECK(d.kb.create_script(d.agent, s).error().code == Errc::kPermission);
  CHECK(d.kb.list_scripts(ScriptQuery{})->empty());
}

TEST_CASE_TEMPLATE("the category tree: paths, parents, and lists that include subcategories", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  d.category("cards");
  d.category("cards/lost");
  d.category("accounts");
  auto orphan = d.kb.create_category(d.supervisor, "loans/car");
  REQUIRE_FALSE(orphan.ok());
  CHECK(orphan.error().code == Errc::kNotFound);
  CHECK(orphan.error().message.find("no parent 'loans'") != std::string::npos);
  CHECK(d.kb.create_category(d.supervisor, "cards").error().code == Errc::kExists);
  CHECK(d.kb.create_category(d.supervisor, "cards//x").error().message.find("part 2 is empty") !=
        std::string::npos);
  CHECK(d.kb.create_category(d.agent, "x").error().code == Errc::kPermission);
  auto all = d.kb.categories();
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].path == "accounts");
  CHECK((*all)[1].path == "cards");
  CHECK((*all)[2].path == "cards/lost");
  CHECK((*all)[2].name == "lost");
  CHECK((*all)[2].parent == (*all)[1].id);

  d.article("Block a lost card", "", "cards/lost");
  d.article("Card limits", "", "cards");
  d.article("Savings rates", "", "accounts");
  ArticleQuery cards;
  cards.category = "cards";
  CHECK(titles(*d.kb.list_articles(d.agent, cards)) ==
        std::vector<std::string>{"Block a lost card", "Card limits"});
  ArticleQuery lost;
  lost.category = "cards/lost";
  CHECK(titles(*d.kb.list_articles(d.agent, lost)) ==
        std::vector<std::string>{"Block a lost card"});
  ArticleQuery tagged;
  tagged.tag = "none";
  CHECK(d.kb.list_articles(d.agent, tagged)->empty());
}

TEST_CASE_TEMPLATE("search ranks title matches first and keeps the searches that found nothing",
                   B, HL_STORE_BACKENDS) {
  Library<B> d;
  d.article("Card fees", "What a replacement costs.");
  d.article("Replacement card", "Order a new card when yours is damaged.");
  d.article("Branch hours", "Open 9 to 5.");
  d.article("Old replacement card policy", "replaced", "", {}, false);  // a draft

  auto found = d.kb.search(d.agent, "replacement CARD");
  REQUIRE(found.ok());
  CHECK(titles(*found) == std::vector<std::string>{"Replacement card", "Card fees"});
  // Editors see drafts in search too.
  CHECK(d.kb.search(d.supervisor, "replacement card")->size() == 3);
  CHECK(d.kb.search(d.agent, "replacement", 1)->size() == 1);

  d.now = kStart + kHour;
  CHECK(d.kb.search(d.agent, "mortgage")->empty());
  d.now = kStart + 2 * kHour;
  CHECK(d.kb.search(d.agent, "mortgage")->empty());
  CHECK(d.kb.search(d.agent, "crypto wallet")->empty());
  d.now = kStart + 5 * kHour;
  CHECK(d.kb.search(d.agent, "mortgage")->empty());

  auto gaps = d.kb.gaps(d.supervisor, kStart, kStart + 3 * kHour);
  REQUIRE(gaps.ok());
  REQUIRE(gaps->size() == 2);
  CHECK((*gaps)[0].query == "mortgage");
  CHECK((*gaps)[0].count == 2);
  CHECK((*gaps)[0].first_at == kStart + kHour);
  CHECK((*gaps)[0].last_at == kStart + 2 * kHour);
  CHECK((*gaps)[1].query == "crypto wallet");
  CHECK((*gaps)[1].count == 1);
  CHECK(d.kb.gaps(d.supervisor, kStart, kStart + 6 * kHour)->front().count == 3);
  CHECK(d.kb.gaps(d.supervisor, kStart + 6 * kHour, kStart + 7 * kHour)->empty());
  CHECK(d.kb.gaps(d.agent, kStart, kStart + kHour).error().code == Errc::kPermission);
  CHECK(d.kb.gaps(d.supervisor, kStart + kHour, kStart).error().code ==
        Errc::kInvalidArgument);
}

TEST_CASE_TEMPLATE("usage and helped counts are kept per article and lift it in the ranking", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  const Article a = d.article("Reset online banking password", "Use the reset link.");
  const Article b = d.article("Online banking password rules", "Twelve characters.");
  // Equal text matches: the newer one first.
  CHECK(titles(*d.kb.search(d.agent, "password")) ==
        std::vector<std::string>{b.title, a.title});

  REQUIRE(d.kb.record_use(d.agent, a.id, ArticleUse::kUsed).ok());
  auto helped = d.kb.record_use(d.agent, a.id, ArticleUse::kHelped);
  REQUIRE(helped.ok());
  CHECK(helped->used == 2);
  CHECK(helped->helped == 1);
  CHECK(helped->version == a.version);  // usage is not an edit
  auto back = d.kb.get_article(d.agent, a.id);
  CHECK(back->used == 2);
  CHECK(back->helped == 1);
  CHECK(titles(*d.kb.search(d.agent, "password")) ==
        std::vector<std::string>{a.title, b.title});

  const Article draft = d.article("Unreleased", "", "", {}, false);
  CHECK(d.kb.record_use(d.agent, draft.id, ArticleUse::kUsed).error().code == Errc::kNotFound);
  CHECK(d.kb.record_use(d.supervisor, draft.id, ArticleUse::kUsed).error().code ==
        Errc::kIllegalState);
  CHECK(d.kb.record_use(d.agent, 9999, ArticleUse::kUsed).error().code == Errc::kNotFound);
}

TEST_CASE_TEMPLATE("suggestions rank scripts and articles by queue, IVR path, category and words",
                   B, HL_STORE_BACKENDS) {
  Library<B> d;
  d.category("cards");
  d.category("cards/lost");
  const Article lost = d.article("Report a lost card", "Block it in the app.", "cards/lost");
  const Article limits = d.article("Card limits", "Daily limits.", "cards");
  const Article rates = d.article("Savings rates", "Rates for savings.");
  d.article("Lost card (old)", "lost card", "cards/lost", {}, false);  // a draft: never suggested
  NewScript s1;
  s1.title = "Lost card opening";
  s1.text = "I am sorry to hear your card is lost.";
  s1.queue = "cards";
  s1.ivr_path = "main/cards/lost";
  const Script lost_script = d.script(s1);
  NewScript s2;
  s2.title = "Loans greeting";
  s2.text = "Welcome to loans.";
  s2.queue = "loans";
  d.script(s2);  // another queue: never suggested here
  NewScript s3;
  s3.title = "Cards queue greeting";
  s3.text = "Welcome to the card service.";
  s3.queue = "cards";
  const Script greeting = d.script(s3);

  SuggestionRequest r;
  r.queue = "cards";
  r.ivr_path = "main/cards/lost";
  r.category = "cards/lost";
  r.subject = "lost card";
  auto s = d.kb.suggest(d.agent, r);
  REQUIRE(s.ok());
  // lost script: queue 4 + ivr_path 4 + "lost" and "card" in title 4 = 12
  // lost article: category 4 + title words 4 = 8
  // limits article: related category 2 + "card" in title 2 = 4
  // greeting script: queue 4 + "card" in text 1 = 5
  REQUIRE(s->size() == 4);
  CHECK((*s)[0].kind == Suggestion::Kind::kScript);
  CHECK((*s)[0].id == lost_script.id);
  CHECK((*s)[0].score == doctest::Approx(12));
  CHECK((*s)[0].reasons ==
        std::vector<std::string>{"queue", "ivr_path", "words: lost card"});
  CHECK((*s)[1].kind == Suggestion::Kind::kArticle);
  CHECK((*s)[1].id == lost.id);
  CHECK((*s)[1].score == doctest::Approx(8));
  CHECK((*s)[2].id == greeting.id);
  CHECK((*s)[2].score == doctest::Approx(5));
  CHECK((*s)[3].id == limits.id);
  CHECK((*s)[3].score == doctest::Approx(4));
  CHECK((*s)[3].reasons == std::vector<std::string>{"related category", "words: card"});

  // Use lifts an article: helped 3 times adds log2(4) = 2 and used 3 adds 1.
  for (int i = 0; i < 3; ++i) {
    REQUIRE(d.kb.record_use(d.agent, limits.id, ArticleUse::kHelped).ok());
  }
  s = d.kb.suggest(d.agent, r);
  CHECK((*s)[2].id == limits.id);
  CHECK((*s)[2].score == doctest::Approx(7));
  CHECK((*s)[2].reasons.back() == "used 3, helped 3");

  // Without context and words nothing applies but unbound scripts.
  SuggestionRequest other;
  other.queue = "savings";
  other.subject = "rates";
  s = d.kb.suggest(d.agent, other);
  REQUIRE(s->size() == 1);
  CHECK((*s)[0].id == rates.id);
  r.limit = 1;
  CHECK(d.kb.suggest(d.agent, r)->size() == 1);
}

TEST_CASE_TEMPLATE("scripts fill placeholders from the context and report the ones it lacks", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  NewScript n;
  n.title = "Greeting";
  n.text =
      "您好 ${customer.name}, agent ${agent.number} here. You called from ${call.caller}; "
      "ref ${ticket.number}, ${customer.tier}. Literal: $${customer.name}. Broken: ${ and "
      "${customer.name}.";
  const Script s = d.script(n);
  nlohmann::json context = {{"customer", {{"name", "张三"}, {"tier", nullptr}}},
                            {"agent", {{"number", 1017}}},
                            {"call", {{"caller", "+4930123456"}}}};
  auto r = d.kb.render_script(s.id, context);
  REQUIRE(r.ok());
  CHECK(r->text ==
        "您好 张三, agent 1017 here. You called from +4930123456; ref ${ticket.number}, "
        "${customer.tier}. Literal: ${customer.name}. Broken: ${ and 张三.");
  CHECK(r->missing == std::vector<std::string>{"ticket.number", "customer.tier"});
  auto bad = d.kb.render_script(s.id, nlohmann::json::array());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "context: expected an object");
  CHECK(d.kb.render_script(9999, context).error().code == Errc::kNotFound);
}

TEST_CASE_TEMPLATE("quick replies are scripts with a unique shortcut; scripts filter by context",
                   B, HL_STORE_BACKENDS) {
  Library<B> d;
  NewScript q;
  q.title = "Thanks";
  q.text = "Thank you for contacting us, ${customer.name}!";
  q.shortcut = "/thx";
  const Script thanks = d.script(q);
  NewScript by_path;
  by_path.title = "Lost card";
  by_path.text = "Let me block it.";
  by_path.ivr_path = "main/cards";
  by_path.category = "cards";
  d.script(by_path);

  auto found = d.kb.quick_reply("/thx");
  REQUIRE(found.ok());
  CHECK(found->id == thanks.id);
  CHECK(d.kb.quick_reply("/nope").error().code == Errc::kNotFound);
  auto dup = d.kb.create_script(d.supervisor, q);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == Errc::kExists);
  CHECK(dup.error().message.find("shortcut: '/thx' is already") != std::string::npos);

  ScriptQuery replies;
  replies.quick_replies_only = true;
  CHECK(d.kb.list_scripts(replies)->size() == 1);
  ScriptQuery lost;
  lost.ivr_path = "main/cards/lost";
  lost.category = "cards/lost";
  CHECK(d.kb.list_scripts(lost)->size() == 2);  // the unbound quick reply applies anywhere
  ScriptQuery loans;
  loans.ivr_path = "main/loans";
  CHECK(d.kb.list_scripts(loans)->size() == 1);

  ScriptUpdate u;
  u.shortcut = "/thanks";
  auto edited = d.kb.update_script(d.admin, thanks.id, u);
  REQUIRE(edited.ok());
  CHECK(edited->updated_by == "ada");
  CHECK(d.kb.quick_reply("/thanks")->id == thanks.id);
  CHECK(d.kb.quick_reply("/thx").error().code == Errc::kNotFound);
}

TEST_CASE_TEMPLATE("bad input is refused with what and where, and nothing is half-applied", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  d.category("cards");
  NewArticle n;
  n.title = "Bad \xC3\x28 bytes";
  auto bad = d.kb.create_article(d.supervisor, n);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == Errc::kInvalidArgument);
  CHECK(bad.error().message.find("title") != std::string::npos);
  n.title = "";
  CHECK(d.kb.create_article(d.supervisor, n).error().message == "title: an article needs a title");
  n.title = "Fine";
  n.tags = {"ok", ""};
  CHECK(d.kb.create_article(d.supervisor, n).error().message == "tags[1]: a tag cannot be empty");
  n.tags = {};
  n.category = "nowhere";
  CHECK(d.kb.create_article(d.supervisor, n).error().message == "category: no category 'nowhere'");
  n.category = "cards";
  n.title = std::string(201, 'x');
  CHECK(d.kb.create_article(d.supervisor, n).error().message.find("title is 201 bytes long") !=
        std::string::npos);
  CHECK(d.kb.list_articles(d.supervisor, ArticleQuery{})->empty());
  CHECK(d.kb.search(d.supervisor, "fine")->empty());

  const Article a = d.article("Card PIN", "Change it at an ATM.", "cards", {"pin"});
  ArticleUpdate u;
  u.title = "New title";
  u.tags = std::vector<std::string>{"pin", std::string("\xFF")};
  auto refused = d.kb.update_article(d.supervisor, a.id, u);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("tags[1]") != std::string::npos);
  auto kept = d.kb.get_article(d.agent, a.id);
  CHECK(kept->title == "Card PIN");
  CHECK(kept->version == a.version);
  CHECK(d.kb.history(d.agent, a.id)->size() == 2);
  CHECK(d.kb.search(d.agent, "new title")->empty());
  CHECK(d.kb.update_article(d.supervisor, 9999, u).error().code == Errc::kNotFound);

  NewScript s;
  s.title = "No text";
  CHECK(d.kb.create_script(d.supervisor, s).error().message == "text: a script needs a text");
  s.text = "x";
  s.queue = "\xC0\x80";
  CHECK(d.kb.create_script(d.supervisor, s).error().message.find("queue") != std::string::npos);
  CHECK(d.kb.list_scripts(ScriptQuery{})->empty());
  CHECK(d.kb.search(d.agent, std::string("\xFF")).error().code == Errc::kInvalidArgument);
}

TEST_CASE_TEMPLATE("Chinese articles are found by words inside their text, on every backend", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  d.category("cards");
  d.category("cards/lost");
  const Article lost = d.article("银行卡挂失流程", "客户遗失银行卡时，先冻结卡片，再补办新卡。",
                                 "cards/lost", {"挂失"});
  const Article fee = d.article("信用卡年费说明", "首年免年费，刷卡六次免次年年费。", "cards");
  const Article atm = d.article("ATM吞卡怎么办", "ATM吞卡后请联系网点，带身份证领取。");

  CHECK(titles(*d.kb.search(d.agent, "挂失")) == std::vector<std::string>{lost.title});
  CHECK(titles(*d.kb.search(d.agent, "补办")) == std::vector<std::string>{lost.title});
  CHECK(titles(*d.kb.search(d.agent, "補辦")) == std::vector<std::string>{lost.title});  // 繁體
  CHECK(titles(*d.kb.search(d.agent, "年费")) == std::vector<std::string>{fee.title});
  CHECK(titles(*d.kb.search(d.agent, "atm 吞卡")) == std::vector<std::string>{atm.title});
  CHECK(titles(*d.kb.search(d.agent, "ＡＴＭ")) == std::vector<std::string>{atm.title});  // 全角
  CHECK(d.kb.search(d.agent, "房贷")->empty());
  CHECK(d.kb.gaps(d.supervisor, kStart, kStart + kHour)->front().query == "房贷");

  SuggestionRequest r;
  r.category = "cards/lost";
  r.subject = "客户银行卡挂失";
  auto s = d.kb.suggest(d.agent, r);
  REQUIRE(s.ok());
  REQUIRE_FALSE(s->empty());
  CHECK((*s)[0].id == lost.id);
  CHECK((*s)[0].reasons.front() == "category");
}

TEST_CASE_TEMPLATE("suggestions follow an article's new words, from this service or another", B,
                   HL_STORE_BACKENDS) {
  Library<B> d;
  const Article card = d.article("银行卡挂失", "冻结卡片。");
  NewScript n;
  n.title = "挂失开场白";
  n.text = "您好，请提供卡号。";
  const Script opening = d.script(n);
  auto ids = [&](std::string subject) {
    SuggestionRequest r;
    r.subject = std::move(subject);
    auto s = d.kb.suggest(d.agent, r);
    REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.error().message));
    std::vector<std::int64_t> out;
    for (const auto& x : *s) out.push_back(x.id);
    return out;
  };
  using Ids = std::vector<std::int64_t>;
  CHECK(ids("挂失") == Ids{opening.id, card.id});
  CHECK(ids("冻结") == Ids{card.id});
  CHECK(ids("冻") == Ids{card.id});  // one character: a prefix
  CHECK(ids("补办").empty());

  // An edit through this service: the old words are gone, the new ones found.
  ArticleUpdate body;
  body.body = "补办新卡。";
  REQUIRE(d.kb.update_article(d.supervisor, card.id, body).ok());
  CHECK(ids("冻结").empty());
  CHECK(ids("补办") == Ids{card.id});

  // An edit through another service over the same store, as another process
  // would write it.
  KnowledgeService other{*d.storage, d.kb_options()};
  ArticleUpdate title;
  title.title = "信用卡年费";
  REQUIRE(other.update_article(d.supervisor, card.id, title).ok());
  ScriptUpdate text;
  text.text = "请稍候。";
  REQUIRE(other.update_script(d.supervisor, opening.id, text).ok());
  CHECK(ids("挂失") == Ids{opening.id});  // the script's title still holds it
  CHECK(ids("卡号").empty());
  CHECK(ids("年费") == Ids{card.id});

  // A rolled-back edit leaves the stored words, and so the suggestions, alone.
  const Status undone = d.kb.write_together([&]() -> Status {
    ArticleUpdate u;
    u.body = "网点营业时间。";
    auto a = d.kb.update_article(d.supervisor, card.id, u);
    if (!a) return std::move(a).error();
    CHECK(ids("营业") == Ids{card.id});  // seen inside the transaction
    return make_error(Errc::kInvalidArgument, "changed our mind");
  });
  REQUIRE_FALSE(undone.ok());
  CHECK(ids("营业").empty());
  CHECK(ids("补办") == Ids{card.id});

  // Archived: no longer suggested.
  REQUIRE(d.kb.archive(d.supervisor, card.id).ok());
  CHECK(ids("年费").empty());
}
