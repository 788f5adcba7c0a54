// A report JSON (version 1) shared by the rendering tests: a compiled function with every field,
// a fallback and a pending one, and a side-by-side comparison.
#pragma once

#include <nlohmann/json.hpp>

inline nlohmann::json sample_report(nlohmann::json show = nlohmann::json::array()) {
  using nlohmann::json;
  json compiled = {
      {"name", "benchmark"},
      {"line", 2},
      {"status", "compiled"},
      {"signatures", {{{"args", {"int"}}, {"return", "int"}}}},
      {"fallback", nullptr},
      {"ast", "FunctionDef(name='benchmark')\n\xE2\x94\x9C\xE2\x94\x80 arguments(n)\n\xE2\x94\x94\xE2\x94\x80 Return(...)"},
      {"types", {{{"line", 3}, {"name", "total"}, {"type", "int"}, {"because", "assigned 0 (int literal)"}},
                 {{"line", 4}, {"name", "i"}, {"type", "int"}, {"because", "range() yields int"}}}},
      {"ir", "define i64 @benchmark(i64 %n) {\nentry:\n  %cmp = icmp sgt i64 %n, 0\n  ret i64 0\n}"},
      {"opt_ir", "define i64 @benchmark(i64 %n) {\nentry:\n  %r = mul i64 %n, 3\n  ret i64 %r\n}"},
      {"asm", "benchmark:\n\tleaq\t(%rdi,%rdi,2), %rax\n\tretq"},
      {"line_map", {{"3", {{"ir", {3}}, {"asm", {2}}}}, {"5", {{"ir", {4}}, {"asm", {3}}}}}},
      {"passes", {{{"name", "instcombine"}, {"runs", 2}, {"ms", 0.75}},
                  {{"name", "loop-vectorize"}, {"runs", 1}, {"ms", 1.25}},
                  "simplifycfg"}},
      {"remarks", {{{"pass", "loop-vectorize"}, {"line", 4},
                    {"message", "vectorized loop (vectorization width: 4, interleaved count: 2)"}},
                   {{"pass", "inline"}, {"line", 5}, {"message", "'helper' inlined into 'benchmark'"}}}},
      {"timings_ms", {{"parse", 0.25}, {"infer", 0.5}, {"lower", 1.0}, {"optimize", 4.0},
                      {"codegen", 3.0}, {"load", 0.25}}},
      {"variables", {{{"name", "i"}, {"type", "int"}, {"representation", "native i64"}},
                     {{"name", "xs"}, {"type", "list[int]"},
                      {"representation", "CPython object (PyObject*), private to the call"}}}},
      {"object_lines", {{{"line", 3}, {"calls", 1}, {"functions", {"PyList_New"}}},
                        {{"line", 4}, {"calls", 7}, {"functions", {"PyList_Append", "PyLong_FromLongLong"}}}}},
      {"object_size", 1536},
      {"cache", "miss"},
      {"source", {{"line", 2}, {"text", "def benchmark(n):\n    total = 0\n    for i in range(n):\n        total += i * 3\n    return total"}}}};
  json fallback = {
      {"name", "gen"},
      {"line", 9},
      {"status", "fallback"},
      {"signatures", json::array()},
      {"fallback", {{"code", "PV103"}, {"reason", "generators are not supported"}, {"construct", "Yield"},
                    {"line", 10}, {"suggestion", "build and return a list instead"}}}};
  json pending = {{"name", "later"}, {"line", 12}, {"status", "pending"}, {"signatures", json::array()},
                  {"fallback", nullptr}};
  return {{"version", 1},
          {"options", {{"strict", false}, {"fast", false}, {"opt_level", 3}, {"show", show},
                       {"asm_syntax", "att"}, {"compare", true}, {"cache", true}, {"quiet", false}}},
          {"functions", {compiled, fallback, pending}},
          {"comparison", {{"expression", "benchmark(10_000_000)"},
                          {"cpython", {{"repr", "149999985000000"}, {"seconds", 0.8}}},
                          {"native", {{"repr", "149999985000000"}, {"seconds", 0.004}}},
                          {"same", true},
                          {"speedup", 200.0}}}};
}
