package hotline

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// packageFiles parses the package's own (non-test) Go files.
func packageFiles(t *testing.T) (*token.FileSet, []*ast.File, string) {
	t.Helper()
	fset := token.NewFileSet()
	paths, _ := filepath.Glob("*.go")
	var files []*ast.File
	var source strings.Builder
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		text, _ := os.ReadFile(p)
		source.Write(text)
	}
	return fset, files, source.String()
}

// Every exported identifier carries a doc comment, as golint asks: functions,
// methods, types, constants and variables (a documented group covers its
// members).
func TestEveryExportedIdentifierIsDocumented(t *testing.T) {
	fset, files, _ := packageFiles(t)
	var missing []string
	report := func(pos token.Pos, name string) {
		missing = append(missing, fset.Position(pos).String()+": "+name)
	}
	for _, f := range files {
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && d.Doc == nil && !strings.HasPrefix(d.Name.Name, "go") {
					report(d.Pos(), d.Name.Name)
				}
			case *ast.GenDecl:
				for _, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() && d.Doc == nil && s.Doc == nil {
							report(s.Pos(), s.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && d.Doc == nil && s.Doc == nil && s.Comment == nil {
								report(n.Pos(), n.Name)
							}
						}
					}
				}
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("undocumented exported identifiers:\n%s", strings.Join(missing, "\n"))
	}
}

// Every function the C headers export is called by the binding.
func TestEveryExportedCFunctionIsReachable(t *testing.T) {
	_, _, source := packageFiles(t)
	headers, _ := filepath.Glob("../../capi/include/hotline/*.h")
	sys, _ := filepath.Glob("../../capi/include/hotline/sys/*.h")
	decl := regexp.MustCompile(`HL_API\s+[^;(]*?\b(hl_\w+)\s*\(`)
	var exported, missing []string
	for _, h := range append(headers, sys...) {
		text, err := os.ReadFile(h)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllStringSubmatch(string(text), -1) {
			exported = append(exported, m[1])
			// Go calls C as C.name(...); vtable installers call it from the preamble.
			if !strings.Contains(source, "C."+m[1]+"(") && !strings.Contains(source, m[1]+"(e, &") &&
				!strings.Contains(source, m[1]+"(out, &") {
				missing = append(missing, m[1])
			}
		}
	}
	if len(exported) < 70 {
		t.Fatalf("the header scan found only %d functions", len(exported))
	}
	if len(missing) > 0 {
		t.Errorf("C functions the binding does not reach: %v", missing)
	}
}
