"""The knowledge base (知识库) and standard scripts (标准话术) of a Store.

Articles with versions, a category tree, search with a gaps report, usage
counts, scripts with ${placeholders} and chat quick replies, and suggestions
for a live contact. Records are TypedDicts (dicts at run time). Agents read
published articles only; supervisors and admins write; publishing and
archiving are audited (Store.audit(actor, entity="article")).
"""
from __future__ import annotations

import json
import sys
from typing import Any, List, Mapping, Optional, Union, cast

from ._native import lib
from .store import Store
from .vocabulary import ActorLike

if sys.version_info >= (3, 11):
    from typing import TypedDict
else:  # pragma: no cover - Python 3.9 and 3.10
    from typing_extensions import TypedDict


class Category(TypedDict):
    """A node of the category tree; `path` joins the names from the root ("cards/lost")."""
    id: int
    parent: Optional[int]
    name: str
    path: str
    created_at: int
    created_by: str


class Article(TypedDict):
    """An article as it is now; `stale` is true once `review_at` has passed."""
    id: int
    title: str
    body: str
    category: str
    tags: List[str]
    status: str  # "draft", "published" or "archived"
    owner: str
    review_at: Optional[int]
    stale: bool
    version: int
    created_at: int
    updated_at: int
    updated_by: str
    used: int
    helped: int


class ArticleVersion(TypedDict):
    """An article as it was after one change: who, when, which fields."""
    article: int
    version: int
    at: int
    actor: str
    changed: List[str]
    title: str
    body: str
    category: str
    tags: List[str]
    status: str
    owner: str
    review_at: Optional[int]


class Script(TypedDict):
    """A standard script for a queue, category or IVR path; a quick reply if it has a
    shortcut."""
    id: int
    title: str
    text: str
    queue: str
    category: str
    ivr_path: str
    shortcut: str
    created_at: int
    updated_at: int
    updated_by: str


class RenderedScript(TypedDict):
    """A script's text with its placeholders filled; `missing` lists those left as written."""
    text: str
    missing: List[str]


class Suggestion(TypedDict):
    """An article or script for a live contact, with the score and what earned it."""
    kind: str  # "article" or "script"
    id: int
    title: str
    score: float
    reasons: List[str]


class KnowledgeGap(TypedDict):
    """A search that found nothing, counted by its text."""
    query: str
    count: int
    first_at: int
    last_at: int


class LoadReport(TypedDict):
    """How much a load() added."""
    categories: int
    articles: int
    scripts: int


