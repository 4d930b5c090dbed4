#include "util/xml_escape.h"

#include <gtest/gtest.h>

namespace hapkg {

TEST(XmlEscape, EscapesMarkupAndQuotesOnly) {
  EXPECT_EQ(xml_escape("a<b>&\"c\" 'd'"), "a&lt;b&gt;&amp;&quot;c&quot; 'd'");
  EXPECT_EQ(xml_escape("&amp;"), "&amp;amp;");  // never treats input as already escaped
  EXPECT_EQ(xml_escape(""), "");
  EXPECT_EQ(xml_escape("Stück: ok"), "Stück: ok");
}

}  // namespace hapkg
