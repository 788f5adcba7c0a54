// Unit tests for each compiler stage: parse, normalise, check, infer, lower, and the whole
// pipeline calling the native entry directly.
#include <gtest/gtest.h>
#include <llvm/IR/Verifier.h>

#include <cstring>

#include "lower.h"
#include "pyvorin/compiler.h"
#include "stages.h"
#include "types.h"

using namespace pyvorin;

namespace {

FunctionSource src(const std::string &text, int first_line = 1) { return {"f", text, "<test>", first_line}; }

std::unique_ptr<ast::FunctionDef> parsed(const std::string &text, int first_line = 1) {
  ParseResult r = parse_function(src(text, first_line));
  EXPECT_FALSE(r.error.has_value());
  return std::move(r.fn);
}

CompileRequest request(const std::string &text, std::vector<TypeTag> args) {
  CompileRequest req;
  UnitFunction uf;
  uf.source = src(text);
  Binding self;
  self.kind = Binding::Kind::Function;
  self.function_index = 0;
  uf.globals["f"] = self;
  for (const char *b : {"abs", "min", "max", "round", "int", "float", "bool", "print", "range", "divmod"}) {
    Binding bi;
    bi.kind = Binding::Kind::Builtin;
    bi.target = b;
    uf.globals[b] = bi;
  }
  Binding m;
  m.kind = Binding::Kind::MathModule;
  uf.globals["math"] = m;
  req.functions.push_back(uf);
  req.arg_types = std::move(args);
  req.options.eager_asm = true;
  return req;
}

uint64_t run(const CompileResult &r, std::vector<uint64_t> args, PvCtx &ctx) {
  std::memset(&ctx, 0, sizeof ctx);
  ctx.depth_limit = 1000;
  ctx.interrupt = &pv_never_interrupted;
  return r.entry.fn(&ctx, args.data());
}

}  // namespace

TEST(Parse, KeepsAbsoluteLinesAndNames) {
  auto fn = parsed("def f(a, b):\n    return a + b\n", 10);
  EXPECT_EQ(fn->name, "f");
  ASSERT_EQ(fn->args.size(), 2u);
  EXPECT_EQ(fn->args[1].name, "b");
  EXPECT_EQ(fn->range.line, 10);
  ASSERT_EQ(fn->body.size(), 1u);
  EXPECT_EQ(fn->body[0]->kind, ast::StmtKind::Return);
  EXPECT_EQ(fn->body[0]->range.line, 11);
}

TEST(Parse, UnsupportedConstructsBecomeNodes) {
  auto fn = parsed("def f(x):\n    try:\n        pass\n    except E:\n        pass\n");
  ASSERT_EQ(fn->body[0]->kind, ast::StmtKind::Unsupported);
  EXPECT_EQ(static_cast<ast::UnsupportedStmt &>(*fn->body[0]).construct, "Try");
}

TEST(Parse, BigIntLiteralKeepsItsText) {
  auto fn = parsed("def f():\n    return 123456789012345678901234567890\n");
  auto &ret = static_cast<ast::Return &>(*fn->body[0]);
  auto &c = static_cast<ast::Constant &>(*ret.value);
  EXPECT_EQ(c.value_kind, ast::Constant::Kind::BigInt);
  EXPECT_EQ(c.str_value, "123456789012345678901234567890");
}

TEST(Ast, DumpShowsTree) {
  auto fn = parsed("def benchmark(n):\n    total = 0\n    return total\n");
  std::string d = ast::dump(*fn);
  EXPECT_NE(d.find("FunctionDef(name='benchmark')"), std::string::npos);
  EXPECT_NE(d.find("├─ Assign"), std::string::npos);
  EXPECT_NE(d.find("└─ Return"), std::string::npos);
}