class KnowledgeBase:
    """The knowledge base kept in `store` (on its backend: SQLite, memory or the host's)."""

    def __init__(self, store: Store) -> None:
        """Works on `store`, which must stay open while this is used."""
        self._store = store

    def _call(self, fn: Any, *args: Any) -> Any:
        return self._store._json(fn, *args)

    def _actor(self, actor: ActorLike) -> Any:
        return Store._actor(actor)

    @staticmethod
    def _text(value: Union[Mapping[str, Any], str]) -> bytes:
        return (value if isinstance(value, str) else json.dumps(value)).encode()

    # -- categories -------------------------------------------------------

    def create_category(self, actor: ActorLike, path: str) -> Category:
        """Adds a category; "cards/lost" needs "cards" first (hl_kb_category_create)."""
        return cast(Category, self._call(lib.hl_kb_category_create, self._actor(actor),
                                         path.encode()))

    def categories(self) -> List[Category]:
        """Every category, by path (hl_kb_category_list)."""
        return cast(List[Category], self._call(lib.hl_kb_category_list))

    # -- articles ---------------------------------------------------------

    def create_article(self, actor: ActorLike, **fields: Any) -> Article:
        """A draft at version 1: title, body (Markdown), category, tags, owner, review_at
        (hl_kb_article_create)."""
        return cast(Article, self._call(lib.hl_kb_article_create, self._actor(actor),
                                        self._text(fields)))

    def update_article(self, actor: ActorLike, article_id: int, **fields: Any) -> Article:
        """Changes any creation field (review_at=None removes the date); a change makes a
        new version (hl_kb_article_update)."""
        return cast(Article, self._call(lib.hl_kb_article_update, self._actor(actor),
                                        article_id, self._text(fields)))

    def publish(self, actor: ActorLike, article_id: int) -> Article:
        """Publishes the article for agents; audited (hl_kb_article_publish)."""
        return cast(Article, self._call(lib.hl_kb_article_publish, self._actor(actor),
                                        article_id))

    def archive(self, actor: ActorLike, article_id: int) -> Article:
        """Takes the article out of use; audited (hl_kb_article_archive)."""
        return cast(Article, self._call(lib.hl_kb_article_archive, self._actor(actor),
                                        article_id))

    def article(self, actor: ActorLike, article_id: int) -> Article:
        """An article; agents get published ones only (hl_kb_article_get)."""
        return cast(Article, self._call(lib.hl_kb_article_get, self._actor(actor), article_id))

    def articles(self, actor: ActorLike, **query: Any) -> List[Article]:
        """Articles by status, category (with its subcategories), tag, stale_only, limit
        (hl_kb_article_list)."""
        return cast(List[Article], self._call(lib.hl_kb_article_list, self._actor(actor),
                                              self._text(query)))

    def history(self, actor: ActorLike, article_id: int) -> List[ArticleVersion]:
        """Every version of the article, oldest first (hl_kb_article_history)."""
        return cast(List[ArticleVersion], self._call(lib.hl_kb_article_history,
                                                     self._actor(actor), article_id))

    def version(self, actor: ActorLike, article_id: int, version: int) -> ArticleVersion:
        """One version of the article as it was (hl_kb_article_version)."""
        return cast(ArticleVersion, self._call(lib.hl_kb_article_version, self._actor(actor),
                                               article_id, version))

    def search(self, actor: ActorLike, text: str, limit: int = 20) -> List[Article]:
        """Articles holding every word of `text`, best first; a search that finds nothing
        is counted in gaps() (hl_kb_article_search)."""
        return cast(List[Article], self._call(lib.hl_kb_article_search, self._actor(actor),
                                              text.encode(), limit))

    def record_use(self, actor: ActorLike, article_id: int, helped: bool = False) -> Article:
        """Counts a use of the article on a contact, and whether it helped
        (hl_kb_article_record_use)."""
        return cast(Article, self._call(lib.hl_kb_article_record_use, self._actor(actor),
                                        article_id, b"helped" if helped else b"used"))

    def gaps(self, actor: ActorLike, from_ms: int, to_ms: int,
             limit: int = 50) -> List[KnowledgeGap]:
        """Searches that found nothing in [from_ms, to_ms), most frequent first
        (hl_kb_gaps)."""
        return cast(List[KnowledgeGap], self._call(lib.hl_kb_gaps, self._actor(actor),
                                                   from_ms, to_ms, limit))

    # -- scripts ----------------------------------------------------------

    def create_script(self, actor: ActorLike, **fields: Any) -> Script:
        """Adds a script: title, text, queue, category, ivr_path, shortcut
        (hl_kb_script_create)."""
        return cast(Script, self._call(lib.hl_kb_script_create, self._actor(actor),
                                       self._text(fields)))

    def update_script(self, actor: ActorLike, script_id: int, **fields: Any) -> Script:
        """Changes any of a script's fields (hl_kb_script_update)."""
        return cast(Script, self._call(lib.hl_kb_script_update, self._actor(actor), script_id,
                                       self._text(fields)))

    def script(self, script_id: int) -> Script:
        """A script by id (hl_kb_script_get)."""
        return cast(Script, self._call(lib.hl_kb_script_get, script_id))

    def scripts(self, **query: Any) -> List[Script]:
        """Scripts that apply to a queue, category, ivr_path; quick_replies_only=True for
        chat (hl_kb_script_list)."""
        return cast(List[Script], self._call(lib.hl_kb_script_list, self._text(query)))

    def quick_reply(self, shortcut: str) -> Script:
        """The quick reply with this shortcut (hl_kb_quick_reply)."""
        return cast(Script, self._call(lib.hl_kb_quick_reply, shortcut.encode()))

    def render(self, script_id: int, context: Mapping[str, Any]) -> RenderedScript:
        """The script's text with ${customer.name}-style placeholders filled from
        `context`; values go in as plain text (hl_kb_script_render)."""
        return cast(RenderedScript, self._call(lib.hl_kb_script_render, script_id,
                                               self._text(context)))

    # -- live contacts and content ----------------------------------------

    def suggest(self, actor: ActorLike, queue: str = "", ivr_path: str = "",
                category: str = "", subject: str = "", limit: int = 10) -> List[Suggestion]:
        """Articles and scripts for a live contact, best first (hl_kb_suggest)."""
        request = {"queue": queue, "ivr_path": ivr_path, "category": category,
                   "subject": subject, "limit": limit}
        return cast(List[Suggestion], self._call(lib.hl_kb_suggest, self._actor(actor),
                                                 self._text(request)))

    def load(self, actor: ActorLike, document: Union[Mapping[str, Any], str]) -> LoadReport:
        """Loads {"categories", "articles", "scripts"} content, as
        examples/center/knowledge/ ships it (hl_kb_load)."""
        return cast(LoadReport, self._call(lib.hl_kb_load, self._actor(actor),
                                           self._text(document)))
