// What the build chroots take from the host's apt configuration (the mirror)
// and from the pipeline's extra sources (archives and keys to copy in).
#pragma once

#include <string>
#include <vector>

namespace hapkg::build {

// The Debian mirror apt on this machine uses: URIs of the first deb822
// stanza (`Types: deb`) whose Suites include a plain codename (no
// "-security"/"-updates" suffix), so the mirror is never hard-coded.
// `files` are the *.sources paths to read, in order. InputError naming the
// file when none has such a stanza.
std::string mirror_from_sources_files(const std::vector<std::string>& files);
// The same over /etc/apt/sources.list.d/*.sources, sorted by name.
std::string host_apt_mirror();

// One-line apt source ("deb [opts] URI suite [components]"), as much as the
// chroot needs to know about it.
struct ExtraSource {
  std::string line;        // the line as given
  std::string file_dir;    // the absolute directory of a file: URI ("" for http:)
  std::string signed_by;   // the signed-by= path ("" when absent)
};
// InputError (naming `what`) for anything apt would refuse or that could
// reach outside the chroot: not "deb", no URI, a relative or ".." path.
ExtraSource parse_extra_source(const std::string& line, const std::string& what = "extra source");

}  // namespace hapkg::build
