// Search in Chinese, Japanese and mixed text finds the same records in the
// same order on every backend (one tokenizer, one ranking).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "store_fixture.hpp"

using namespace hotline;
using namespace hotline::store;
using namespace hotline::store::testing;

namespace {

template <typename B>
std::vector<TicketId> ticket_ids(Desk<B>& d, std::string_view query) {
  std::vector<TicketId> out;
  auto found = d.tickets.search(query);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  for (const auto& t : *found) out.push_back(t.id);
  return out;
}

template <typename B>
std::vector<CustomerId> customer_ids(Desk<B>& d, std::string_view query) {
  std::vector<CustomerId> out;
  auto found = d.customers.search(d.agent, query);
  REQUIRE_MESSAGE(found.ok(), (found.ok() ? "" : found.error().message));
  for (const auto& c : *found) out.push_back(c.id);
  return out;
}

using Ids = std::vector<std::int64_t>;

}  // namespace

TEST_CASE_TEMPLATE("Chinese words are found inside runs of characters", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket line = d.ticket("客户反映宽带经常断线需要上门维修");
  const Ticket refund = d.ticket("您好，退款申请已提交。");
  d.ticket("发票抬头填写错误");

  CHECK(ticket_ids(d, "断线") == Ids{line.id});      // a two-character word in a long run
  CHECK(ticket_ids(d, "上门维修") == Ids{line.id});  // a longer word: its pairs, adjacent
  CHECK(ticket_ids(d, "宽带 维修") == Ids{line.id});
  CHECK(ticket_ids(d, "维修上门").empty());          // the same pairs' characters, another order
  CHECK(ticket_ids(d, "退款") == Ids{refund.id});    // right after punctuation
  CHECK(ticket_ids(d, "退款，申请") == Ids{refund.id});
  CHECK(ticket_ids(d, "好退").empty());              // a pair across the comma is no pair
  CHECK(ticket_ids(d, "退申").empty());              // characters of the text, not a pair of it
  CHECK(ticket_ids(d, "退款 发票").empty());         // every word, in one ticket
}

TEST_CASE_TEMPLATE("traditional and simplified Chinese find each other", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket simplified = d.ticket("网络连接问题");
  const Ticket traditional = d.ticket("電話無法撥通");
  CHECK(ticket_ids(d, "網絡連接") == Ids{simplified.id});
  CHECK(ticket_ids(d, "网络连接") == Ids{simplified.id});
  CHECK(ticket_ids(d, "电话") == Ids{traditional.id});
  CHECK(ticket_ids(d, "電話") == Ids{traditional.id});
}

TEST_CASE_TEMPLATE("a customer's Chinese name is found by its pinyin", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Customer zhang = d.customer("张三", "+49 30 1234567");
  const Customer li = d.customer("李四", "+49 30 7654321");
  const Customer anna = d.customer("Anna Zhang", "+49 30 5555555");
  CHECK(customer_ids(d, "zhangsan") == Ids{zhang.id});
  CHECK(customer_ids(d, "ZhangSan") == Ids{zhang.id});
  CHECK(customer_ids(d, "张三") == Ids{zhang.id});
  CHECK(customer_ids(d, "張三") == Ids{zhang.id});
  CHECK(customer_ids(d, "li si") == Ids{li.id});
  CHECK(customer_ids(d, "anna") == Ids{anna.id});
  CHECK(customer_ids(d, "wangwu").empty());
  // "zhang" is a syllable of one name and a word of the other.
  const Ids both = customer_ids(d, "zhang");
  CHECK(both.size() == 2);
  // Merged-away and erased customers are not found.
  REQUIRE(d.customers.merge(d.supervisor, anna.id, zhang.id).ok());
  CHECK(customer_ids(d, "zhangsan").empty());
  REQUIRE(d.customers.erase(d.admin, li.id).ok());
  CHECK(customer_ids(d, "lisi").empty());
  CHECK(customer_ids(d, "李四").empty());
  // A renamed customer is found under the new name only.
  CustomerUpdate u;
  u.name = "王五";
  REQUIRE(d.customers.update(d.agent, anna.id, u).ok());
  CHECK(customer_ids(d, "anna").empty());
  CHECK(customer_ids(d, "wangwu") == Ids{anna.id});
}

