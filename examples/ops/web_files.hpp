// The pages' files (examples/ops/web) and the charting library, as the
// server finds them on disk for a URL path. Only regular files under the
// folder are served: a path with an empty, "." or ".." segment, a backslash,
// a percent sign or a NUL is refused before the disk is asked, and what
// the disk resolves (symbolic links included) must still lie in the folder.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hotline::ops {

struct PagesOptions {
  std::string web_root;     // the pages' folder; empty serves no pages
  std::string chartjs_dir;  // Debian's libjs-chart.js folder
};

struct WebFile {
  std::string path;          // absolute, on disk
  std::string content_type;  // from the file name's extension
};

// The URL path of the charting library the pages load.
constexpr std::string_view kChartJsPath = "/vendor/chart.js";

// The file for `url_path` ("/" is "/index.html"); nullopt when none may be served.
std::optional<WebFile> find_web_file(const PagesOptions& options, std::string_view url_path);

// The content type of a file name, by extension; empty for a type not served.
std::string_view content_type_of(std::string_view file_name);

// The pages' folder when --web is not given: beside the program
// (<program's folder>/web), then installed (<program's folder>/../share/hotline/web),
// then the source tree the program was built from; empty if none exists.
std::string default_web_root();

}  // namespace hotline::ops