TEST(Normalise, ChainedComparisonEvaluatesMiddleOnce) {
  auto fn = parsed("def f(a, b, c):\n    return a < b + 1 < c\n");
  normalise(*fn);
  auto &ret = static_cast<ast::Return &>(*fn->body[0]);
  ASSERT_EQ(ret.value->kind, ast::ExprKind::BoolOp);
  auto &conj = static_cast<ast::BoolOp &>(*ret.value);
  ASSERT_EQ(conj.values.size(), 2u);
  auto &first = static_cast<ast::Compare &>(*conj.values[0]);
  EXPECT_EQ(first.comparators[0]->kind, ast::ExprKind::NamedExpr);  // b + 1 is computed once
  auto &second = static_cast<ast::Compare &>(*conj.values[1]);
  EXPECT_EQ(second.left->kind, ast::ExprKind::Name);
}

TEST(Normalise, SwapUsesTemporaries) {
  auto fn = parsed("def f(a, b):\n    a, b = b, a + b\n    return a\n");
  normalise(*fn);
  ASSERT_EQ(fn->body.size(), 5u);  // $1 = b; $2 = a + b; a = $1; b = $2; return
  auto &first = static_cast<ast::Assign &>(*fn->body[0]);
  EXPECT_EQ(static_cast<ast::Name &>(*first.targets[0]).id, "$1");
  auto &third = static_cast<ast::Assign &>(*fn->body[2]);
  EXPECT_EQ(static_cast<ast::Name &>(*third.targets[0]).id, "a");
}

TEST(Normalise, AugmentedAssignmentAndDivmod) {
  auto fn = parsed("def f(a, b):\n    a += 1\n    q, r = divmod(a, b)\n    return q\n");
  normalise(*fn);
  auto &aug = static_cast<ast::Assign &>(*fn->body[0]);
  ASSERT_EQ(aug.value->kind, ast::ExprKind::BinOp);
  auto &q = static_cast<ast::Assign &>(*fn->body[3]);
  auto &floordiv = static_cast<ast::BinOp &>(*q.value);
  EXPECT_EQ(floordiv.op, ast::Op::FloorDiv);
  EXPECT_TRUE(floordiv.from_divmod);
}

TEST(Check, ReportsFirstUnsupportedConstructWithLine) {
  auto fn = parsed("def f(x):\n    y = x\n    z = lambda: y\n    yield z\n");
  normalise(*fn);
  auto fb = check(*fn);
  ASSERT_TRUE(fb.has_value());
  EXPECT_STREQ(fallback_code_id(fb->code), "PV102");
  EXPECT_EQ(fb->line, 3);
  EXPECT_EQ(fb->function, "f");
  EXPECT_FALSE(fb->suggestion.empty());
  EXPECT_EQ(fb->render().rfind("[FALLBACK] function: f\nreason: ", 0), 0u);
}

TEST(Check, AcceptsTheScalarSubset) {
  auto fn = parsed("def f(n):\n    t = 0\n    for i in range(n):\n        if i % 2 == 0 and i > 1:\n            t += i\n    print('t', t)\n    return t\n");
  normalise(*fn);
  EXPECT_FALSE(check(*fn).has_value());
}

TEST(Infer, TraceExplainsEachVariable) {
  CompileRequest req = request("def f(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\n", {TypeTag::Int});
  TypedUnit unit;
  UnitSource us;
  us.request = &req.functions[0];
  us.fn = parsed(req.functions[0].source.source);
  normalise(*us.fn);
  unit.sources.push_back(std::move(us));
  infer(unit, req.arg_types);
  ASSERT_FALSE(unit.fallback.has_value());
  const Spec &s = *unit.specs[0];
  EXPECT_EQ(s.ret, Ty::Int);
  bool found = false;
  for (auto &t : s.trace) found = found || (t.name == "total" && t.type == "int" && t.because == "Constant(0) is int" && t.line == 2);
  EXPECT_TRUE(found);
}

