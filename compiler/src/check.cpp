// check: finds constructs outside the compiled subset before any type is known, so a function
// falls back at decoration time with the construct, its line and a suggestion.
#include "stages.h"
#include "types.h"

#include <set>

namespace pyvorin {
namespace {

using namespace ast;

FallbackCode code_for_construct(const std::string &k) {
  if (k == "FunctionDef" || k == "AsyncFunctionDef" || k == "Lambda") return FallbackCode::NestedFunction;
  if (k == "ClassDef") return FallbackCode::ClassDefinition;
  if (k == "Try" || k == "TryStar" || k == "Raise" || k == "With" || k == "AsyncWith" || k == "Assert")
    return FallbackCode::ExceptionHandling;
  if (k == "Global" || k == "Nonlocal" || k == "Delete") return FallbackCode::ScopeStatement;
  if (k == "Yield" || k == "YieldFrom" || k == "Await" || k == "GeneratorExp" || k == "AsyncFor")
    return FallbackCode::Generator;
  if (k == "List" || k == "Dict" || k == "Set" || k == "ListComp" || k == "SetComp" || k == "DictComp" ||
      k == "Subscript" || k == "Slice" || k == "Starred" || k == "Tuple")
    return FallbackCode::Container;
  if (k == "JoinedStr" || k == "FormattedValue") return FallbackCode::String;
  return FallbackCode::UnsupportedSyntax;
}

std::string describe_construct(const std::string &k) {
  static const std::pair<const char *, const char *> words[] = {
      {"FunctionDef", "a nested function"}, {"Lambda", "a lambda"}, {"ClassDef", "a class definition"},
      {"Try", "try/except"}, {"TryStar", "try/except*"}, {"Raise", "raise"}, {"With", "a with block"},
      {"Assert", "assert"}, {"Global", "a global statement"}, {"Nonlocal", "a nonlocal statement"},
      {"Delete", "del"}, {"Yield", "yield (a generator)"}, {"YieldFrom", "yield from (a generator)"},
      {"Await", "await"}, {"GeneratorExp", "a generator expression"}, {"List", "a list"}, {"Dict", "a dict"},
      {"Set", "a set"}, {"ListComp", "a list comprehension"}, {"SetComp", "a set comprehension"},
      {"DictComp", "a dict comprehension"}, {"Subscript", "subscripting"}, {"Slice", "a slice"},
      {"Starred", "star unpacking"}, {"Tuple", "a tuple value"}, {"JoinedStr", "an f-string"},
      {"Import", "an import inside the function"}, {"ImportFrom", "an import inside the function"},
      {"Match", "a match statement"}, {"AsyncFor", "async for"}, {"AsyncWith", "async with"},
      {"Constant", "a constant of this type"}};
  for (auto &[name, text] : words)
    if (k == name) return text;
  return k;
}

class Checker {
 public:
  explicit Checker(const FunctionDef &fn) : m_fn(fn) {}

  std::optional<Fallback> run() {
    if (!m_fn.unsupported_signature.empty()) {
      std::string what;
      for (auto &w : m_fn.unsupported_signature) what += (what.empty() ? "" : ", ") + w;
      fail(FallbackCode::UnsupportedSignature, "the signature uses " + what, "arguments", m_fn.range.line);
    }
    body(m_fn.body);
    return m_first;
  }

 private:
  const FunctionDef &m_fn;
  std::optional<Fallback> m_first;
  std::set<const Expr *> m_consumed;  // generator expressions passed straight to a consumer
  std::set<const Expr *> m_star_ok;  // the *rows of zip(*rows)

  void fail(FallbackCode code, std::string reason, std::string construct, int line, std::string suggestion = {}) {
    if (m_first && m_first->line <= line) return;  // report the first in source order
    m_first = make_fallback(code, m_fn.name, std::move(reason), std::move(construct), line, std::move(suggestion));
  }

  void unsupported(const std::string &construct, int line, const std::string &detail = {}) {
    FallbackCode code = code_for_construct(construct);
    std::string what = describe_construct(construct);
    if (!detail.empty()) what += " (" + detail + ")";
    fail(code, what + " is not supported in compiled code", construct, line);
  }

