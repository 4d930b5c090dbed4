#include "util/archive_api.h"

#include <type_traits>

#include "util/dl.h"
#include "util/error.h"

namespace hapkg {

// Every function of ArchiveApi, once: (member, libarchive's name).
#define ARCHIVE_FUNCTIONS(X)                                        \
  X(read_new, archive_read_new)                                     \
  X(read_free, archive_read_free)                                   \
  X(read_support_filter_all, archive_read_support_filter_all)       \
  X(read_support_format_all, archive_read_support_format_all)       \
  X(read_support_format_tar, archive_read_support_format_tar)       \
  X(read_support_format_gnutar, archive_read_support_format_gnutar) \
  X(read_support_format_raw, archive_read_support_format_raw)       \
  X(read_support_format_empty, archive_read_support_format_empty)   \
  X(read_open_filename, archive_read_open_filename)                 \
  X(read_open_memory, archive_read_open_memory)                     \
  X(read_next_header, archive_read_next_header)                     \
  X(read_data, archive_read_data)                                   \
  X(read_data_skip, archive_read_data_skip)                         \
  X(error_string, archive_error_string)                             \
  X(entry_pathname, archive_entry_pathname)                         \
  X(entry_hardlink, archive_entry_hardlink)                         \
  X(entry_symlink, archive_entry_symlink)                           \
  X(entry_perm, archive_entry_perm)                                 \
  X(entry_filetype, archive_entry_filetype)                         \
  X(entry_size, archive_entry_size)                                 \
  X(entry_mtime, archive_entry_mtime)

// The table's types are archive.h's declarations, checked at compile time.
#define SAME_TYPE(member, fn) HAPKG_DL_SAME_TYPE(ArchiveApi, member, fn)
ARCHIVE_FUNCTIONS(SAME_TYPE)
#undef SAME_TYPE

bool load_archive_api(std::initializer_list<const char*> sonames, ArchiveApi& api, std::string& error) {
  void* handle = dl_open_first(sonames, "libarchive", api.soname, error);
  if (!handle) return false;
  std::string missing;
  ARCHIVE_FUNCTIONS(HAPKG_DL_RESOLVE)
  return dl_complete(handle, api.soname, missing, error);
}

const ArchiveApi& libarchive() {
  const auto& l = dl_load_once<ArchiveApi>(
      [](ArchiveApi& api, std::string& error) { return load_archive_api({"libarchive.so.13"}, api, error); });
  if (!l.ok) throw OperationError(l.error);
  return l.api;
}

}  // namespace hapkg