TEST(Infer, IntOnOnePathFloatOnAnotherFallsBack) {
  CompileResult r = compile(request("def f(n):\n    total = 0\n    for i in range(n):\n        total += 0.5\n    return total\n", {TypeTag::Int}));
  ASSERT_TRUE(r.fallback.has_value());
  EXPECT_STREQ(fallback_code_id(r.fallback->code), "PV200");
  EXPECT_NE(r.fallback->reason.find("int (line 2) and float (line 4)"), std::string::npos);
}

TEST(Infer, RecursionReachesAFixedPoint) {
  CompileResult r = compile(request("def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)\n", {TypeTag::Int}));
  ASSERT_FALSE(r.fallback.has_value()) << r.fallback->render();
  EXPECT_EQ(r.entry.ret, TypeTag::Int);
  PvCtx ctx{};
  EXPECT_EQ(run(r, {20}, ctx), 6765u);
  EXPECT_EQ(ctx.status, PV_OK);
}

TEST(Lower, ModulesVerifyAndCarryDebugLocations) {
  CompileResult r = compile(request("def f(a, b):\n    return a // b\n", {TypeTag::Int, TypeTag::Int}));
  ASSERT_FALSE(r.fallback.has_value());
  std::string ir = r.report["ir"];
  EXPECT_NE(ir.find("!DILocation(line: 2"), std::string::npos);
  EXPECT_NE(ir.find("sdiv"), std::string::npos);
}

TEST(Pipeline, FloorDivisionAndModuloFollowPython) {
  CompileResult d = compile(request("def f(a, b):\n    return a // b\n", {TypeTag::Int, TypeTag::Int}));
  CompileResult m = compile(request("def f(a, b):\n    return a % b\n", {TypeTag::Int, TypeTag::Int}));
  PvCtx ctx{};
  EXPECT_EQ(int64_t(run(d, {uint64_t(-7), 2}, ctx)), -4);
  EXPECT_EQ(int64_t(run(m, {uint64_t(-7), 2}, ctx)), 1);
  EXPECT_EQ(int64_t(run(m, {7, uint64_t(-2)}, ctx)), -1);
  run(d, {1, 0}, ctx);
  EXPECT_EQ(ctx.status, PV_ZERO_DIVISION);
  EXPECT_STREQ(ctx.message, "integer division or modulo by zero");
  EXPECT_EQ(ctx.line, 2);
}

TEST(Pipeline, OverflowIsReportedNotWrapped) {
  CompileResult r = compile(request("def f(a):\n    return a * a\n", {TypeTag::Int}));
  PvCtx ctx{};
  run(r, {uint64_t(1) << 40}, ctx);
  EXPECT_EQ(ctx.status, PV_INT_OVERFLOW);
}

TEST(Pipeline, ReportHasEveryStage) {
  CompileResult r = compile(request("def f(x):\n    return x * 2.0\n", {TypeTag::Float}));
  ASSERT_FALSE(r.fallback.has_value());
  for (const char *k : {"ast", "types", "ir", "opt_ir", "asm", "line_map", "passes", "remarks", "timings_ms", "object_size"})
    EXPECT_TRUE(r.report.contains(k)) << k;
  for (const char *k : {"parse", "infer", "lower", "optimize", "codegen", "load"})
    EXPECT_TRUE(r.report["timings_ms"].contains(k)) << k;
  EXPECT_GT(r.report["object_size"].get<int>(), 0);
  EXPECT_TRUE(r.report["line_map"].contains("2"));
}

TEST(Pipeline, IntelAssemblyOnRequest) {
  CompileResult r = compile(request("def f(a, b):\n    return a + b\n", {TypeTag::Int, TypeTag::Int}));
  std::string intel = emit_assembly(r.report["opt_ir"], "intel", 2);
  std::string att = r.report["asm"];
  EXPECT_NE(att.find("%r"), std::string::npos);
  EXPECT_EQ(intel.find("%r"), std::string::npos);
  EXPECT_NE(intel.find("ret"), std::string::npos);
}

