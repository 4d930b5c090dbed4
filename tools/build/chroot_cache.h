// The pure half of ensure_chroot: what identifies a chroot tarball.
#pragma once

#include <string>
#include <vector>

namespace hapkg::build {

// Everything that decides a tarball's content, one "name=value" a line:
// series, mirror, variant, architecture and the mmdebstrap version. A
// different line is a different tarball.
// `variant`/`include`: see ChrootSpec; an include list adds one
// "include=a,b" line (absent for the buildd chroots, whose keys stay put).
std::string chroot_inputs(const std::string& series, const std::string& mirror, const std::string& arch,
                          const std::string& mmdebstrap_version, const std::string& variant = "buildd",
                          const std::vector<std::string>& include = {});
// "<series>-<label>-<16 hex of sha256(inputs)>.tar.zst"
std::string chroot_tarball_name(const std::string& series, const std::string& inputs,
                                const std::string& label = "buildd");
// sha256(inputs + tarball sha256): the Chroot::key the pipeline hashes.
std::string chroot_key(const std::string& inputs, const std::string& tarball_sha256);
// A series name apt and mmdebstrap accept (lower-case codename): InputError otherwise.
void check_series(const std::string& series);

}  // namespace hapkg::build
