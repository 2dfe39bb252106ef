package hotline

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
)

// knowledgeStores opens SQLite, memory and a host's own storage.
func knowledgeStores(t *testing.T) map[string]*Store {
	t.Helper()
	stores := openStores(t)
	host, err := OpenHostStore(&mapStorage{live: map[string]string{}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := host.SetTime(1795510800000); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(host.Close)
	stores["host"] = host
	return stores
}

func TestKnowledgeArticlesVersionsPermissionsAndAudit(t *testing.T) {
	for name, s := range knowledgeStores(t) {
		t.Run(name, func(t *testing.T) {
			if _, err := s.CreateCategory(supervisor, "cards"); err != nil {
				t.Fatal(err)
			}
			a, err := s.CreateArticle(supervisor, map[string]any{
				"title": "Lost card", "body": "Block it.", "category": "cards",
				"review_at": 1795510800000 + 3600000})
			if err != nil {
				t.Fatal(err)
			}
			if a.Status != "draft" || a.Version != 1 || a.Stale {
				t.Fatalf("new article: %+v", a)
			}
			if _, err := s.Article(agent, a.ID); !errors.Is(err, ErrNotFound) {
				t.Fatalf("an agent reads a draft: %v", err)
			}
			if _, err := s.PublishArticle(agent, a.ID); !errors.Is(err, ErrPerm) {
				t.Fatalf("an agent publishes: %v", err)
			}
			if _, err := s.PublishArticle(supervisor, a.ID); err != nil {
				t.Fatal(err)
			}
			edit := map[string]any{"title": "Lost or stolen card"}
			if _, err := s.UpdateArticle(admin, a.ID, edit); err != nil {
				t.Fatal(err)
			}
			history, err := s.ArticleHistory(agent, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			var changed [][]string
			for _, v := range history {
				changed = append(changed, v.Changed)
			}
			if !reflect.DeepEqual(changed, [][]string{{"created"}, {"status"}, {"title"}}) {
				t.Fatalf("history: %v", changed)
			}
			first, err := s.ArticleVersion(agent, a.ID, 1)
			if err != nil || first.Title != "Lost card" {
				t.Fatalf("version 1: %+v %v", first, err)
			}
			if err := s.SetTime(1795510800000 + 3600000); err != nil {
				t.Fatal(err)
			}
			stale, err := s.Articles(agent, map[string]any{"stale_only": true})
			if err != nil || len(stale) != 1 || !stale[0].Stale {
				t.Fatalf("stale list: %+v %v", stale, err)
			}
			audit, err := s.Audit(admin, map[string]any{"entity": "article"})
			if err != nil || len(audit) != 1 || audit[0]["action"] != "publish" ||
				audit[0]["actor"] != "sam" {
				t.Fatalf("audit: %v %v", audit, err)
			}
			_, err = s.CreateArticle(supervisor, map[string]any{"title": "x", "tag": "typo"})
			if !errors.Is(err, ErrInvalid) || !strings.HasSuffix(err.Error(),
				"$.tag: unknown field (expected one of: title, body, category, tags, owner, review_at)") {
				t.Fatalf("unknown field: %v", err)
			}
		})
	}
}

func TestKnowledgeExampleSearchSuggestionsAndScripts(t *testing.T) {
	text, err := os.ReadFile("../../examples/center/knowledge/bank.json")
	if err != nil {
		t.Fatal(err)
	}
	var document map[string]any
	if err := json.Unmarshal(text, &document); err != nil {
		t.Fatal(err)
	}
	for name, s := range knowledgeStores(t) {
		t.Run(name, func(t *testing.T) {
			report, err := s.LoadKnowledge(supervisor, document)
			if err != nil || report != (KnowledgeLoadReport{Categories: 4, Articles: 6, Scripts: 6}) {
				t.Fatalf("load: %+v %v", report, err)
			}
			found, err := s.SearchArticles(agent, "年费", 10)
			if err != nil || len(found) != 1 || found[0].Title != "信用卡年费减免规则" {
				t.Fatalf("search: %+v %v", found, err)
			}
			used, err := s.RecordArticleUse(agent, found[0].ID, true)
			if err != nil || used.Used != 1 || used.Helped != 1 {
				t.Fatalf("use: %+v %v", used, err)
			}
			if none, err := s.SearchArticles(agent, "mortgage", 10); err != nil || len(none) != 0 {
				t.Fatalf("no match: %+v %v", none, err)
			}
			gaps, err := s.KnowledgeGaps(supervisor, 1795510800000, 1795510800001, 10)
			if err != nil || len(gaps) != 1 || gaps[0].Query != "mortgage" || gaps[0].Count != 1 {
				t.Fatalf("gaps: %+v %v", gaps, err)
			}
			suggestions, err := s.Suggest(agent, SuggestionRequest{Queue: "retail",
				IVRPath: "bank/cards/lost", Category: "cards/lost", Subject: "挂失"})
			if err != nil || len(suggestions) < 2 || suggestions[0].Kind != "script" ||
				suggestions[0].Title != "挂失开场白" {
				t.Fatalf("suggestions: %+v %v", suggestions, err)
			}
			wait, err := s.QuickReply("/wait")
			if err != nil || wait.Text != "请稍等，我正在为您查询。" {
				t.Fatalf("quick reply: %+v %v", wait, err)
			}
			replies, err := s.Scripts(map[string]any{"quick_replies_only": true})
			if err != nil || len(replies) != 2 {
				t.Fatalf("quick replies: %+v %v", replies, err)
			}
			rendered, err := s.RenderScript(suggestions[0].ID, map[string]any{
				"customer": map[string]any{"name": "张三"}})
			const want = "张三您好，我是${agent.number}号客服。您的卡我马上为您冻结，请放心。"
			if err != nil || rendered.Text != want ||
				!reflect.DeepEqual(rendered.Missing, []string{"agent.number"}) {
				t.Fatalf("render: %+v %v", rendered, err)
			}
			edited, err := s.UpdateScript(admin, wait.ID, map[string]any{"shortcut": "/hold"})
			if err != nil || edited.Shortcut != "/hold" {
				t.Fatalf("update script: %+v %v", edited, err)
			}
			if got, err := s.Script(wait.ID); err != nil || got.UpdatedBy != "ada" {
				t.Fatalf("script: %+v %v", got, err)
			}
			categories, err := s.Categories()
			if err != nil || len(categories) != 4 || categories[0].Path != "accounts" {
				t.Fatalf("categories: %+v %v", categories, err)
			}
			draft, err := s.Articles(supervisor, map[string]any{"status": "draft"})
			if err != nil || len(draft) != 1 {
				t.Fatalf("drafts: %+v %v", draft, err)
			}
			archived, err := s.ArchiveArticle(supervisor, draft[0].ID)
			if err != nil || archived.Status != "archived" {
				t.Fatalf("archive: %+v %v", archived, err)
			}
		})
	}
}
