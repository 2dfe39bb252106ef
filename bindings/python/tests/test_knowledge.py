"""The knowledge base through the Python binding: SQLite, memory, and the host's storage."""
import json
from pathlib import Path

import pytest

import hotline

AGENT = ("alice", "agent")
SUPERVISOR = ("sam", "supervisor")
ADMIN = ("ada", "admin")
NOW = 1795510800000  # 2026-11-24 09:00 UTC
HOUR = 3_600_000
EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "center" / "knowledge" / "bank.json"


class DictStorage(hotline.HostStorage):
    """A host's storage as a dict, with the whole dict kept for rollback."""

    def __init__(self):
        self.records = {}
        self.saved = None

    def begin(self):
        self.saved = dict(self.records)

    def commit(self):
        self.saved = None

    def rollback(self):
        self.records, self.saved = self.saved, None

    def put(self, kind, record_id, record_json):
        self.records[(kind, record_id)] = record_json

    def get(self, kind, record_id):
        return self.records.get((kind, record_id))

    def scan(self, kind):
        return [(i, r) for (k, i), r in list(self.records.items()) if k == kind]


@pytest.fixture(params=["sqlite", "memory", "host"])
def kb(request, tmp_path):
    if request.param == "sqlite":
        store = hotline.Store(str(tmp_path / "hotline.db"))
    elif request.param == "memory":
        store = hotline.Store(backend="memory")
    else:
        store = hotline.Store.over(DictStorage())
    store.set_time(NOW)
    with store:
        yield store, hotline.KnowledgeBase(store)


def test_articles_have_versions_permissions_and_an_audited_publish(kb):
    store, base = kb
    base.create_category(SUPERVISOR, "cards")
    a = base.create_article(SUPERVISOR, title="Lost card", body="Block it.", category="cards",
                            tags=["lost"], review_at=NOW + HOUR)
    assert a["status"] == "draft" and a["version"] == 1 and a["stale"] is False
    with pytest.raises(hotline.NotFoundError):
        base.article(AGENT, a["id"])
    with pytest.raises(hotline.PermissionDeniedError, match="alice may not publish articles"):
        base.publish(AGENT, a["id"])
    base.publish(SUPERVISOR, a["id"])
    edited = base.update_article(ADMIN, a["id"], title="Lost or stolen card")
    assert edited["version"] == 3
    assert [v["changed"] for v in base.history(AGENT, a["id"])] == [
        ["created"], ["status"], ["title"]]
    assert base.version(AGENT, a["id"], 1)["title"] == "Lost card"
    store.set_time(NOW + HOUR)
    assert base.article(AGENT, a["id"])["stale"] is True
    assert [x["id"] for x in base.articles(AGENT, stale_only=True)] == [a["id"]]
    audit = store.audit(ADMIN, entity="article")
    assert [(r["action"], r["actor"]) for r in audit] == [("publish", "sam")]


def test_search_usage_gaps_and_suggestions(kb):
    store, base = kb
    report = base.load(SUPERVISOR, json.loads(EXAMPLE.read_text()))
    assert report == {"categories": 4, "articles": 6, "scripts": 6}
    found = base.search(AGENT, "挂失")
    assert [x["title"] for x in found] == ["银行卡挂失与补办"]
    used = base.record_use(AGENT, found[0]["id"], helped=True)
    assert (used["used"], used["helped"]) == (1, 1)
    assert base.search(AGENT, "mortgage") == []
    assert base.gaps(SUPERVISOR, NOW, NOW + 1) == [
        {"query": "mortgage", "count": 1, "first_at": NOW, "last_at": NOW}]
    suggestions = base.suggest(AGENT, queue="retail", ivr_path="bank/cards/lost",
                               category="cards/lost", subject="lost card")
    assert suggestions[0]["kind"] == "script"
    assert suggestions[0]["title"] == "Lost card opening"
    assert suggestions[0]["reasons"][:3] == ["queue", "ivr_path", "category"]
    assert [s["score"] for s in suggestions] == sorted((s["score"] for s in suggestions),
                                                      reverse=True)


def test_scripts_placeholders_and_quick_replies(kb):
    _, base = kb
    s = base.create_script(SUPERVISOR, title="Greeting", queue="retail",
                           text="Hello ${customer.name}, agent ${agent.number}; $${literal}")
    rendered = base.render(s["id"], {"customer": {"name": "张三"}})
    assert rendered == {"text": "Hello 张三, agent ${agent.number}; ${literal}",
                        "missing": ["agent.number"]}
    base.create_script(SUPERVISOR, title="Thanks", text="Thank you!", shortcut="/thx")
    assert base.quick_reply("/thx")["text"] == "Thank you!"
    assert [x["title"] for x in base.scripts(quick_replies_only=True)] == ["Thanks"]
    assert base.update_script(ADMIN, s["id"], queue="vip")["queue"] == "vip"
    assert base.script(s["id"])["updated_by"] == "ada"
    with pytest.raises(hotline.AlreadyExistsError, match="shortcut: '/thx'"):
        base.create_script(SUPERVISOR, title="Again", text="x", shortcut="/thx")


def test_bad_input_names_the_place_and_changes_nothing(kb):
    _, base = kb
    with pytest.raises(hotline.InvalidArgumentError) as e:
        base.create_article(SUPERVISOR, title="x", tag=["typo"])
    assert str(e.value).endswith(
        "$.tag: unknown field (expected one of: title, body, category, tags, owner, review_at)")
    with pytest.raises(hotline.InvalidArgumentError, match=r"\$.tags\[1\]: expected a string"):
        base.create_article(SUPERVISOR, title="x", tags=["a", 2])
    with pytest.raises(hotline.InvalidArgumentError, match="category: no category 'nowhere'"):
        base.create_article(SUPERVISOR, title="x", category="nowhere")
    with pytest.raises(hotline.InvalidArgumentError, match=r"\$.limit: expected 1 to 1000"):
        base.suggest(AGENT, limit=0)
    assert base.articles(SUPERVISOR) == []