TEST_CASE_TEMPLATE("Japanese kana and kanji mixed", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket parcel = d.ticket("東京都の配送センターで荷物が届かない");
  const Ticket login = d.ticket("ログインできません、パスワードを忘れました");
  CHECK(ticket_ids(d, "荷物") == Ids{parcel.id});
  CHECK(ticket_ids(d, "配送センター") == Ids{parcel.id});
  CHECK(ticket_ids(d, "届かない") == Ids{parcel.id});
  CHECK(ticket_ids(d, "ﾊﾟｽﾜｰﾄﾞ") == Ids{login.id});  // half-width katakana
  CHECK(ticket_ids(d, "パスワード") == Ids{login.id});
  CHECK(ticket_ids(d, "ログイン") == Ids{login.id});
  CHECK(ticket_ids(d, "大阪").empty());
}

TEST_CASE_TEMPLATE("Chinese, Latin letters and digits mixed", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket order = d.ticket("订单号A123退款");
  const Ticket other = d.ticket("订单号B777已发货");
  CHECK(ticket_ids(d, "A123") == Ids{order.id});
  CHECK(ticket_ids(d, "a123 退款") == Ids{order.id});
  CHECK(ticket_ids(d, "订单号A123") == Ids{order.id});
  CHECK(ticket_ids(d, "订单号A124").empty());
  CHECK(ticket_ids(d, "b777") == Ids{other.id});
  CHECK(ticket_ids(d, "订单号").size() == 2);
}

TEST_CASE_TEMPLATE("full-width and half-width forms fold together", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket half = d.ticket("abc router down");
  const Ticket full = d.ticket("ＡＢＣ套餐　２０２６");
  CHECK(ticket_ids(d, "ＡＢＣ") == Ids{full.id, half.id});
  CHECK(ticket_ids(d, "Abc ROUTER") == Ids{half.id});
  CHECK(ticket_ids(d, "2026") == Ids{full.id});
}

TEST_CASE_TEMPLATE("best match first, the most recently updated breaking ties", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  // Enough tickets without the word that it weighs something (BM25 gives a
  // word in half the tickets or more no weight).
  for (const char* filler : {"发票抬头填写错误", "宽带安装预约", "密码重置", "话费查询",
                             "套餐变更", "信号很差", "投诉服务态度", "地址修改"}) {
    d.now += kMinute;
    d.ticket(filler);
  }
  d.now += kMinute;
  const Ticket twice = d.ticket("退款退款");  // the word twice, in a short text
  d.now += kMinute;
  const Ticket once = d.ticket("客户来电询问上个月的账单明细以及退款进度和发票开具时间");
  d.now += kMinute;
  const Ticket older_same = d.ticket("退款进度");
  d.now += kMinute;
  const Ticket newer_same = d.ticket("退款进度");
  CHECK(ticket_ids(d, "退款") == Ids{twice.id, newer_same.id, older_same.id, once.id});
  // A limit that cuts between two equal scores keeps the more recent.
  auto top = d.tickets.search("退款", 2);
  REQUIRE(top.ok());
  REQUIRE(top->size() == 2);
  CHECK((*top)[0].id == twice.id);
  CHECK((*top)[1].id == newer_same.id);
  // Updating the older of two equal matches makes it the more recent.
  d.now += kMinute;
  TicketUpdate u;
  u.priority = TicketPriority::kHigh;
  REQUIRE(d.tickets.update(d.agent, older_same.id, u).ok());
  CHECK(ticket_ids(d, "退款进度") == Ids{older_same.id, newer_same.id, once.id});
}

