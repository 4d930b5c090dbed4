#include "ocf/http.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>

#include "util/process.h"

namespace hapkg::ocf {
namespace {

TEST(Http, KeystoneV3Base) {
  EXPECT_EQ(keystone_v3_base("http://127.0.0.1:5000/v3"), "http://127.0.0.1:5000/v3");
  EXPECT_EQ(keystone_v3_base("http://127.0.0.1:5000/v3/"), "http://127.0.0.1:5000/v3");
  EXPECT_EQ(keystone_v3_base("http://127.0.0.1:5000/v2.0/tokens"), "http://127.0.0.1:5000/v3");
  EXPECT_EQ(keystone_v3_base("http://127.0.0.1:5000/v2.0"), "http://127.0.0.1:5000/v3");
  EXPECT_EQ(keystone_v3_base("http://ks:5000"), "http://ks:5000/v3");
}

TEST(Http, AuthBodyIsV3Password) {
  KeystoneCredentials c{"http://x/v3", "admin", "s3\"cret", "admin", "Default", "Other"};
  auto j = nlohmann::json::parse(keystone_auth_body(c));
  auto user = j["auth"]["identity"]["password"]["user"];
  EXPECT_EQ(user["name"], "admin");
  EXPECT_EQ(user["password"], "s3\"cret");
  EXPECT_EQ(user["domain"]["name"], "Default");
  EXPECT_EQ(j["auth"]["scope"]["project"]["domain"]["name"], "Other");
  c.project.clear();
  EXPECT_FALSE(nlohmann::json::parse(keystone_auth_body(c))["auth"].contains("scope"));
}

TEST(Http, TokenCacheIsKeyedByEveryCredential) {
  KeystoneCredentials c{"http://127.0.0.1:1/v3", "admin", "right", "admin", "Default", "Default"};
  // The oracle for the digest: coreutils sha256sum of the same text.
  ProcessOptions o;
  o.input = "salt1\nhttp://127.0.0.1:1/v3\nadmin\nright\nadmin\nDefault\nDefault";
  auto sum = run_process({"sha256sum"}, o);
  ASSERT_EQ(sum.exit_status, 0);
  std::string fp = credentials_fingerprint(c, "salt1");
  EXPECT_EQ(fp, "salt1:" + sum.out.substr(0, 64));
  char tmpl[] = "/tmp/token-cache-XXXXXX";
  std::string dir = ::mkdtemp(tmpl), cache = dir + "/t.token";
  std::ofstream(cache) << fp << "\n" << ::time(nullptr) + 3600 << "\ntok-1\n";
  auto same = keystone_token(c, cache, 1000);
  EXPECT_TRUE(same.reused);
  EXPECT_EQ(same.token, "tok-1");
  EXPECT_TRUE(keystone_token(c, cache, 1000, /*force_new=*/true).token.empty());  // 127.0.0.1:1 is down
  for (auto change : {&KeystoneCredentials::password, &KeystoneCredentials::username,
                      &KeystoneCredentials::project, &KeystoneCredentials::user_domain}) {
    KeystoneCredentials other = c;
    other.*change += "x";
    auto r = keystone_token(other, cache, 1000);
    EXPECT_FALSE(r.reused);
    EXPECT_TRUE(r.token.empty());
    EXPECT_NE(r.error.find("does not answer"), std::string::npos) << r.error;
  }
  std::remove(cache.c_str());
  ::rmdir(dir.c_str());
}

TEST(Http, HealthyCodes) {
  EXPECT_TRUE(http_ok(200));
  EXPECT_TRUE(http_ok(204));
  EXPECT_TRUE(http_ok(300));
  EXPECT_FALSE(http_ok(301));
  EXPECT_FALSE(http_ok(401));
  EXPECT_FALSE(http_ok(0));
}

TEST(Http, UnreachableIsATransportError) {
  auto r = http_request("GET", "http://127.0.0.1:1/", {}, "", 2000);
  EXPECT_EQ(r.code, 0);
  EXPECT_FALSE(r.error.empty());
}

}  // namespace
}  // namespace hapkg::ocf