  void body(const Body &b) {
    for (auto &s : b) stmt(*s);
  }

  void target(const Expr &t) {
    if (t.kind == ExprKind::Name) return;
    if (t.kind == ExprKind::Tuple || t.kind == ExprKind::List) {
      int stars = 0;
      for (auto &x : t.kind == ExprKind::Tuple ? static_cast<const Tuple &>(t).elts : static_cast<const List &>(t).elts) {
        if (x->kind == ExprKind::Starred) {
          ++stars;
          target(*static_cast<const Starred &>(*x).value);
        } else {
          target(*x);
        }
      }
      if (stars > 1) fail(FallbackCode::UnsupportedSyntax, "multiple starred expressions in assignment", "Starred", t.range.line);
      return;
    }
    if (t.kind == ExprKind::Subscript) {
      expr(t);
      return;
    }
    if (t.kind == ExprKind::Unsupported) return unsupported(static_cast<const UnsupportedExpr &>(t).construct, t.range.line);
    fail(FallbackCode::UnsupportedSyntax, "assignment to this target is not supported", "target", t.range.line);
  }

  void stmt(const Stmt &s) {
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        for (auto &t : a.targets) target(*t);
        expr(*a.value);
        break;
      }
      case StmtKind::AugAssign: {
        auto &a = static_cast<const AugAssign &>(s);
        target(*a.target);
        expr(*a.value);
        break;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(s);
        target(*a.target);
        if (a.value) expr(*a.value);
        break;
      }
      case StmtKind::Return:
        if (auto &v = static_cast<const Return &>(s).value) expr(*v);
        break;
      case StmtKind::If: {
        auto &n = static_cast<const If &>(s);
        if (n.with) {  // with: a file from open(...), or a file passed in as a parameter
          const Expr &m = *static_cast<const NamedExpr &>(*n.test).value;
          bool opened = m.kind == ExprKind::Call && static_cast<const Call &>(m).func->kind == ExprKind::Name &&
                        static_cast<const Name &>(*static_cast<const Call &>(m).func).id == "open";
          bool local = false;  // a parameter or a local variable (its type must be a file: infer)
          if (m.kind == ExprKind::Name) {
            std::set<std::string> locals;
            collect_locals(m_fn.body, locals);
            for (auto &a : m_fn.args) locals.insert(a.name);
            local = locals.count(static_cast<const Name &>(m).id) > 0;
          }
          if (!opened && !local)
            fail(FallbackCode::ExceptionHandling, "a with block is compiled for files only: with open(...) as f, or a local file variable",
                 "With", s.range.line, "keep this function in CPython, or open the file with open() in the with statement");
          expr(m);
          body(n.body);
          break;
        }
        expr(*n.test);
        body(n.body);
        body(n.orelse);
        break;
      }
      case StmtKind::While: {
        auto &n = static_cast<const While &>(s);
        expr(*n.test);
        body(n.body);
        body(n.orelse);
        break;
      }
      case StmtKind::Delete:
        for (auto &t : static_cast<const Delete &>(s).targets) {
          if (t->kind == ExprKind::Subscript) {
            expr(*t);
            continue;
          }
          fail(FallbackCode::ScopeStatement, "'del' of a variable is not supported in compiled code", "Delete",
               t->range.line, "assign None instead, or keep this function in CPython");
        }
        break;
      case StmtKind::For: {
        auto &n = static_cast<const For &>(s);
        target(*n.target);
        bool is_range = false;
        if (n.iter->kind == ExprKind::Call) {
          auto &c = static_cast<const Call &>(*n.iter);
          is_range = c.func->kind == ExprKind::Name && static_cast<const Name &>(*c.func).id == "range";
          if (is_range && (c.args.empty() || c.args.size() > 3 || !c.keywords.empty() || c.has_star_args))
            fail(FallbackCode::UnsupportedCall, "range() takes 1 to 3 positional arguments", "range", c.range.line);
          if (is_range)
            for (auto &a : c.args) expr(*a);
        }
        if (!is_range) expr(*n.iter);
        body(n.body);
        body(n.orelse);
        break;
      }
      case StmtKind::ExprStmt: {
        const Expr &v = *static_cast<const ExprStmt &>(s).value;
        // A bare string (a docstring) does nothing at run time.
        if (v.kind == ExprKind::Constant && static_cast<const Constant &>(v).value_kind == Constant::Kind::Str) break;
        expr(v);
        break;
      }
      case StmtKind::Unsupported: unsupported(static_cast<const UnsupportedStmt &>(s).construct, s.range.line); break;
      default: break;
    }
  }

