#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "web_files.hpp"

using namespace hotline::ops;
namespace fs = std::filesystem;

namespace {

// A web folder with one page, and a secret beside it.
struct Folder {
  Folder() {
    std::string pattern = (fs::temp_directory_path() / "hotline-web-XXXXXX").string();
    base = mkdtemp(pattern.data());
    fs::create_directories(base / "web" / "css");
    std::ofstream(base / "web" / "index.html") << "<!doctype html>";
    std::ofstream(base / "web" / "css" / "a.css") << "body{}";
    std::ofstream(base / "web" / "notes.txt") << "not a served type";
    std::ofstream(base / "secret.html") << "secret";
    fs::create_symlink(base / "secret.html", base / "web" / "link.html");
    fs::create_directories(base / "chartjs");
  }
  ~Folder() { fs::remove_all(base); }
  PagesOptions options() const {
    return PagesOptions{(base / "web").string(), (base / "chartjs").string()};
  }
  fs::path base;
};

}  // namespace

TEST_CASE("a page is found in the web folder with its content type") {
  Folder folder;
  auto index = find_web_file(folder.options(), "/");
  REQUIRE(index.has_value());
  CHECK(index->path == fs::canonical(folder.base / "web" / "index.html").string());
  CHECK(index->content_type == "text/html; charset=utf-8");
  auto css = find_web_file(folder.options(), "/css/a.css");
  REQUIRE(css.has_value());
  CHECK(css->content_type == "text/css; charset=utf-8");
}

TEST_CASE("no path leaves the web folder") {
  Folder folder;
  for (const char* path : {"/../secret.html", "/css/../../secret.html", "/./index.html",
                           "//index.html", "/css//a.css", "/%2e%2e/secret.html",
                           "/..\\secret.html", "/link.html", "/notes.txt", "/css",
                           "/css/", "index.html", "", "/no-such.html"}) {
    CAPTURE(path);
    CHECK_FALSE(find_web_file(folder.options(), path).has_value());
  }
  const std::string with_nul("/index.html\0.js", 15);
  CHECK_FALSE(find_web_file(folder.options(), with_nul).has_value());
}

TEST_CASE("the charting library is found under the names Debian has used") {
  Folder folder;
  CHECK_FALSE(find_web_file(folder.options(), kChartJsPath).has_value());
  std::ofstream(folder.base / "chartjs" / "Chart.js") << "old";
  auto found = find_web_file(folder.options(), kChartJsPath);
  REQUIRE(found.has_value());
  CHECK(fs::path(found->path).filename() == "Chart.js");
  std::ofstream(folder.base / "chartjs" / "chart.min.js") << "minified";
  found = find_web_file(folder.options(), kChartJsPath);
  REQUIRE(found.has_value());
  CHECK(fs::path(found->path).filename() == "chart.min.js");
  CHECK(found->content_type == "text/javascript; charset=utf-8");
  CHECK_FALSE(find_web_file(folder.options(), "/vendor/Chart.js").has_value());
}

TEST_CASE("without a web folder no page is served") {
  CHECK_FALSE(find_web_file(PagesOptions{}, "/index.html").has_value());
}

TEST_CASE("content types come from the extension") {
  CHECK(content_type_of("a.js") == "text/javascript; charset=utf-8");
  CHECK(content_type_of("a.svg") == "image/svg+xml");
  CHECK(content_type_of(".js") == "");
  CHECK(content_type_of("a.exe") == "");
}
