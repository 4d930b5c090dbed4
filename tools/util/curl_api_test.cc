// curl_api: the installed libcurl (either Debian flavour) loaded and every
// function resolved; a missing library or one that is not libcurl named in
// the error. The downloads themselves: http_test.cc (loopback server).
#include "util/curl_api.h"

#include <gtest/gtest.h>

#include <string>

namespace hapkg {
namespace {

TEST(CurlApi, LoadsTheInstalledLibcurlAndResolvesEveryFunction) {
  const CurlApi* api = curl_api();
  ASSERT_NE(api, nullptr) << curl_api_error();
  EXPECT_TRUE(api->soname == "libcurl-gnutls.so.4" || api->soname == "libcurl.so.4") << api->soname;
  EXPECT_EQ(curl_api(), api) << "loaded once";
  EXPECT_STREQ(api->easy_strerror(CURLE_COULDNT_CONNECT), "Couldn't connect to server");
  CURL* c = api->easy_init();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(api->easy_setopt(c, CURLOPT_URL, "http://127.0.0.1/"), CURLE_OK);
  curl_slist* l = api->slist_append(nullptr, "X-A: b");
  ASSERT_NE(l, nullptr);
  EXPECT_STREQ(l->data, "X-A: b");
  api->slist_free_all(l);
  api->easy_cleanup(c);
}

TEST(CurlApi, AMissingLibraryIsNamedWithTheLoadersReason) {
  CurlApi api{};
  std::string error;
  EXPECT_FALSE(load_curl_api({"libhapkg-none.so.0", "libhapkg-none.so.1"}, api, error));
  EXPECT_EQ(error, "cannot load libcurl (libhapkg-none.so.0: cannot open shared object file: No such file or "
                   "directory; libhapkg-none.so.1: cannot open shared object file: No such file or directory)");
}

TEST(CurlApi, ALibraryThatIsNotLibcurlIsRefused) {
  CurlApi api{};
  std::string error;
  EXPECT_FALSE(load_curl_api({"libz.so.1"}, api, error));
  EXPECT_EQ(error, "libz.so.1 lacks curl_easy_init, curl_easy_setopt, curl_easy_perform, curl_easy_getinfo, "
                   "curl_easy_cleanup, curl_easy_strerror, curl_slist_append, curl_slist_free_all, curl_global_init");
}

TEST(CurlApi, TheFallbackFlavourIsTriedWhenTheFirstIsMissing) {
  CurlApi api{};
  std::string error;
  ASSERT_TRUE(load_curl_api({"libhapkg-none.so.0", "libcurl.so.4"}, api, error)) << error;
  EXPECT_EQ(api.soname, "libcurl.so.4");
  EXPECT_NE(api.easy_perform, nullptr);
}

}  // namespace
}  // namespace hapkg