  void call(const Call &c) {
    // zip(*rows), the transpose idiom, is compiled; other * or ** arguments are not
    bool star_zip = c.func->kind == ExprKind::Name && static_cast<const Name &>(*c.func).id == "zip" && c.args.size() == 1 &&
                    c.args[0]->kind == ExprKind::Starred && c.keywords.empty();
    if (c.has_star_args && !star_zip) fail(FallbackCode::UnsupportedSyntax, "*args or **kwargs in a call", "Call", c.range.line);
    if (star_zip) m_star_ok.insert(c.args[0].get());
    std::string callee;
    if (c.func->kind == ExprKind::Name) callee = static_cast<const Name &>(*c.func).id;
    static const std::set<std::string> dynamic = {"eval", "exec", "compile", "globals", "locals", "vars",
                                                  "getattr", "setattr", "delattr", "__import__"};
    if (dynamic.count(callee)) {
      fail(FallbackCode::DynamicCode, callee + "() is not supported in compiled code", callee, c.range.line);
      return;
    }
    if (c.func->kind != ExprKind::Name) expr(*c.func);
    // A generator expression is compiled as a list built up front, which is the same only where
    // it is consumed whole, once, by the call it is passed to.
    static const std::set<std::string> consumers = {"sum", "min", "max", "any", "all", "sorted", "list", "set",
                                                    "tuple", "dict", "enumerate", "zip", "bytes"};
    static const std::set<std::string> method_consumers = {"extend", "update", "union", "intersection", "difference",
                                                           "symmetric_difference", "issubset", "issuperset", "isdisjoint",
                                                           "join", "writelines"};
    bool consumes = consumers.count(callee) ||
                    (c.func->kind == ExprKind::Attribute && method_consumers.count(static_cast<const Attribute &>(*c.func).attr));
    if (consumes)
      for (auto &a : c.args)
        if (a->kind == ExprKind::GeneratorExp) m_consumed.insert(a.get());
    bool strings_ok = callee == "print" || (callee == "float" && c.args.size() == 1);
    for (auto &a : c.args) {
      if (strings_ok && a->kind == ExprKind::Constant &&
          static_cast<const Constant &>(*a).value_kind == Constant::Kind::Str)
        continue;
      expr(*a);
    }
    for (auto &k : c.keywords) {
      if (k.arg == "key" && k.value->kind == ExprKind::Lambda) {  // inlined by sorted/min/max/list.sort
        auto &l = static_cast<const Lambda &>(*k.value);
        if (l.params.size() != 1)
          fail(FallbackCode::NestedFunction, "a key= lambda takes one parameter", "Lambda", k.value->range.line);
        expr(*l.body);
        continue;
      }
      if (callee == "print" && (k.arg == "sep" || k.arg == "end") && k.value->kind == ExprKind::Constant) {
        auto kind = static_cast<const Constant &>(*k.value).value_kind;
        if (kind == Constant::Kind::Str || kind == Constant::Kind::None) continue;
      }
      if (callee == "print" && k.arg == "file") {  // a text file (infer checks the type)
        expr(*k.value);
        continue;
      }
      if (callee == "print" && k.arg == "flush" && k.value->kind == ExprKind::Constant &&
          static_cast<const Constant &>(*k.value).value_kind == Constant::Kind::Bool)
        continue;
      if (callee == "print") {
        fail(FallbackCode::UnsupportedCall, "print(" + k.arg + "=...) is not supported in compiled code", "print",
             c.range.line, "use print with sep= and end= string literals, file= and flush=True/False only");
        continue;
      }
      expr(*k.value);
    }
  }

