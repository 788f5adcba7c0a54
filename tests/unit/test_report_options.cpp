// %%pyvorin option parsing: every option, the error messages (naming the culprit and listing the
// valid choices), --show semantics over defaults, and the JSON / option-line round trips.
#include <gtest/gtest.h>

#include "pyvorin/magics/options.h"

using namespace pyvorin::magics;

namespace {

CellOptions parse_ok(const std::string &line, const CellOptions &defaults = {}) {
  OptionsResult result = parse_options(line, defaults);
  EXPECT_TRUE(result.options.has_value()) << line << ": " << result.error;
  EXPECT_TRUE(result.error.empty());
  return result.options.value_or(CellOptions{});
}

std::string parse_error(const std::string &line) {
  OptionsResult result = parse_options(line);
  EXPECT_FALSE(result.options.has_value()) << line;
  return result.error;
}

bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST(ReportOptions, DefaultsWhenEmpty) {
  CellOptions o = parse_ok("");
  EXPECT_FALSE(o.strict);
  EXPECT_FALSE(o.fast);
  EXPECT_EQ(o.opt_level, 2);
  EXPECT_TRUE(o.show.empty());
  EXPECT_EQ(o.asm_syntax, "att");
  EXPECT_TRUE(o.compare);
  EXPECT_TRUE(o.cache);
  EXPECT_FALSE(o.quiet);
  EXPECT_FALSE(o.help);
}

TEST(ReportOptions, EveryFlag) {
  CellOptions o = parse_ok("--strict --fast --no-compare --no-cache --quiet --help");
  EXPECT_TRUE(o.strict);
  EXPECT_TRUE(o.fast);
  EXPECT_FALSE(o.compare);
  EXPECT_FALSE(o.cache);
  EXPECT_TRUE(o.quiet);
  EXPECT_TRUE(o.help);
  EXPECT_TRUE(parse_ok("-h").help);
}

TEST(ReportOptions, OptimisationLevels) {
  for (int level = 0; level <= 3; ++level)
    EXPECT_EQ(parse_ok("-O" + std::to_string(level)).opt_level, level);
  EXPECT_EQ(parse_ok("-O0 -O3").opt_level, 3);  // the last one wins
  std::string error = parse_error("-O5");
  EXPECT_TRUE(contains(error, "'-O5'")) << error;
  EXPECT_TRUE(contains(error, "-O0, -O1, -O2, -O3")) << error;
  EXPECT_TRUE(contains(parse_error("-Ofast"), "'-Ofast'"));
}

TEST(ReportOptions, ShowSections) {
  CellOptions o = parse_ok("--show=ast,types,opt-ir");
  EXPECT_EQ(o.show, (std::set<std::string>{"ast", "types", "opt-ir"}));
  o = parse_ok("--show ir --show=asm");  // space-separated value; later --show adds
  EXPECT_EQ(o.show, (std::set<std::string>{"ir", "asm"}));
  o = parse_ok("--show=all");
  EXPECT_EQ(o.show.size(), section_names().size());
  EXPECT_TRUE(parse_ok("--show=all,none").show.empty());
  EXPECT_EQ(parse_ok("--show=opt_ir").show, (std::set<std::string>{"opt-ir"}));
}

TEST(ReportOptions, FirstShowReplacesDefaults) {
  CellOptions defaults;
  defaults.show = {"timing"};
  defaults.opt_level = 3;
  CellOptions o = parse_ok("--show=ir", defaults);
  EXPECT_EQ(o.show, (std::set<std::string>{"ir"}));
  EXPECT_EQ(o.opt_level, 3);
  EXPECT_EQ(parse_ok("--strict", defaults).show, defaults.show);
}

TEST(ReportOptions, BadShowValueNamesItAndListsSections) {
  std::string error = parse_error("--show=ir,bogus");
  EXPECT_TRUE(contains(error, "'bogus'")) << error;
  EXPECT_TRUE(contains(error, "--show")) << error;
  for (const auto &name : section_names()) EXPECT_TRUE(contains(error, name)) << error;
  EXPECT_TRUE(contains(parse_error("--show=assm"), "did you mean 'asm'")) << parse_error("--show=assm");
  EXPECT_TRUE(contains(parse_error("--show"), "needs a value"));
}

TEST(ReportOptions, AsmSyntax) {
  EXPECT_EQ(parse_ok("--asm-syntax=intel").asm_syntax, "intel");
  EXPECT_EQ(parse_ok("--asm-syntax att").asm_syntax, "att");
  std::string error = parse_error("--asm-syntax=masm");
  EXPECT_TRUE(contains(error, "'masm'")) << error;
  EXPECT_TRUE(contains(error, "att, intel")) << error;
}

TEST(ReportOptions, UnknownOptionNamesItAndListsValidOnes) {
  std::string error = parse_error("--strict --fats");
  EXPECT_TRUE(contains(error, "unknown option '--fats'")) << error;
  EXPECT_TRUE(contains(error, "did you mean '--fast'")) << error;
  for (const char *option : {"--strict", "--fast", "-O0", "-O3", "--show=", "--asm-syntax=",
                             "--no-compare", "--no-cache", "--quiet", "--help"})
    EXPECT_TRUE(contains(error, option)) << option << " missing from: " << error;
  EXPECT_TRUE(contains(parse_error("--zzzzzzzz"), "unknown option '--zzzzzzzz'"));
}

TEST(ReportOptions, PositionalAndValuedFlagsAreErrors) {
  EXPECT_TRUE(contains(parse_error("benchmark"), "unexpected argument 'benchmark'"));
  EXPECT_TRUE(contains(parse_error("--strict=yes"), "takes no value"));
}

TEST(ReportOptions, SplitHonoursQuotes) {
  EXPECT_EQ(split_option_line("  -O3   --show='ir,asm'\t--fast "),
            (std::vector<std::string>{"-O3", "--show=ir,asm", "--fast"}));
  EXPECT_EQ(split_option_line("--show \"ir\""), (std::vector<std::string>{"--show", "ir"}));
  EXPECT_TRUE(split_option_line("   ").empty());
}

TEST(ReportOptions, JsonRoundTrip) {
  CellOptions o = parse_ok("--strict -O1 --show=ir,timing --asm-syntax=intel --no-cache");
  nlohmann::json j = options_to_json(o);
  EXPECT_EQ(j["opt_level"], 1);
  EXPECT_EQ(j["show"], nlohmann::json({"ir", "timing"}));  // section order, not typing order
  EXPECT_EQ(j["asm_syntax"], "intel");
  EXPECT_EQ(j["cache"], false);
  EXPECT_FALSE(j.contains("help"));
  OptionsResult back = options_from_json(j);
  ASSERT_TRUE(back.options.has_value()) << back.error;
  EXPECT_EQ(options_to_json(*back.options), j);
}

TEST(ReportOptions, JsonRejectsWrongTypes) {
  EXPECT_FALSE(options_from_json({{"opt_level", 7}}).options.has_value());
  EXPECT_FALSE(options_from_json({{"strict", "yes"}}).options.has_value());
  EXPECT_FALSE(options_from_json({{"show", {"nonsense"}}}).options.has_value());
  EXPECT_FALSE(options_from_json(nlohmann::json::array()).options.has_value());
  EXPECT_TRUE(options_from_json({{"unknown_key", 1}}).options.has_value());
}

TEST(ReportOptions, OptionsLineReproducesOptions) {
  CellOptions o = parse_ok("--fast -O3 --show=asm,ir --no-compare");
  std::string line = options_to_line(o);
  EXPECT_EQ(line, "--fast -O3 --show=ir,asm --no-compare");
  EXPECT_EQ(options_to_json(parse_ok(line)), options_to_json(o));
  EXPECT_EQ(options_to_line(parse_ok("--show=all")), "-O2 --show=all");
}

TEST(ReportOptions, UsageListsEveryOption) {
  std::string text = usage();
  for (const char *option : {"--strict", "--fast", "-O0", "--show=", "--asm-syntax", "--no-compare",
                             "--no-cache", "--quiet", "--help", "%pyvorin_report", "%pyvorin_config"})
    EXPECT_TRUE(contains(text, option)) << option;
}