TEST_CASE_TEMPLATE("snippets mark the matched words as they stand in the text", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  NewTicket n;
  n.subject = "订单号A123退款";
  n.description = "Customer asked twice";
  REQUIRE(d.tickets.create(d.agent, n).ok());
  n.subject = "Modem keeps rebooting";
  n.description = "The ＭＯＤＥＭ restarts at night; 客户说退款还没到账";
  REQUIRE(d.tickets.create(d.agent, n).ok());
  n.subject = "Invoice";
  n.description = std::string(200, 'x') + " the refund was sent " + std::string(200, 'y');
  const auto long_text = d.tickets.create(d.agent, n);
  REQUIRE(long_text.ok());
  REQUIRE(d.tickets.add_note(d.agent, long_text->id, "asked about the voucher", false).ok());

  auto snippets = [&](std::string_view q) {
    std::vector<std::string> out;
    auto hits = d.tickets.search_with_snippets(q);
    REQUIRE(hits.ok());
    for (const auto& h : *hits) out.push_back(h.snippet);
    return out;
  };
  using Texts = std::vector<std::string>;
  CHECK(snippets("退款 a123") == Texts{"订单号[A123][退款]"});
  CHECK(snippets("订单号") == Texts{"[订单号]A123退款"});
  CHECK(snippets("modem") == Texts{"[Modem] keeps rebooting"});
  // No match in the subject: the description's match, full-width as written.
  CHECK(snippets("night 到账") == Texts{"…restarts at [night]; 客户说退款还没[到账]"});
  // A long text is cut around the match.
  CHECK(snippets("refund") == Texts{"…the [refund] was sent " + std::string(60, 'y') + "…"});
  CHECK(snippets("voucher") == Texts{""});  // found in a note only
}

TEST_CASE_TEMPLATE("one Chinese character is found anywhere in a run", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket card = d.ticket("银行卡丢失需要挂失");     // 卡 inside a run
  const Ticket number = d.ticket("请提供卡号");           // 卡 starting a pair
  const Ticket alone = d.ticket("卡，已寄出");            // 卡 a run of its own
  const Ticket end = d.ticket("客户办了一张新卡");        // 卡 the last character of a run
  const Ticket other = d.ticket("宽带经常断线");
  d.customer("张三丰", "+49 30 1234567");
  d.customer("李四", "+49 30 7654321");

  Ids with_card = ticket_ids(d, "卡");
  std::sort(with_card.begin(), with_card.end());
  CHECK(with_card == Ids{card.id, number.id, alone.id, end.id});
  CHECK(ticket_ids(d, "線") == Ids{other.id});  // folded as a pair's character is
  CHECK(ticket_ids(d, "卡 挂失") == Ids{card.id});
  CHECK(ticket_ids(d, "卡 断线").empty());
  CHECK(ticket_ids(d, "丢 失") == Ids{card.id});  // two one-character runs, both held
  CHECK(ticket_ids(d, "猫").empty());
  // A surname alone finds the customer.
  CHECK(customer_ids(d, "张").size() == 1);
  CHECK(customer_ids(d, "丰").size() == 1);
  CHECK(customer_ids(d, "王").empty());
}

TEST_CASE_TEMPLATE("one kana or kanji is found anywhere in a run", B, HL_STORE_BACKENDS) {
  Desk<B> d;
  const Ticket parcel = d.ticket("東京都の配送センターで荷物が届かない");
  const Ticket login = d.ticket("ログインできません");
  CHECK(ticket_ids(d, "荷") == Ids{parcel.id});
  CHECK(ticket_ids(d, "京") == Ids{parcel.id});  // 東京 folds to 东京; 京 is its second
  CHECK(ticket_ids(d, "ン").size() == 2);        // センター and ログイン
  CHECK(ticket_ids(d, "ｾ") == Ids{parcel.id});    // half-width katakana folds
  CHECK(ticket_ids(d, "猫").empty());
}

TEST_CASE_TEMPLATE("a one-character match ranks by how often the character stands", B,
                   HL_STORE_BACKENDS) {
  Desk<B> d;
  for (const char* filler : {"发票抬头填写错误", "宽带安装预约", "密码重置", "话费查询",
                             "套餐变更", "信号很差", "投诉服务态度", "地址修改"}) {
    d.now += kMinute;
    d.ticket(filler);
  }
  d.now += kMinute;
  const Ticket thrice = d.ticket("卡号卡片卡");
  d.now += kMinute;
  const Ticket once = d.ticket("银行卡");
  CHECK(ticket_ids(d, "卡") == Ids{thrice.id, once.id});

  NewTicket n;
  n.subject = "银行卡丢失";
  REQUIRE(d.tickets.create(d.agent, n).ok());
  auto hits = d.tickets.search_with_snippets("丢");
  REQUIRE(hits.ok());
  REQUIRE(hits->size() == 1);
  CHECK(hits->front().snippet == "银行卡[丢]失");
}
