#include "center_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "hotline/util/json_input.hpp"

namespace hotline::ops {

using nlohmann::json;

namespace {

Result<json> read_json(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::kIo, fmt::format("{}: cannot read {}", what, path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_json(text.str(), what);
}

}  // namespace

Result<json> read_center_file(const std::string& path) {
  auto center = read_json(path, path);
  if (!center) return center;
  json& j = *center;
  if (!j.is_object()) return make_error(Errc::kInvalidArgument, path + ": $: must be an object");
  j.erase("simulation");
  if (auto files = j.find("flow_files"); files != j.end()) {
    if (!files->is_array()) {
      return make_error(Errc::kInvalidArgument,
                        path + ": $.flow_files: must be an array of file names");
    }
    const auto base = std::filesystem::path(path).parent_path();
    json flows = j.value("flows", json::array());
    for (std::size_t i = 0; i < files->size(); ++i) {
      const std::string where = fmt::format("{}: $.flow_files[{}]", path, i);
      if (!(*files)[i].is_string()) {
        return make_error(Errc::kInvalidArgument, where + ": must be a file name");
      }
      auto flow = read_json(base / (*files)[i].get<std::string>(), where);
      if (!flow) return flow;
      flows.push_back(std::move(*flow));
    }
    j.erase("flow_files");
    j["flows"] = std::move(flows);
  }
  return center;
}

}  // namespace hotline::ops
