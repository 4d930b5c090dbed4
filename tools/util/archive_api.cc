#include "util/archive_api.h"

#include <type_traits>

#include "util/dl.h"
#include "util/error.h"

namespace hapkg {

// The table's types are archive.h's declarations, checked at compile time.
#define SAME_TYPE(member, fn) static_assert(std::is_same_v<decltype(ArchiveApi::member), decltype(&fn)>, #fn)
SAME_TYPE(read_new, archive_read_new);
SAME_TYPE(read_free, archive_read_free);
SAME_TYPE(read_support_filter_all, archive_read_support_filter_all);
SAME_TYPE(read_support_format_all, archive_read_support_format_all);
SAME_TYPE(read_support_format_tar, archive_read_support_format_tar);
SAME_TYPE(read_support_format_gnutar, archive_read_support_format_gnutar);
SAME_TYPE(read_support_format_raw, archive_read_support_format_raw);
SAME_TYPE(read_support_format_empty, archive_read_support_format_empty);
SAME_TYPE(read_open_filename, archive_read_open_filename);
SAME_TYPE(read_open_memory, archive_read_open_memory);
SAME_TYPE(read_next_header, archive_read_next_header);
SAME_TYPE(read_data, archive_read_data);
SAME_TYPE(read_data_skip, archive_read_data_skip);
SAME_TYPE(error_string, archive_error_string);
SAME_TYPE(entry_pathname, archive_entry_pathname);
SAME_TYPE(entry_hardlink, archive_entry_hardlink);
SAME_TYPE(entry_symlink, archive_entry_symlink);
SAME_TYPE(entry_perm, archive_entry_perm);
SAME_TYPE(entry_filetype, archive_entry_filetype);
SAME_TYPE(entry_size, archive_entry_size);
SAME_TYPE(entry_mtime, archive_entry_mtime);
#undef SAME_TYPE

bool load_archive_api(std::initializer_list<const char*> sonames, ArchiveApi& api, std::string& error) {
  void* h = dl_open_first(sonames, "libarchive", api.soname, error);
  if (!h) return false;
  std::string missing;
  auto sym = [&](auto& fn, const char* name) { dl_resolve(h, fn, name, missing); };
  sym(api.read_new, "archive_read_new");
  sym(api.read_free, "archive_read_free");
  sym(api.read_support_filter_all, "archive_read_support_filter_all");
  sym(api.read_support_format_all, "archive_read_support_format_all");
  sym(api.read_support_format_tar, "archive_read_support_format_tar");
  sym(api.read_support_format_gnutar, "archive_read_support_format_gnutar");
  sym(api.read_support_format_raw, "archive_read_support_format_raw");
  sym(api.read_support_format_empty, "archive_read_support_format_empty");
  sym(api.read_open_filename, "archive_read_open_filename");
  sym(api.read_open_memory, "archive_read_open_memory");
  sym(api.read_next_header, "archive_read_next_header");
  sym(api.read_data, "archive_read_data");
  sym(api.read_data_skip, "archive_read_data_skip");
  sym(api.error_string, "archive_error_string");
  sym(api.entry_pathname, "archive_entry_pathname");
  sym(api.entry_hardlink, "archive_entry_hardlink");
  sym(api.entry_symlink, "archive_entry_symlink");
  sym(api.entry_perm, "archive_entry_perm");
  sym(api.entry_filetype, "archive_entry_filetype");
  sym(api.entry_size, "archive_entry_size");
  sym(api.entry_mtime, "archive_entry_mtime");
  if (!missing.empty()) {
    error = api.soname + " lacks " + missing;
    ::dlclose(h);
    return false;
  }
  return true;
}

const ArchiveApi& libarchive() {
  struct Loaded {
    ArchiveApi api{};
    std::string error;
    bool ok = false;
  };
  static const Loaded l = [] {
    Loaded x;
    x.ok = load_archive_api({"libarchive.so.13"}, x.api, x.error);
    return x;
  }();
  if (!l.ok) throw OperationError(l.error);
  return l.api;
}

}  // namespace hapkg
