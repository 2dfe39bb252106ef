// The Prometheus text exposition format (version 0.0.4): metric families
// with HELP and TYPE lines, samples with escaped label values, histograms
// as _bucket/_sum/_count series. Knows nothing of contact centers.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "histogram.hpp"

namespace hotline::ops {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A label value with backslash, double quote and line feed escaped.
std::string escape_label_value(std::string_view value);
// A number as the format writes it: integers without a fraction, +Inf, NaN.
std::string format_sample_value(double value);

class PrometheusText {
 public:
  // Starts a family; its samples follow. `type` is gauge, counter or histogram.
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  // The series of one histogram of the current family, `name` its base name.
  void histogram(std::string_view name, const Labels& labels, const Histogram& h);

  const std::string& text() const noexcept { return text_; }

 private:
  std::string text_;
};

}  // namespace hotline::ops
