// libarchive (reading tarballs: orig checks and repacks, compressed index
// pages), loaded with dlopen() on first use rather than linked: linking it
// makes every hapkg process map and relocate libarchive, libxml2 and ICU
// (libicuuc, libicudata), libnettle and libacl — six of the 27 libraries
// `hapkg version compare` loaded once libcurl went (docs/benchmarks.md).
// The package must Depend on libarchive13 by hand; dpkg-shlibdeps does not
// see a dlopen().
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <initializer_list>
#include <string>

namespace hapkg {

// The libarchive functions hapkg calls; archive.h is only the ABI's
// description (libarchive.so.13).
struct ArchiveApi {
  archive* (*read_new)();
  int (*read_free)(archive*);
  int (*read_support_filter_all)(archive*);
  int (*read_support_format_all)(archive*);
  int (*read_support_format_tar)(archive*);
  int (*read_support_format_gnutar)(archive*);
  int (*read_support_format_raw)(archive*);
  int (*read_support_format_empty)(archive*);
  int (*read_open_filename)(archive*, const char*, size_t);
  int (*read_open_memory)(archive*, const void*, size_t);
  int (*read_next_header)(archive*, archive_entry**);
  la_ssize_t (*read_data)(archive*, void*, size_t);
  int (*read_data_skip)(archive*);
  const char* (*error_string)(archive*);
  const char* (*entry_pathname)(archive_entry*);
  const char* (*entry_hardlink)(archive_entry*);
  const char* (*entry_symlink)(archive_entry*);
  __LA_MODE_T (*entry_perm)(archive_entry*);
  __LA_MODE_T (*entry_filetype)(archive_entry*);
  la_int64_t (*entry_size)(archive_entry*);
  time_t (*entry_mtime)(archive_entry*);
  std::string soname;
};

// The process's libarchive, loaded and resolved once on the first call;
// throws OperationError (exit 3) naming the library and why when it cannot
// be loaded or lacks a function.
const ArchiveApi& libarchive();

// What libarchive() does, from the given sonames (tried in order); for
// tests. On failure returns false and sets `error`.
bool load_archive_api(std::initializer_list<const char*> sonames, ArchiveApi& api, std::string& error);

}  // namespace hapkg
