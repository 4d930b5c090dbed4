#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.h"

#include <pcre2.h>

#include <stdexcept>
#include <type_traits>

#include "util/dl.h"
#include "util/error.h"

namespace hapkg {
namespace {

// libpcre2-8 is dlopen()ed by the first regex (dl.h), not linked: most
// commands (`version compare`, `changelog show`) use none, and each linked
// library costs every process its mapping and relocations
// (docs/benchmarks.md). pcre2.h is only the ABI's description.
struct Pcre2Api {
  decltype(&pcre2_compile_8) compile;
  decltype(&pcre2_code_free_8) code_free;
  decltype(&pcre2_get_error_message_8) get_error_message;
  decltype(&pcre2_pattern_info_8) pattern_info;
  decltype(&pcre2_match_data_create_from_pattern_8) match_data_create_from_pattern;
  decltype(&pcre2_match_8) match;
  decltype(&pcre2_get_ovector_pointer_8) get_ovector_pointer;
  decltype(&pcre2_match_data_free_8) match_data_free;
  std::string soname;
};

// Every function of Pcre2Api, once: (member, the library's name). The
// names are the 8-bit ones pcre2.h's macros stand for.
#define PCRE2_FUNCTIONS(X)                                                      \
  X(compile, pcre2_compile_8)                                                   \
  X(code_free, pcre2_code_free_8)                                               \
  X(get_error_message, pcre2_get_error_message_8)                               \
  X(pattern_info, pcre2_pattern_info_8)                                         \
  X(match_data_create_from_pattern, pcre2_match_data_create_from_pattern_8)     \
  X(match, pcre2_match_8)                                                       \
  X(get_ovector_pointer, pcre2_get_ovector_pointer_8)                           \
  X(match_data_free, pcre2_match_data_free_8)

#define SAME_TYPE(member, fn) HAPKG_DL_SAME_TYPE(Pcre2Api, member, fn)
PCRE2_FUNCTIONS(SAME_TYPE)
#undef SAME_TYPE

// The process's PCRE2, loaded and resolved once; throws OperationError
// (exit 3) naming the library and why when it cannot be loaded.
const Pcre2Api& pcre2() {
  const auto& l = dl_load_once<Pcre2Api>([](Pcre2Api& api, std::string& error) {
    void* handle = dl_open_first({"libpcre2-8.so.0"}, "PCRE2", api.soname, error);
    if (!handle) return false;
    std::string missing;
    PCRE2_FUNCTIONS(HAPKG_DL_RESOLVE)
    return dl_complete(handle, api.soname, missing, error);
  });
  if (!l.ok) throw OperationError(l.error);
  return l.api;
}

}  // namespace

struct Regex::Code {
  pcre2_code* code = nullptr;
  ~Code() {
    if (code) pcre2().code_free(code);
  }
};

Regex::Regex(const std::string& pattern, bool caseless, bool extended) : code_(std::make_unique<Code>()) {
  int err = 0;
  PCRE2_SIZE offset = 0;
  uint32_t opts = (caseless ? PCRE2_CASELESS : 0) | (extended ? PCRE2_EXTENDED : 0);
  const Pcre2Api& p = pcre2();
  code_->code = p.compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), opts, &err, &offset,
                              nullptr);
  if (!code_->code) {
    PCRE2_UCHAR buf[256];
    p.get_error_message(err, buf, sizeof buf);
    throw std::invalid_argument("bad regex '" + pattern + "': " + reinterpret_cast<const char*>(buf) +
                                " at offset " + std::to_string(offset));
  }
  uint32_t n = 0;
  p.pattern_info(code_->code, PCRE2_INFO_CAPTURECOUNT, &n);
  groups_ = n;
}

Regex::~Regex() = default;
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;

std::optional<RegexMatch> Regex::search(std::string_view subject, std::size_t start) const {
  if (start > subject.size()) return std::nullopt;
  const Pcre2Api& p = pcre2();
  pcre2_match_data* md = p.match_data_create_from_pattern(code_->code, nullptr);
  int rc = p.match(code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), start, 0, md,
                       nullptr);
  if (rc < 0) {
    p.match_data_free(md);
    if (rc == PCRE2_ERROR_NOMATCH) return std::nullopt;
    throw std::runtime_error("regex match failed (PCRE2 error " + std::to_string(rc) + ")");
  }
  PCRE2_SIZE* ov = p.get_ovector_pointer(md);
  RegexMatch m;
  m.begin = ov[0];
  m.end = ov[1];
  for (std::size_t i = 1; i <= groups_; ++i) {
    if (static_cast<int>(i) < rc && ov[2 * i] != PCRE2_UNSET)
      m.groups.emplace_back(std::string(subject.substr(ov[2 * i], ov[2 * i + 1] - ov[2 * i])));
    else
      m.groups.emplace_back(std::nullopt);
  }
  p.match_data_free(md);
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
