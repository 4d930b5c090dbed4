#include "build/chroot_cache.h"

#include <gtest/gtest.h>

#include "build/binary_build.h"
#include "util/error.h"

namespace hapkg::build {
namespace {

TEST(ChrootCache, EveryInputChangesTheName) {
  auto base = chroot_inputs("bookworm", "http://deb.debian.org/debian", "amd64", "mmdebstrap 1.3.5");
  auto name = chroot_tarball_name("bookworm", base);
  EXPECT_EQ(name.rfind("bookworm-buildd-", 0), 0u);
  EXPECT_EQ(name.size(), std::string("bookworm-buildd-").size() + 16 + std::string(".tar.zst").size());
  EXPECT_EQ(name, chroot_tarball_name("bookworm", base));
  for (const auto& other : {chroot_inputs("trixie", "http://deb.debian.org/debian", "amd64", "mmdebstrap 1.3.5"),
                            chroot_inputs("bookworm", "http://other/debian", "amd64", "mmdebstrap 1.3.5"),
                            chroot_inputs("bookworm", "http://deb.debian.org/debian", "arm64", "mmdebstrap 1.3.5"),
                            chroot_inputs("bookworm", "http://deb.debian.org/debian", "amd64", "mmdebstrap 1.4")})
    EXPECT_NE(chroot_tarball_name("bookworm", other), name);
}

// The buildd chroots' inputs must not change with the node variant's
// arrival: the pipeline hashes their key, a new text would rerun every build.
TEST(ChrootCache, BuilddInputsKeepTheirTextAndNodesGetTheirOwnName) {
  auto buildd = chroot_inputs("bookworm", "http://m/debian", "amd64", "1.3.5");
  EXPECT_EQ(buildd, "format=1\nseries=bookworm\nmirror=http://m/debian\nvariant=buildd\narch=amd64\nmmdebstrap=1.3.5\n");
  auto node = chroot_inputs("bookworm", "http://m/debian", "amd64", "1.3.5", "apt", {"pacemaker", "corosync"});
  EXPECT_NE(node.find("variant=apt\n"), std::string::npos);
  EXPECT_NE(node.find("include=pacemaker,corosync\n"), std::string::npos);
  EXPECT_NE(chroot_inputs("bookworm", "http://m/debian", "amd64", "1.3.5", "apt", {"pacemaker"}), node);
  EXPECT_EQ(chroot_tarball_name("bookworm", node, "node").rfind("bookworm-node-", 0), 0u);
}

TEST(ChrootCache, BadNodePackagesAndVariantsAreInputErrors) {
  ChrootSpec s{"bookworm", "http://m/debian", "/nonexistent-cache"};
  s.variant = "apt";
  s.include = {"pacemaker", "--help"};
  EXPECT_THROW(ensure_chroot(s), InputError);
  s.include = {"pacemaker"};
  s.variant = "x;y";
  EXPECT_THROW(ensure_chroot(s), InputError);
}

TEST(ChrootCache, KeyFollowsTheTarballContent) {
  auto in = chroot_inputs("bookworm", "http://m/debian", "amd64", "1.3.5");
  EXPECT_EQ(chroot_key(in, "aa"), chroot_key(in, "aa"));
  EXPECT_NE(chroot_key(in, "aa"), chroot_key(in, "ab"));
  EXPECT_EQ(chroot_key(in, "aa").size(), 64u);
}

TEST(ChrootCache, BadSeriesAndMissingInputsAreInputErrors) {
  EXPECT_THROW(check_series("Bookworm"), InputError);
  EXPECT_THROW(check_series("../x"), InputError);
  EXPECT_THROW(check_series(""), InputError);
  EXPECT_NO_THROW(check_series("bookworm-backports"));
  EXPECT_THROW(ensure_chroot({"bookworm", "", ""}), InputError);
  EXPECT_THROW(ensure_chroot({"bookworm", "--help", "/tmp/x"}), InputError);
  BinaryBuildRequest req;
  req.series = "bookworm";
  req.dsc = "/nonexistent/x.dsc";
  EXPECT_THROW(build_binaries(req), InputError);
}

}  // namespace
}  // namespace hapkg::build
