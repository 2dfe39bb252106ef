#include "feature_codes.hpp"

#include <utility>

namespace hotline::sip {

std::optional<SupervisionDial> match_feature_code(const FeatureCodes& codes,
                                                  const std::string& dialled) {
  const std::pair<const char*, const std::string*> modes[] = {
      {"monitor", &codes.monitor},
      {"whisper", &codes.whisper},
      {"barge", &codes.barge},
      {"take_over", &codes.take_over}};
  const char* mode = nullptr;
  std::size_t length = 0;
  for (const auto& [name, code] : modes) {
    if (code->empty() || code->size() <= length || dialled.rfind(*code, 0) != 0) continue;
    mode = name;
    length = code->size();
  }
  if (mode == nullptr || dialled.size() == length) return std::nullopt;
  return SupervisionDial{mode, dialled.substr(length)};
}

}  // namespace hotline::sip