  void expr(const Expr &e) {
    switch (e.kind) {
      case ExprKind::Constant: {
        auto &c = static_cast<const Constant &>(e);
        if (c.value_kind == Constant::Kind::BigInt)
          fail(FallbackCode::BigIntLiteral, "the int literal " + c.str_value + " does not fit in 64 bits",
               "Constant", e.range.line);
        break;
      }
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        // `@` is compiled for ndarrays (infer rejects it for other operands, with their types)
        expr(*b.left);
        expr(*b.right);
        break;
      }
      case ExprKind::UnaryOp: expr(*static_cast<const UnaryOp &>(e).operand); break;
      case ExprKind::BoolOp:
        for (auto &v : static_cast<const BoolOp &>(e).values) expr(*v);
        break;
      case ExprKind::Compare: {
        auto &c = static_cast<const Compare &>(e);
        expr(*c.left);
        for (auto &v : c.comparators) expr(*v);
        break;
      }
      case ExprKind::Call: call(static_cast<const Call &>(e)); break;
      case ExprKind::IfExp: {
        auto &n = static_cast<const IfExp &>(e);
        expr(*n.test);
        expr(*n.body);
        expr(*n.orelse);
        break;
      }
      case ExprKind::Attribute: expr(*static_cast<const Attribute &>(e).value); break;
      case ExprKind::NamedExpr: expr(*static_cast<const NamedExpr &>(e).value); break;
      case ExprKind::Dict: {
        auto &d = static_cast<const Dict &>(e);
        for (auto &k : d.keys)
          if (!k) fail(FallbackCode::UnsupportedSyntax, "'**' unpacking in a dict display is not supported", "Dict", e.range.line);
        for_each_child(e, [&](const Expr &c) { expr(c); });
        break;
      }
      case ExprKind::List: case ExprKind::Tuple: case ExprKind::Set: {
        for_each_child(e, [&](const Expr &c) {
          if (c.kind == ExprKind::Starred)
            fail(FallbackCode::UnsupportedSyntax, "'*' unpacking in a display is not supported", "Starred", c.range.line,
                 "build the container with + or extend()");
          expr(c);
        });
        break;
      }
      case ExprKind::Starred:
        if (m_star_ok.count(&e))
          expr(*static_cast<const Starred &>(e).value);
        else
          fail(FallbackCode::UnsupportedSyntax, "a starred expression here is not supported", "Starred", e.range.line);
        break;
      case ExprKind::Lambda:
        fail(FallbackCode::NestedFunction, "a lambda is compiled only as the key= of sorted(), min(), max() or list.sort()",
             "Lambda", e.range.line, "define the function at module level with @pyvorin.jit, or keep this function in CPython");
        break;
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: {
        auto &c = static_cast<const Comp &>(e);
        if (e.kind == ExprKind::GeneratorExp && !m_consumed.count(&e))
          fail(FallbackCode::Generator,
               "a generator expression is compiled only as the argument of sum(), min(), max(), any(), all(), sorted(), "
               "list(), set(), tuple(), dict(), enumerate(), zip(), bytes(), str.join() or writelines()",
               "GeneratorExp", e.range.line, "use a list comprehension, or pass the generator expression to one of those");
        for (auto &g : c.generators) {
          expr(*g.iter);
          target(*g.target);
          for (auto &i : g.ifs) expr(*i);
        }
        for (const Expr *x : {c.elt.get(), c.key.get(), c.value.get()})
          if (x) expr(*x);
        break;
      }
      case ExprKind::Subscript: case ExprKind::Slice: for_each_child(e, [&](const Expr &c) { expr(c); }); break;
      case ExprKind::Unsupported: {
        auto &u = static_cast<const UnsupportedExpr &>(e);
        unsupported(u.construct, e.range.line, u.detail);
        break;
      }
      case ExprKind::Name: break;
    }
  }
};

}  // namespace

std::optional<Fallback> check(const ast::FunctionDef &fn) { return Checker(fn).run(); }

}  // namespace pyvorin
