package hotline

/*
#include <stdlib.h>
#include "hotline.h"
*/
import "C"

// The knowledge base (知识库) and standard scripts (标准话术) kept in a Store:
// articles with versions, a category tree, search with a gaps report, usage
// counts, scripts with ${placeholders}, chat quick replies, and suggestions
// for a live contact. Agents read published articles only; supervisors and
// admins write; publishing and archiving are audited (entity "article").

// Category is a node of the knowledge category tree; Path joins the names
// from the root ("cards/lost").
type Category struct {
	ID        int64  `json:"id"`
	Parent    *int64 `json:"parent"`
	Name      string `json:"name"`
	Path      string `json:"path"`
	CreatedAt int64  `json:"created_at"`
	CreatedBy string `json:"created_by"`
}

// Article is a knowledge article as it is now; Stale is set once ReviewAt has passed.
type Article struct {
	ID        int64    `json:"id"`
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Category  string   `json:"category"`
	Tags      []string `json:"tags"`
	Status    string   `json:"status"` // "draft", "published" or "archived"
	Owner     string   `json:"owner"`
	ReviewAt  *int64   `json:"review_at"`
	Stale     bool     `json:"stale"`
	Version   int      `json:"version"`
	CreatedAt int64    `json:"created_at"`
	UpdatedAt int64    `json:"updated_at"`
	UpdatedBy string   `json:"updated_by"`
	Used      int64    `json:"used"`
	Helped    int64    `json:"helped"`
}

// ArticleVersion is an article as it was after one change: who, when, which fields.
type ArticleVersion struct {
	Article  int64    `json:"article"`
	Version  int      `json:"version"`
	At       int64    `json:"at"`
	Actor    string   `json:"actor"`
	Changed  []string `json:"changed"`
	Title    string   `json:"title"`
	Body     string   `json:"body"`
	Category string   `json:"category"`
	Tags     []string `json:"tags"`
	Status   string   `json:"status"`
	Owner    string   `json:"owner"`
	ReviewAt *int64   `json:"review_at"`
}

// Script is a standard script for a queue, category or IVR path; with a
// Shortcut it is a chat quick reply.
type Script struct {
	ID        int64  `json:"id"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Queue     string `json:"queue"`
	Category  string `json:"category"`
	IVRPath   string `json:"ivr_path"`
	Shortcut  string `json:"shortcut"`
	CreatedAt int64  `json:"created_at"`
	UpdatedAt int64  `json:"updated_at"`
	UpdatedBy string `json:"updated_by"`
}

// RenderedScript is a script's text with its placeholders filled; Missing
// lists the ones the context lacked, left in the text as written.
type RenderedScript struct {
	Text    string   `json:"text"`
	Missing []string `json:"missing"`
}

// Suggestion is an article or script for a live contact, with its score and
// what earned it.
type Suggestion struct {
	Kind    string   `json:"kind"` // "article" or "script"
	ID      int64    `json:"id"`
	Title   string   `json:"title"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
}

// SuggestionRequest describes a live contact: its queue, IVR path, ticket
// category and subject words. Limit 0 means the library's default (10).
type SuggestionRequest struct {
	Queue    string `json:"queue,omitempty"`
	IVRPath  string `json:"ivr_path,omitempty"`
	Category string `json:"category,omitempty"`
	Subject  string `json:"subject,omitempty"`
	Limit    int    `json:"limit,omitempty"`
}

// KnowledgeGap is a search that found nothing, counted by its text.
type KnowledgeGap struct {
	Query   string `json:"query"`
	Count   int64  `json:"count"`
	FirstAt int64  `json:"first_at"`
	LastAt  int64  `json:"last_at"`
}

// KnowledgeLoadReport says how much LoadKnowledge added.
type KnowledgeLoadReport struct {
	Categories int `json:"categories"`
	Articles   int `json:"articles"`
	Scripts    int `json:"scripts"`
}

type storeFn = func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status
type actorFn = func(h *C.hl_store, actor *C.hl_actor, args []*C.char, out **C.char,
	err **C.hl_error) C.hl_status

