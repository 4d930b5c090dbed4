// The user's files behind a sandbox root: checks of dpkg status and Packages
// files, and apt's errors about a root's list files turned into messages that
// name the file the user gave (never the sandbox path apt saw, never apt's
// "run apt-get update" advice, which does not apply to a sandbox).
#pragma once

#include <string>

#include "deb/deb822.h"

namespace hapkg::upgrade {

// Every stanza of a dpkg status file (`need_status`) or Packages index has a
// Package: field (and, for a status file, Status:); InputError "file:line"
// for the first one that does not (a Release file given as --status, say).
void check_package_stanzas(const deb::Deb822& doc, bool need_status);

// Why a user's index or status file is unreadable: "FILE: corrupt or
// truncated ...", "FILE:LINE: stanza without ...", or "" when it reads fine.
std::string diagnose_index(const std::string& user_file, bool is_status);

// One line for apt's errors opening a root: the list file (a symlink into
// the user's file) or the root's status (a copy of `status_source`) apt
// complained about, diagnosed; apt's text with sandbox paths replaced
// otherwise.
std::string explain_unreadable_input(const std::string& lists_dir, const std::string& root_status,
                                     const std::string& status_source, const std::string& apt_errors);

}  // namespace hapkg::upgrade
