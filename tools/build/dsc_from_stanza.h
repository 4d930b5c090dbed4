// A .dsc rebuilt from its Sources index stanza, for an archive that serves
// a source's tarballs but not its .dsc (resource-agents 1:4.16.0-3+deb13u2
// in trixie, see /work/shared/sources/README.md).
#pragma once

#include <string>

#include "deb/deb822.h"

namespace hapkg::build {

// The stanza's source fields as a .dsc (unsigned, dpkg's field order):
// Package becomes Source, the index-only fields (Directory, Priority,
// Section) go, and the .dsc's own line is dropped from Files and
// Checksums-*. The tarballs' checksums are the stanza's, so dpkg-source -x
// verifies them. It is not the original .dsc byte for byte (that one is
// signed, and its own checksum in the stanza cannot be reproduced).
// InputError naming `where` when a required field is missing.
std::string dsc_from_sources_stanza(const deb::Paragraph& stanza, const std::string& where);

}  // namespace hapkg::build
