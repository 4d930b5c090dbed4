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

namespace {
ProcessResult gpg_in(const std::string& home, std::vector<std::string> args) {
  args.insert(args.begin(), {"gpg", "--batch", "--no-tty", "--homedir", home});
  return run_gpg(args);
}
}  // namespace

void generate_key(const std::string& home, const std::string& uid) {
  ProcessResult r = gpg_in(home, {"--passphrase", "", "--quick-generate-key", uid, "ed25519", "sign", "never"});
  if (r.exit_status != 0) throw OperationError("gpg: cannot generate a key in " + home + ": " + verdict(r.err));
}

void import_key_into(const std::string& home, const std::string& key_file) {
  ProcessResult r = gpg_in(home, {"--import", key_file});
  if (r.exit_status != 0) throw OperationError("gpg: cannot import " + key_file + ": " + verdict(r.err));
}

std::string secret_fingerprint(const std::string& home) {
  ProcessResult r = gpg_in(home, {"--with-colons", "--list-secret-keys"});
  // --with-colons: a "sec:" record, then its "fpr:" record with the
  // fingerprint in field 10.
  bool in_sec = false;
  std::string_view rest(r.out);
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    if (line.rfind("sec:", 0) == 0) in_sec = true;
    if (in_sec && line.rfind("fpr:", 0) == 0) {
      std::string_view f = line;
      for (int i = 0; i < 9 && !f.empty(); ++i) f.remove_prefix(std::min(f.size(), f.find(':') + 1));
      return std::string(f.substr(0, f.find(':')));
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return "";
}

std::string export_public_key(const std::string& home, const std::string& fingerprint) {
  ProcessResult r = gpg_in(home, {"--export", fingerprint});
  if (r.exit_status != 0 || r.out.empty())
    throw OperationError("gpg --export " + fingerprint + ": " + (r.out.empty() && r.exit_status == 0 ? "no such key" : verdict(r.err)));
  return r.out;
}

void stop_agent(const std::string& home) { run_process({"gpgconf", "--homedir", home, "--kill", "gpg-agent"}); }

std::string enarmor(const std::string& file) {
  ProcessResult a = run_gpg({"gpg", "--no-options", "--batch", "--homedir", "/nonexistent", "--output", "-", "--enarmor", file});
  if (a.exit_status != 0) throw OperationError("gpg --enarmor " + file + ": " + verdict(a.err));
  return a.out;
}

}  // namespace hapkg::gpg
