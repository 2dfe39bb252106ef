#include "web_files.hpp"

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace hotline::ops {

namespace fs = std::filesystem;

namespace {

// Debian's libjs-chart.js has carried its build under several names (Chart.js 2
// as Chart.bundle.js, 3 as chart.js, 4 as chart.umd.js); only a classic script,
// never the ES module build, can be loaded by a <script src>.
constexpr std::string_view kChartJsNames[] = {"chart.umd.js",       "chart.min.js",
                                              "chart.js",           "Chart.min.js",
                                              "Chart.js",           "Chart.bundle.min.js",
                                              "Chart.bundle.js"};

bool safe_url_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  if (path.find_first_of(std::string_view("\\%\0", 3)) != std::string_view::npos) return false;
  std::string_view rest = path.substr(1);
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment == "." || segment == "..") return false;
    if (slash == std::string_view::npos) return true;
    rest = rest.substr(slash + 1);
  }
}

// `candidate` resolved on disk, if it is a regular file inside `root`.
std::optional<std::string> inside(const fs::path& root, const fs::path& candidate) {
  std::error_code error;
  const fs::path real_root = fs::canonical(root, error);
  if (error) return std::nullopt;
  const fs::path real = fs::canonical(candidate, error);
  if (error || !fs::is_regular_file(real, error) || error) return std::nullopt;
  const std::string root_text = real_root.string() + "/";
  const std::string text = real.string();
  if (text.compare(0, root_text.size(), root_text) != 0) return std::nullopt;
  return text;
}

}  // namespace

std::string_view content_type_of(std::string_view file_name) {
  struct Type {
    std::string_view extension;
    std::string_view content_type;
  };
  static constexpr Type kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
  };
  for (const Type& t : kTypes) {
    if (file_name.size() > t.extension.size() &&
        file_name.substr(file_name.size() - t.extension.size()) == t.extension) {
      return t.content_type;
    }
  }
  return {};
}

std::optional<WebFile> find_web_file(const PagesOptions& options, std::string_view url_path) {
  if (url_path == kChartJsPath) {
    if (options.chartjs_dir.empty()) return std::nullopt;
    for (std::string_view name : kChartJsNames) {
      if (auto found = inside(options.chartjs_dir, fs::path(options.chartjs_dir) / name)) {
        return WebFile{*found, std::string(content_type_of(name))};
      }
    }
    return std::nullopt;
  }
  if (options.web_root.empty()) return std::nullopt;
  const std::string_view relative = url_path == "/" ? "/index.html" : url_path;
  if (!safe_url_path(relative)) return std::nullopt;
  const std::string_view type = content_type_of(relative);
  if (type.empty()) return std::nullopt;
  auto found = inside(options.web_root, fs::path(options.web_root) / relative.substr(1));
  if (!found) return std::nullopt;
  return WebFile{*found, std::string(type)};
}

std::string default_web_root() {
  std::error_code error;
  const fs::path program = fs::read_symlink("/proc/self/exe", error);
  std::vector<fs::path> candidates;
  if (!error) {
    candidates.push_back(program.parent_path() / "web");
    candidates.push_back(program.parent_path().parent_path() / "share" / "hotline" / "web");
  }
#ifdef HOTLINE_OPS_SOURCE_WEB_ROOT
  candidates.emplace_back(HOTLINE_OPS_SOURCE_WEB_ROOT);
#endif
  for (const fs::path& candidate : candidates) {
    if (fs::is_regular_file(candidate / "index.html", error)) return candidate.string();
  }
  return {};
}

}  // namespace hotline::ops
