#include "ocf/http.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