// decoded runs a store call and decodes its JSON into a T.
func decoded[T any](s *Store, text []string, fn func(args []*C.char) storeFn) (T, error) {
	var cs cstrings
	defer cs.free()
	args := make([]*C.char, len(text))
	for i, t := range text {
		args[i] = cs.of(t)
	}
	var r T
	err := s.call(&r, fn(args))
	return r, err
}

// actorDecoded is decoded for a call that acts for a.
func actorDecoded[T any](s *Store, a Actor, text []string, fn actorFn) (T, error) {
	return withActor(a, func(actor *C.hl_actor) (T, error) {
		return decoded[T](s, text, func(args []*C.char) storeFn {
			return func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
				return fn(h, actor, args, out, err)
			}
		})
	})
}

// CreateCategory adds a knowledge category; "cards/lost" needs "cards" first.
func (s *Store) CreateCategory(a Actor, path string) (Category, error) {
	return actorDecoded[Category](s, a, []string{path}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_category_create(h, actor, args[0], out, err)
	})
}

// Categories lists the knowledge categories by path.
func (s *Store) Categories() ([]Category, error) {
	return decoded[[]Category](s, nil, func([]*C.char) storeFn {
		return func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_kb_category_list(h, out, err)
		}
	})
}

// CreateArticle adds a draft article at version 1 from its fields (title,
// body, category, tags, owner, review_at).
func (s *Store) CreateArticle(a Actor, fields any) (Article, error) {
	return actorDecoded[Article](s, a, []string{marshal(fields)}, func(h *C.hl_store,
		actor *C.hl_actor, args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_create(h, actor, args[0], out, err)
	})
}

// UpdateArticle changes any creation field ("review_at": nil removes the
// date); a change makes a new version.
func (s *Store) UpdateArticle(a Actor, id int64, fields any) (Article, error) {
	return actorDecoded[Article](s, a, []string{marshal(fields)}, func(h *C.hl_store,
		actor *C.hl_actor, args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_update(h, actor, C.int64_t(id), args[0], out, err)
	})
}

// PublishArticle publishes an article for agents; the audit log records it.
func (s *Store) PublishArticle(a Actor, id int64) (Article, error) {
	return actorDecoded[Article](s, a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_publish(h, actor, C.int64_t(id), out, err)
	})
}

// ArchiveArticle takes an article out of use; the audit log records it.
func (s *Store) ArchiveArticle(a Actor, id int64) (Article, error) {
	return actorDecoded[Article](s, a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_archive(h, actor, C.int64_t(id), out, err)
	})
}

// Article reads an article; agents get published ones only.
func (s *Store) Article(a Actor, id int64) (Article, error) {
	return actorDecoded[Article](s, a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_get(h, actor, C.int64_t(id), out, err)
	})
}

// Articles lists articles by a query (status, category with its
// subcategories, tag, stale_only, limit); nil lists every one the actor may read.
func (s *Store) Articles(a Actor, query any) ([]Article, error) {
	if query == nil {
		query = map[string]any{}
	}
	return actorDecoded[[]Article](s, a, []string{marshal(query)}, func(h *C.hl_store,
		actor *C.hl_actor, args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_list(h, actor, args[0], out, err)
	})
}

// ArticleHistory lists every version of an article, oldest first.
func (s *Store) ArticleHistory(a Actor, id int64) ([]ArticleVersion, error) {
	return actorDecoded[[]ArticleVersion](s, a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_history(h, actor, C.int64_t(id), out, err)
	})
}

// ArticleVersion reads one version of an article as it was.
func (s *Store) ArticleVersion(a Actor, id int64, version int) (ArticleVersion, error) {
	return actorDecoded[ArticleVersion](s, a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_version(h, actor, C.int64_t(id), C.int(version), out, err)
	})
}

// SearchArticles finds articles holding every word of text, best first; a
// search that finds nothing is counted in KnowledgeGaps.
func (s *Store) SearchArticles(a Actor, text string, limit int) ([]Article, error) {
	return actorDecoded[[]Article](s, a, []string{text}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_search(h, actor, args[0], C.int(limit), out, err)
	})
}

