// The disk cache's key and entries (compiler/src/disk_cache.cpp, docs/cache.md): what the key
// covers and what it leaves out, the entry file name, stores and loads, and the checks that keep
// a damaged entry from being loaded.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "pyvorin/compiler.h"
#include "pyvorin/disk_cache.h"

namespace {

using pyvorin::Binding;
using pyvorin::CompileRequest;
using pyvorin::DiskCache;

CompileRequest request() {
  CompileRequest r;
  pyvorin::UnitFunction f;
  f.source = {"f", "def f(n):\n    return n * SCALE\n", "/tmp/xpython_123/456.py", 3};
  f.source.globals_address = 0x1234;
  Binding scale;
  scale.kind = Binding::Kind::Constant;
  scale.value_type = pyvorin::TypeTag::Int;
  scale.int_value = 2;
  f.globals["SCALE"] = scale;
  r.functions.push_back(f);
  r.arg_types = {pyvorin::TypeTag::Int};
  r.environment = "python 3.11";
  return r;
}

const DiskCache::Target kTarget{"x86_64-pc-linux-gnu", "znver4", "+avx2,+avx512f,+fma"};

std::string key(const CompileRequest &r, const DiskCache::Target &t = kTarget) { return DiskCache::key_of(r, nullptr, &t); }

// Metadata in the form the loader reads (disk_cache.cpp's well_formed).
nlohmann::json meta_for(int i) {
  return {{"function", "f"},
          {"i", i},
          {"entry", {{"symbol", "pv_entry_f"}, {"args", {2}}, {"ret", 2}, {"release_gil", false}, {"pure", true},
                     {"long_running", false}, {"numpy_scalars", false}, {"frame_bytes", 64}}},
          {"report", {{"status", "compiled"}, {"signatures", {{{"args", {"int"}}, {"return", "int"}}}}, {"ir", "..."}}}};
}

TEST(DiskCacheKey, StableAndHex) {
  std::string k = key(request());
  EXPECT_EQ(k.size(), 64u);
  EXPECT_EQ(k.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(k, key(request()));
  EXPECT_EQ(DiskCache::stem_of(k, &kTarget), k + "_linux-x86_64_znver4");
}

TEST(DiskCacheKey, TheTargetMachineIsInIt) {
  std::string k = key(request());
  DiskCache::Target no_avx512 = kTarget;
  no_avx512.features = "+avx2,+fma";  // a machine without AVX-512: another object
  EXPECT_NE(k, key(request(), no_avx512));
  DiskCache::Target other_cpu = kTarget;
  other_cpu.cpu = "skylake-avx512";
  EXPECT_NE(k, key(request(), other_cpu));
  DiskCache::Target arm = kTarget;
  arm.triple = "aarch64-unknown-linux-gnu";
  EXPECT_NE(k, key(request(), arm));
}

TEST(DiskCacheKey, WhatChangesTheCodeChangesTheKey) {
  const std::string k = key(request());
  CompileRequest r = request();
  r.functions[0].source.source = "def f(n):\n    return n * SCALE + 1\n";
  EXPECT_NE(k, key(r));
  r = request();
  r.functions[0].globals["SCALE"].int_value = 3;  // a global's value compiled in
  EXPECT_NE(k, key(r));
  r = request();
  r.functions[0].source.first_line = 4;  // the lines tracebacks name
  EXPECT_NE(k, key(r));
  r = request();
  r.arg_types = {pyvorin::TypeTag::Float};
  EXPECT_NE(k, key(r));
  r = request();
  r.options.opt_level = 3;
  EXPECT_NE(k, key(r));
  r = request();
  r.options.fast = true;
  EXPECT_NE(k, key(r));
  r = request();
  r.environment = "python 3.12";
  EXPECT_NE(k, key(r));
  r = request();  // a callee edited in another file
  pyvorin::UnitFunction g;
  g.source = {"g", "def g(n):\n    return n\n", "/work/other.py", 1};
  r.functions.push_back(g);
  std::string with_g = key(r);
  EXPECT_NE(k, with_g);
  r.functions[1].source.source = "def g(n):\n    return n + 1\n";
  EXPECT_NE(with_g, key(r));
}

TEST(DiskCacheKey, WhatTheLoaderBindsIsNotInIt) {
  const std::string k = key(request());
  CompileRequest r = request();
  r.functions[0].source.filename = "/tmp/xpython_999/456.py";  // another kernel's temporary directory
  r.functions[0].source.globals_address = 0x9999;
  EXPECT_EQ(k, key(r));
  r.functions[0].source.source = "def f(n):\r\n    return n * SCALE\r\n";  // line endings, as CPython reads them
  EXPECT_EQ(k, key(r));
  r.functions[0].source.source = "def f(n):  \n    return n * SCALE\n";  // (blanks may be inside a string literal)
  EXPECT_NE(k, key(r));
  r.functions[0].source.source = "def f(n):\n    return n * SCALE\n";
  r.options.strict = true;  // (strict mode changes what the Python layer does, not the code)
  EXPECT_EQ(k, key(r));
}

TEST(DiskCacheSize, Parses) {
  EXPECT_EQ(DiskCache::parse_size("512M"), 512ull << 20);
  EXPECT_EQ(DiskCache::parse_size("1G"), 1ull << 30);
  EXPECT_EQ(DiskCache::parse_size("64KiB"), 64ull << 10);
  EXPECT_EQ(DiskCache::parse_size("1048576"), 1048576ull);
  EXPECT_FALSE(DiskCache::parse_size("lots"));
  EXPECT_FALSE(DiskCache::parse_size("12X"));
  EXPECT_FALSE(DiskCache::parse_size(""));
  EXPECT_FALSE(DiskCache::parse_size("99999999999999999999G"));
}

class DiskCacheFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char templ[] = "/tmp/pyvorin-unit-cache-XXXXXX";
    ASSERT_NE(::mkdtemp(templ), nullptr);
    dir = std::string(templ) + "/cache";
  }
  void TearDown() override { std::system(("rm -rf '" + dir.substr(0, dir.rfind('/')) + "'").c_str()); }
  std::string dir;
};

