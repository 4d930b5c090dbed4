#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.h"

#include <pcre2.h>

#include <stdexcept>

namespace hapkg {

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() { pcre2_code_free(code); }
};

Regex::Regex(const std::string& pattern, bool caseless, bool extended) : code_(std::make_unique<Code>()) {
  int err = 0;
  PCRE2_SIZE offset = 0;
  uint32_t opts = (caseless ? PCRE2_CASELESS : 0) | (extended ? PCRE2_EXTENDED : 0);
  code_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), opts, &err, &offset,
                              nullptr);
  if (!code_->code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof buf);
    throw std::invalid_argument("bad regex '" + pattern + "': " + reinterpret_cast<const char*>(buf) +
                                " at offset " + std::to_string(offset));
  }
  uint32_t n = 0;
  pcre2_pattern_info(code_->code, PCRE2_INFO_CAPTURECOUNT, &n);
  groups_ = n;
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

std::optional<RegexMatch> Regex::search(std::string_view subject, std::size_t start) const {
  if (start > subject.size()) return std::nullopt;
  pcre2_match_data* md = pcre2_match_data_create_from_pattern(code_->code, nullptr);
  int rc = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0, md,
                       nullptr);
  if (rc < 0) {
    pcre2_match_data_free(md);
    if (rc == PCRE2_ERROR_NOMATCH) return std::nullopt;
    throw std::runtime_error("regex match failed (PCRE2 error " + std::to_string(rc) + ")");
  }
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
  RegexMatch m;
  m.begin = ov[0];
  m.end = ov[1];
  for (std::size_t i = 1; i <= groups_; ++i) {
    if (static_cast<int>(i) < rc && ov[2 * i] != PCRE2_UNSET)
      m.groups.emplace_back(std::string(subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i])));
    else
      m.groups.emplace_back(std::nullopt);
  }
  pcre2_match_data_free(md);
  return m;
}

std::optional<std::vector<std::string>> full_match(const std::string& pattern, std::string_view subject) {
  Regex re("^" + pattern + "$");
  auto m = re.search(subject);
  if (!m) return std::nullopt;
  std::vector<std::string> out;
  for (auto& g : m->groups) out.push_back(g.value_or(""));
  return out;
}

}  // namespace hapkg