// RecordArticleUse counts a use of an article on a contact, and whether it helped.
func (s *Store) RecordArticleUse(a Actor, id int64, helped bool) (Article, error) {
	use := "used"
	if helped {
		use = "helped"
	}
	return actorDecoded[Article](s, a, []string{use}, func(h *C.hl_store, actor *C.hl_actor,
		args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_article_record_use(h, actor, C.int64_t(id), args[0], out, err)
	})
}

// KnowledgeGaps reports the searches that found nothing in [fromMs, toMs),
// most frequent first.
func (s *Store) KnowledgeGaps(a Actor, fromMs, toMs int64, limit int) ([]KnowledgeGap, error) {
	return actorDecoded[[]KnowledgeGap](s, a, nil, func(h *C.hl_store, actor *C.hl_actor,
		_ []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_gaps(h, actor, C.int64_t(fromMs), C.int64_t(toMs), C.int(limit), out, err)
	})
}

// CreateScript adds a script from its fields (title, text, queue, category,
// ivr_path, shortcut).
func (s *Store) CreateScript(a Actor, fields any) (Script, error) {
	return actorDecoded[Script](s, a, []string{marshal(fields)}, func(h *C.hl_store,
		actor *C.hl_actor, args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_script_create(h, actor, args[0], out, err)
	})
}

// UpdateScript changes any of a script's fields.
func (s *Store) UpdateScript(a Actor, id int64, fields any) (Script, error) {
	return actorDecoded[Script](s, a, []string{marshal(fields)}, func(h *C.hl_store,
		actor *C.hl_actor, args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_script_update(h, actor, C.int64_t(id), args[0], out, err)
	})
}

// Script reads a script by id.
func (s *Store) Script(id int64) (Script, error) {
	return decoded[Script](s, nil, func([]*C.char) storeFn {
		return func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_kb_script_get(h, C.int64_t(id), out, err)
		}
	})
}

// Scripts lists the scripts that apply to a query (queue, category,
// ivr_path, quick_replies_only); nil lists them all.
func (s *Store) Scripts(query any) ([]Script, error) {
	if query == nil {
		query = map[string]any{}
	}
	return decoded[[]Script](s, []string{marshal(query)}, func(args []*C.char) storeFn {
		return func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_kb_script_list(h, args[0], out, err)
		}
	})
}

// QuickReply finds the quick reply with this shortcut.
func (s *Store) QuickReply(shortcut string) (Script, error) {
	return decoded[Script](s, []string{shortcut}, func(args []*C.char) storeFn {
		return func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_kb_quick_reply(h, args[0], out, err)
		}
	})
}

// RenderScript fills a script's ${customer.name}-style placeholders from
// context (a JSON object); values go in as plain text.
func (s *Store) RenderScript(id int64, context any) (RenderedScript, error) {
	return decoded[RenderedScript](s, []string{marshal(context)}, func(args []*C.char) storeFn {
		return func(h *C.hl_store, out **C.char, err **C.hl_error) C.hl_status {
			return C.hl_kb_script_render(h, C.int64_t(id), args[0], out, err)
		}
	})
}

// Suggest ranks articles and scripts for a live contact, best first.
func (s *Store) Suggest(a Actor, request SuggestionRequest) ([]Suggestion, error) {
	return actorDecoded[[]Suggestion](s, a, []string{marshal(request)}, func(h *C.hl_store,
		actor *C.hl_actor, args []*C.char, out **C.char, err **C.hl_error) C.hl_status {
		return C.hl_kb_suggest(h, actor, args[0], out, err)
	})
}

// LoadKnowledge loads {"categories", "articles", "scripts"} content, as
// examples/center/knowledge/ ships it.
func (s *Store) LoadKnowledge(a Actor, document any) (KnowledgeLoadReport, error) {
	return actorDecoded[KnowledgeLoadReport](s, a, []string{marshal(document)},
		func(h *C.hl_store, actor *C.hl_actor, args []*C.char, out **C.char,
			err **C.hl_error) C.hl_status {
			return C.hl_kb_load(h, actor, args[0], out, err)
		})
}