std::string read(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const std::string &path, const std::string &data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

TEST_F(DiskCacheFiles, StoreThenLoadAndEveryDamageIsCaught) {
  DiskCache cache(dir);
  std::vector<std::string> warnings;
  const std::string k = key(request());
  EXPECT_FALSE(cache.load(k, warnings));  // a plain miss: no warning
  EXPECT_TRUE(warnings.empty());
  nlohmann::json meta = meta_for(0);
  ASSERT_TRUE(cache.store(k, std::string("\x7f" "ELF object bytes", 17), meta, warnings));
  struct stat st;
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat((dir + "/secret.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto hit = cache.load(k, warnings);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->object, std::string("\x7f" "ELF object bytes", 17));
  EXPECT_EQ(hit->meta["function"], "f");
  EXPECT_TRUE(warnings.empty());

  const std::string stem = dir + "/" + DiskCache::stem_of(k);
  const std::string object = read(stem + ".o"), metadata = read(stem + ".json");
  auto damaged = [&](const std::string &o, const std::string &m) {
    write(stem + ".o", o);
    write(stem + ".json", m);
    std::vector<std::string> w;
    bool loaded = cache.load(k, w).has_value();
    EXPECT_EQ(w.size(), 1u);
    if (!w.empty()) EXPECT_NE(w[0].find("ignored and will be rebuilt"), std::string::npos) << w[0];
    return loaded;
  };
  std::string flipped = object;
  flipped[5] ^= 1;
  EXPECT_FALSE(damaged(flipped, metadata));
  EXPECT_FALSE(damaged(object.substr(0, 4), metadata));
  std::string meta_flipped = metadata;
  meta_flipped[meta_flipped.size() / 2] ^= 1;
  EXPECT_FALSE(damaged(object, meta_flipped));
  EXPECT_FALSE(damaged(object, metadata.substr(0, metadata.size() - 3)));
  EXPECT_FALSE(damaged(object, "{}"));
  // signed with this user's key, yet not in the form the loader reads: ignored too
  nlohmann::json bad = meta_for(0);
  bad["entry"]["ret"] = 7.5;
  ASSERT_TRUE(cache.store(k, object, bad, warnings));
  std::vector<std::string> w1;
  EXPECT_FALSE(cache.load(k, w1));
  ASSERT_EQ(w1.size(), 1u);
  EXPECT_NE(w1[0].find("not in the form"), std::string::npos) << w1[0];
  // the same entry signed with another user's key
  DiskCache other(dir + "-other");
  ASSERT_TRUE(other.store(k, object, meta, warnings));
  EXPECT_FALSE(damaged(object, read(dir + "-other/" + DiskCache::stem_of(k) + ".json")));
  std::system(("rm -rf '" + dir + "-other'").c_str());
  // every damaged entry was removed: the next look is a plain miss
  std::vector<std::string> w;
  EXPECT_FALSE(cache.load(k, w));
  EXPECT_TRUE(w.empty());
}

TEST_F(DiskCacheFiles, EvictsTheLeastRecentlyUsed) {
  std::vector<std::string> warnings;
  DiskCache cache(dir, 1);  // (set below, once an entry's size is known)
  std::string blob(20000, 'x');
  std::vector<std::string> keys;
  for (int i = 0; i < 5; ++i) {
    CompileRequest r = request();
    r.functions[0].globals["SCALE"].int_value = i;
    keys.push_back(key(r));
  }
  cache.set_limit(3 * 20000 + 3 * 3000);  // three entries and their metadata
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(cache.store(keys[size_t(i)], blob, meta_for(i), warnings));
  ::usleep(20000);
  ASSERT_TRUE(cache.load(keys[0], warnings));  // 0 is now the most recently used
  ::usleep(20000);
  ASSERT_TRUE(cache.store(keys[3], blob, meta_for(3), warnings));
  ASSERT_TRUE(cache.store(keys[4], blob, meta_for(4), warnings));
  EXPECT_TRUE(cache.load(keys[0], warnings));
  EXPECT_FALSE(cache.load(keys[1], warnings));
  EXPECT_FALSE(cache.load(keys[2], warnings));
  EXPECT_TRUE(cache.load(keys[4], warnings));
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(cache.info()["entries"], 3);
  EXPECT_EQ(cache.clear(), 3u);
  EXPECT_EQ(cache.info()["entries"], 0);
}

}  // namespace
