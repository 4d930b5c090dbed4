// A thin driver over hapkg_build for the integration scripts (the pipeline
// is the real caller; this only turns argv into the library's requests).
//   build_driver chroot SERIES CACHE_DIR            -> "tarball\tkey"
//   build_driver build DSC TARBALL SERIES OUT LOG [--source LINE]... [--key FILE]... [--full]
//   build_driver lintian FILE...                    -> tag lines
//   build_driver dsc-from-stanza SOURCES PACKAGE VERSION OUT.dsc
#include <cstring>
#include <iostream>

#include "build/binary_build.h"
#include "build/dsc_from_stanza.h"
#include "deb/deb822.h"
#include "util/file.h"
#include "util/error.h"

namespace {

int build(int argc, char** argv) {
  if (argc < 7) throw hapkg::InputError("usage: build DSC TARBALL SERIES OUT LOG [--source L] [--key K] [--full]");
  hapkg::build::BinaryBuildRequest req;
  req.dsc = argv[2];
  req.chroot.tarball = argv[3];
  req.series = argv[4];
  req.out_dir = argv[5];
  req.log_path = argv[6];
  for (int i = 7; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--full") req.source_and_binary_in_changes = true;
    else if ((a == "--source" || a == "--key") && i + 1 < argc) (a == "--source" ? req.extra_sources : req.extra_keys).push_back(argv[++i]);
    else throw hapkg::InputError("unknown argument " + a);
  }
  auto r = hapkg::build::build_binaries(req);
  for (const auto& d : r.debs) std::cout << "deb\t" << d << "\n";
  std::cout << "changes\t" << r.changes << "\nbuildinfo\t" << r.buildinfo << "\nlog\t" << r.log_path << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  std::string cmd = argc > 1 ? argv[1] : "";
  if (cmd == "chroot" && argc == 4) {
    auto c = hapkg::build::ensure_chroot({argv[2], "", argv[3]});
    std::cout << c.tarball << "\t" << c.key << "\n";
    return 0;
  }
  if (cmd == "build") return build(argc, argv);
  if (cmd == "dsc-from-stanza" && argc == 6) {
    for (const auto& p : hapkg::deb::read_deb822(argv[2], hapkg::deb::Deb822Kind::kSources).paragraphs)
      if (p.get("Package") == argv[3] && p.get("Version") == argv[4]) {
        hapkg::write_file_atomic(argv[5], hapkg::build::dsc_from_sources_stanza(p, argv[2]));
        return 0;
      }
    throw hapkg::InputError(std::string(argv[2]) + ": no stanza for " + argv[3] + " " + argv[4]);
  }
  if (cmd == "lintian") {
    for (const auto& t : hapkg::build::run_lintian({argv + 2, argv + argc})) std::cout << t << "\n";
    return 0;
  }
  std::cerr << "usage: build_driver chroot|build|lintian ...\n";
  return 2;
} catch (const hapkg::Error& e) {
  std::cerr << "build_driver: " << e.what() << "\n";
  return static_cast<int>(e.code());
}
