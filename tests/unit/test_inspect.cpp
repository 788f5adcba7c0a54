// The inspection helpers behind --show=passes and --show=cfg: the line diff, the pass-by-pass
// capture of the optimisation pipeline, and the control-flow graphs.
#include <gtest/gtest.h>

#include "pyvorin/compiler.h"
#include "text_diff.h"

using namespace pyvorin;

namespace {

TEST(TextDiff, IdenticalTextsHaveNoHunks) {
  LineDiff d = diff_lines("a\nb\nc\n", "a\nb\nc\n");
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.added, 0);
  EXPECT_EQ(d.removed, 0);
}

TEST(TextDiff, ReplacedLineIsRemovedThenAdded) {
  LineDiff d = diff_lines("1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\nfive\n6\n7\n8\n", 1);
  EXPECT_EQ(d.text, "@@ -4,3 +4,3 @@\n 4\n-5\n+five\n 6\n");
  EXPECT_EQ(d.added, 1);
  EXPECT_EQ(d.removed, 1);
}

TEST(TextDiff, DistantChangesMakeTwoHunksWithTheirLineNumbers) {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    if (i == 3) b += "inserted\n";
    if (i != 15) b += std::to_string(i) + "\n";
  }
  LineDiff d = diff_lines(a, b, 1);
  EXPECT_EQ(d.text, "@@ -2,2 +2,3 @@\n 2\n+inserted\n 3\n@@ -14,3 +15,2 @@\n 14\n-15\n 16\n");
  EXPECT_EQ(d.added, 1);
  EXPECT_EQ(d.removed, 1);
}

TEST(TextDiff, EmptyBeforeIsAllAdded) {
  LineDiff d = diff_lines("", "x\ny\n", 3);
  EXPECT_EQ(d.text, "@@ -0,0 +1,2 @@\n+x\n+y\n");
  EXPECT_EQ(d.added, 2);
}

const char *kModule = R"(
define i64 @f(i64 %x) {
entry:
  %a = alloca i64
  store i64 %x, ptr %a
  %v = load i64, ptr %a
  %c = icmp sgt i64 %v, 0
  br i1 %c, label %pos, label %neg
pos:
  %d = mul i64 %v, 2
  ret i64 %d
neg:
  ret i64 0
}
)";

TEST(PassSteps, RecordsOnlyPassesThatChangedAFunction) {
  nlohmann::json r = pass_steps(kModule, 2);
  ASSERT_FALSE(r.contains("error")) << r.dump();
  ASSERT_EQ(r["initial"].size(), 1u);
  EXPECT_EQ(r["initial"][0]["function"], "f");
  ASSERT_FALSE(r["steps"].empty());
  bool sroa = false;
  std::string previous = r["initial"][0]["ir"];
  for (auto &st : r["steps"]) {
    EXPECT_EQ(st["function"], "f");
    EXPECT_NE(st["ir"].get<std::string>(), previous) << st["pass"];  // unchanged passes are left out
    EXPECT_GT(st["added"].get<int>() + st["removed"].get<int>(), 0);
    previous = st["ir"];
    sroa = sroa || st["pass"] == "SROAPass";
  }
  EXPECT_TRUE(sroa);  // the alloca goes in SROA (mem2reg)
  EXPECT_EQ(previous.find("alloca"), std::string::npos);
  EXPECT_GT(r["functions"]["f"]["runs"].get<int>(), 10);
}

TEST(PassSteps, BadIrIsAnError) {
  nlohmann::json r = pass_steps("define i64 @f( {", 2);
  EXPECT_TRUE(r.contains("error"));
}

TEST(CfgGraphs, BlocksEdgesAndBranchLabels) {
  nlohmann::json g = cfg_graphs(kModule);
  ASSERT_TRUE(g.is_array()) << g.dump();
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0]["function"], "f");
  ASSERT_EQ(g[0]["blocks"].size(), 3u);
  EXPECT_EQ(g[0]["blocks"][0]["name"], "entry");
  EXPECT_EQ(g[0]["blocks"][0]["terminator"], "br");
  ASSERT_EQ(g[0]["edges"].size(), 2u);
  EXPECT_EQ(g[0]["edges"][0]["label"], "T");
  EXPECT_EQ(g[0]["edges"][0]["to"], 1);
  EXPECT_EQ(g[0]["edges"][1]["label"], "F");
  EXPECT_EQ(g[0]["edges"][1]["to"], 2);
}

}  // namespace