TEST(Pipeline, AssemblyCanBeCompletedLater) {
  CompileRequest req = request("def f(x):\n    return x + 1\n", {TypeTag::Int});
  req.options.eager_asm = false;
  CompileResult r = compile(req);
  ASSERT_FALSE(r.fallback.has_value());
  EXPECT_TRUE(r.report["asm"].is_null());
  EXPECT_TRUE(r.report["line_map"]["2"]["asm"].empty());
  complete_report(r.report);
  EXPECT_NE(r.report["asm"].get<std::string>().find("ret"), std::string::npos);
  EXPECT_FALSE(r.report["line_map"]["2"]["asm"].empty());
  EXPECT_TRUE(r.report["timings_ms"].contains("asm"));
}

// A callee from another module: the innermost location and each caller's frame name their own
// file, so the dispatcher's traceback entries point at the right file (not the root's).
TEST(Pipeline, TracebackFramesCarryEachFunctionsFile) {
  CompileRequest req = request("def f(a):\n    x = a + 1\n    return g(x)\n", {TypeTag::Int});
  req.functions[0].source.filename = "caller.py";
  UnitFunction g;
  g.source = {"g", "def g(b):\n    return 10 // b\n", "callee.py", 20};
  Binding callee;
  callee.kind = Binding::Kind::Function;
  callee.function_index = 1;
  req.functions[0].globals["g"] = callee;
  req.functions.push_back(g);
  CompileResult r = compile(req);
  ASSERT_FALSE(r.fallback.has_value()) << r.fallback->render();
  PvCtx ctx{};
  EXPECT_EQ(int64_t(run(r, {4}, ctx)), 2);
  EXPECT_EQ(ctx.status, PV_OK);
  run(r, {uint64_t(-1)}, ctx);
  ASSERT_EQ(ctx.status, PV_ZERO_DIVISION);
  EXPECT_STREQ(ctx.function, "g");
  EXPECT_EQ(ctx.line, 21);
  ASSERT_NE(ctx.file, nullptr);
  EXPECT_STREQ(ctx.file, "callee.py");
  ASSERT_EQ(ctx.nframes, 1);
  EXPECT_STREQ(ctx.frames[0].function, "f");
  EXPECT_STREQ(ctx.frames[0].file, "caller.py");
  EXPECT_EQ(ctx.frames[0].line, 3);
}

TEST(Pipeline, GlobalConstantsAreCompiledAsTheirValues) {
  CompileRequest req = request("def f(x):\n    if DEBUG is None and FLAG:\n        return x * K0 + N\n    return 0.0\n",
                               {TypeTag::Float});
  auto constant = [&](const char *name, TypeTag type, int64_t i, double d, const char *repr) {
    Binding b;
    b.kind = Binding::Kind::Constant;
    b.value_type = type;
    b.int_value = i;
    b.float_value = d;
    b.detail = repr;
    req.functions[0].globals[name] = b;
  };
  constant("K0", TypeTag::Float, 0, 0.5, "0.5");
  constant("N", TypeTag::Int, -3, 0, "-3");
  constant("FLAG", TypeTag::Bool, 1, 0, "True");
  constant("DEBUG", TypeTag::None, 0, 0, "None");
  CompileResult r = compile(req);
  ASSERT_FALSE(r.fallback.has_value()) << r.fallback->render();
  bool traced = false;
  for (auto &t : r.report["types"]) traced = traced || (t["name"] == "K0" && t["type"] == "float" && t["because"] == "global constant K0 = 0.5");
  EXPECT_TRUE(traced) << r.report["types"].dump();
  PvCtx ctx{};
  double x = 4.0, y;
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof x);
  bits = run(r, {bits}, ctx);
  std::memcpy(&y, &bits, sizeof y);
  EXPECT_EQ(y, -1.0);
}
