// The pipeline's manifest: tracker/ha-stack.conf, the one deb822 list of the
// HA stack that `hapkg track` reads too. Three kinds of paragraph:
//   Pipeline: NAME   global settings (archive, signing key, work items, state)
//   Series: NAME     a target series: version rule, old-release indices and
//                    the HA stack installed on an old node (upgrade check)
//   Source: NAME     a source package: Watch (track), and for the pipeline
//                    Packaging (where its Debian packaging comes from),
//                    Patches, Build (binaries or source)
// A Source paragraph without Packaging is tracked only. Every problem is an
// InputError naming the manifest's file:line, before anything runs.
#pragma once

#include <string>
#include <vector>

#include "tracker/upstream/watch.h"

namespace hapkg::pipeline {

// Where a source's packaging comes from.
struct Packaging {
  // kRepository: this repository (hapkg itself, native).
  // kIndex: "URI SUITE COMPONENT", a Debian-style mirror (http(s) URL or a
  //   local directory) whose dists/SUITE/InRelease is verified with Keyring.
  // kSources: "sources DIR", a Sources file carried in this repository with
  //   the files beside it (trust: the repository; checksums still verified).
  enum class Kind { kRepository, kIndex, kSources } kind = Kind::kIndex;
  std::string uri;        // http(s):// URL, or an absolute directory
  std::string suite;      // dists/<suite>
  std::string component;  // main
  std::string keyring;    // gpgv keyring verifying dists/<suite>/InRelease
  std::string version;    // a pinned version; "" = the newest in the index
  // gpgv keyrings for a signed .dsc (Dsc-Keyring; default the installed
  // debian-keyring's, as dscverify); empty: a signed .dsc is not checked
  std::vector<std::string> dsc_keyrings;
};

// Pipeline: Upload: where the signed source-only upload goes (upload.h).
//   none            (default) publish writes the local archive directly
//   local DIR       dput's local method into DIR, then process-incoming into Archive
//   ppa:OWNER/NAME  dput to that Launchpad PPA (a generated dput.cf)
//   dput TARGET     dput to TARGET of the user's own dput.cf
struct UploadTarget {
  enum class Kind { kNone, kLocal, kPpa, kDput } kind = Kind::kNone;
  std::string dir;            // kLocal: the incoming directory (absolute)
  std::string owner, ppa;     // kPpa
  std::string host;           // kDput: a section of the user's dput.cf
  std::size_t line = 0;       // the Upload field's line
};

struct SourceEntry {
  std::string name;
  std::size_t line = 0;       // where the paragraph starts
  std::string raw;            // the paragraph's exact bytes (an input of every step)
  std::string version;        // Version: what we ship (track)
  std::vector<tracker::WatchLine> watch;
  Packaging packaging;
  std::string patches;        // absolute; "" when the source carries no patches
  bool binaries = true;       // Build: binaries (default) or source
  std::vector<std::string> targets;  // Targets: series names; default every series
};

struct SeriesEntry {
  std::string name;                     // bookworm
  std::size_t line = 0;
  std::string raw;
  std::string backport;                 // Version-Rule: backport 12 -> ~12.N; "" with ppa
  bool ppa = false;                     // Version-Rule: ppa -> ~ppaN below the next upload
  std::vector<std::string> old_release; // Packages indices of the old release (upgrade check)
  std::vector<std::string> ha_stack;    // installed on the old node
  std::vector<std::string> expect_installed;  // after the upgrade
  std::string chroot_mirror;            // "" = apt's configuration
  std::vector<std::string> next_release;  // Next-Release: the next release's Packages indices ("" = not checked)
};

struct Manifest {
  std::string path;      // the file read
  std::string base;      // directory relative input paths start from
  std::string name;
  std::string archive;   // the local archive (absolute)
  bool archive_given = false;  // Archive: set (else it lives in the state directory, --state included)
  std::string signing_key;  // armored secret key file, or "generate" (a key made once in the state dir)
  std::vector<std::string> work_items;
  std::string state;     // default state directory (absolute)
  std::string maintainer;  // changelog trailer
  UploadTarget upload;
  std::vector<SeriesEntry> series;
  std::vector<SourceEntry> sources;  // pipeline packages only (with Packaging), manifest order
  std::string global_raw;

  const SourceEntry* find(const std::string& source) const;
  // A Targets name: InputError naming the manifest when it has no such Series.
  const SeriesEntry& series_named(const std::string& name) const;
};

// Reads and validates the whole manifest. Relative paths resolve against
// Base (a Pipeline field, itself relative to the manifest's directory).
Manifest read_manifest(const std::string& path);

}  // namespace hapkg::pipeline
