#include "util/gpg.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <vector>

#include "util/error.h"
#include "util/file.h"
#include "util/process.h"
#include "util/strings.h"

namespace hapkg::gpg {
namespace {

ProcessResult run_gpg(const std::vector<std::string>& argv, const std::string& input = "") {
  ProcessOptions o;
  o.input = input;
  ProcessResult r = run_process(argv, o);
  if (r.exit_status != 0) spdlog::debug("{} exited {}:\n{}", argv.front(), r.exit_status, r.err);
  return r;
}

std::vector<std::string> sign_argv(const std::string& key) {
  return {"gpg", "--batch", "--no-tty", "--yes", "--quiet", "--local-user", key, "--armor", "--digest-algo", "SHA256"};
}

}  // namespace

std::string verdict(const std::string& text) {
  std::string kept;
  std::string_view rest(text);
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    std::string_view body = trim_view(line.substr(line.find(':') == std::string_view::npos ? 0 : line.find(':') + 1));
    bool preamble = body.rfind("Signature made", 0) == 0 || body.rfind("using ", 0) == 0 || body.rfind("issuer ", 0) == 0;
    if (!preamble) kept.append(line).append("\n");
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  std::string v = first_line(kept);
  return v.empty() ? first_line(text) : v;
}

void sign_file(const std::string& input, const std::string& output, const std::string& key, SignMode mode) {
  auto argv = sign_argv(key);
  argv.insert(argv.end(), {mode == SignMode::kClearsign ? "--clearsign" : "--detach-sign", "--output", output, input});
  ::unlink(output.c_str());
  ProcessResult r = run_gpg(argv);
  if (r.exit_status != 0) {
    ::unlink(output.c_str());
    throw OperationError("gpg signing with key " + key + " failed: " + verdict(r.err));
  }
}

std::string clearsign_text(const std::string& text, const std::string& key) {
  auto argv = sign_argv(key);
  argv.push_back("--clearsign");
  ProcessResult r = run_gpg(argv, text);
  if (r.exit_status != 0) throw OperationError("gpg signing with key " + key + " failed: " + verdict(r.err));
  return r.out;
}

std::string check_signature(const std::string& keyring, const std::string& data, const std::string& signature,
                            const std::string& output) {
  // gpgv's own home: it must not read or lock the user's ~/.gnupg
  TempDir home("hapkg-gpgv");
  std::vector<std::string> argv{"gpgv", "--homedir", home.path(), "--keyring", keyring};
  if (!output.empty()) {
    ::unlink(output.c_str());
    argv.insert(argv.end(), {"--output", output});
  }
  if (!signature.empty()) argv.push_back(signature);
  argv.push_back(data);
  ProcessResult r = run_gpg(argv);
  if (r.exit_status == 0) return "";
  if (!output.empty()) ::unlink(output.c_str());
  std::string v = verdict(r.err);
  return v.empty() ? "gpgv exited with status " + std::to_string(r.exit_status) : v;
}

Home::Home() : tmp_("hapkg-gpg") { write_file_atomic(dir() + "/gpg.conf", "no-autostart\n"); }

void Home::import_key(const std::string& key_file) {
  ProcessResult r = run_gpg({"gpg", "--batch", "--homedir", dir(), "--import", key_file});
  if (r.exit_status != 0) throw InputError(key_file, 0, "cannot import the key: " + verdict(r.err));
}

std::string Home::keyring_of(const std::string& key_file) {
  std::string keyring = dir() + "/keyring.gpg";
  ::unlink(keyring.c_str());
  ProcessResult r = run_gpg({"gpg", "--batch", "--homedir", dir(), "--dearmor", "--output", keyring, key_file});
  if (r.exit_status != 0) throw InputError(key_file, 0, "cannot read the key: " + verdict(r.err));
  return keyring;
}

}  // namespace hapkg::gpg
