// Pyvorin's own AST: the subset of Python's `ast` the compiler understands, plus `Unsupported`
// nodes that remember what was there. Node names match Python's ast module. Every node keeps its
// SourceRange (absolute lines in the user's file or cell).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace pyvorin::ast {

struct SourceRange {
  int line = 0, col = 0, end_line = 0, end_col = 0;
};

enum class Op { Add, Sub, Mult, Div, FloorDiv, Mod, Pow, LShift, RShift, BitOr, BitXor, BitAnd, MatMult };
enum class UnaryOpKind { Invert, Not, UAdd, USub };
enum class CmpOp { Eq, NotEq, Lt, LtE, Gt, GtE, Is, IsNot, In, NotIn };
enum class BoolOpKind { And, Or };

const char *op_name(Op op);          // "Add"
const char *op_symbol(Op op);        // "+"
const char *unary_name(UnaryOpKind op);
const char *cmp_name(CmpOp op);
const char *cmp_symbol(CmpOp op);

enum class ExprKind {
  Constant, Name, BinOp, UnaryOp, BoolOp, Compare, Call, IfExp, Attribute, NamedExpr, Tuple, List, Set, Dict,
  Subscript, Slice, Starred, ListComp, SetComp, DictComp, GeneratorExp, Lambda, Unsupported
};

struct Expr {
  ExprKind kind;
  SourceRange range;
  explicit Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Expr() = default;
};
using ExprPtr = std::unique_ptr<Expr>;

struct Constant : Expr {
  // Complex: an imaginary literal (2j), its imaginary part in float_value
  enum class Kind { Int, Float, Bool, None, Str, BigInt, Bytes, Complex } value_kind = Kind::None;
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  std::string str_value;  // Str (UTF-8), Bytes (the bytes), and the decimal text of a BigInt
  std::string repr;       // Str, Bytes: Python's repr() (valid UTF-8: NUL and lone surrogates are escaped)
  // Str: the ASCII text that float() parses (_PyUnicode_TransformDecimalAndSpaceToASCII: Unicode
  // whitespace -> ' ', Unicode decimal digits -> '0'..'9', any other non-ASCII -> '?' and the end)
  std::string numeric_text;
  explicit Constant(SourceRange r) : Expr(ExprKind::Constant, r) {}
};

struct Name : Expr {
  std::string id;
  Name(SourceRange r, std::string i) : Expr(ExprKind::Name, r), id(std::move(i)) {}
};

struct BinOp : Expr {
  ExprPtr left, right;
  Op op;
  bool from_divmod = false;  // produced from `q, r = divmod(a, b)`: divmod's error messages
  bool inplace = false;      // from `x op= e`: a list's += extends it in place (aliases see it)
  BinOp(SourceRange r, ExprPtr l, Op o, ExprPtr rt) : Expr(ExprKind::BinOp, r), left(std::move(l)), right(std::move(rt)), op(o) {}
};

struct UnaryOp : Expr {
  UnaryOpKind op;
  ExprPtr operand;
  UnaryOp(SourceRange r, UnaryOpKind o, ExprPtr e) : Expr(ExprKind::UnaryOp, r), op(o), operand(std::move(e)) {}
};

struct BoolOp : Expr {
  BoolOpKind op;
  std::vector<ExprPtr> values;
  BoolOp(SourceRange r, BoolOpKind o) : Expr(ExprKind::BoolOp, r), op(o) {}
};

// After normalisation every Compare has exactly one operator.
struct Compare : Expr {
  ExprPtr left;
  std::vector<CmpOp> ops;
  std::vector<ExprPtr> comparators;
  explicit Compare(SourceRange r) : Expr(ExprKind::Compare, r) {}
};

struct Keyword {
  std::string arg;
  ExprPtr value;
};

struct Call : Expr {
  ExprPtr func;
  std::vector<ExprPtr> args;
  std::vector<Keyword> keywords;
  bool has_star_args = false;
  explicit Call(SourceRange r) : Expr(ExprKind::Call, r) {}
};

struct IfExp : Expr {
  ExprPtr test, body, orelse;
  explicit IfExp(SourceRange r) : Expr(ExprKind::IfExp, r) {}
};

struct Attribute : Expr {
  ExprPtr value;
  std::string attr;
  Attribute(SourceRange r, ExprPtr v, std::string a) : Expr(ExprKind::Attribute, r), value(std::move(v)), attr(std::move(a)) {}
};

struct NamedExpr : Expr {
  std::string target;
  ExprPtr value;
  NamedExpr(SourceRange r, std::string t, ExprPtr v) : Expr(ExprKind::NamedExpr, r), target(std::move(t)), value(std::move(v)) {}
};

struct Tuple : Expr {
  std::vector<ExprPtr> elts;
  explicit Tuple(SourceRange r) : Expr(ExprKind::Tuple, r) {}
};

struct List : Expr {
  std::vector<ExprPtr> elts;
  explicit List(SourceRange r) : Expr(ExprKind::List, r) {}
};

struct SetExpr : Expr {
  std::vector<ExprPtr> elts;
  explicit SetExpr(SourceRange r) : Expr(ExprKind::Set, r) {}
};

struct Dict : Expr {
  std::vector<ExprPtr> keys, values;  // a null key is `**mapping` (unsupported)
  explicit Dict(SourceRange r) : Expr(ExprKind::Dict, r) {}
};

struct Subscript : Expr {
  ExprPtr value, slice;  // slice: an index expression or a Slice
  Subscript(SourceRange r, ExprPtr v, ExprPtr s) : Expr(ExprKind::Subscript, r), value(std::move(v)), slice(std::move(s)) {}
};

struct Slice : Expr {
  ExprPtr lower, upper, step;  // each may be null
  explicit Slice(SourceRange r) : Expr(ExprKind::Slice, r) {}
};

struct Starred : Expr {
  ExprPtr value;
  Starred(SourceRange r, ExprPtr v) : Expr(ExprKind::Starred, r), value(std::move(v)) {}
};

// `for target in iter if cond ...` of a comprehension. The targets live in the comprehension's
// own scope: the normaliser renames them apart from the function's locals.
struct Comprehension {
  ExprPtr target, iter;
  std::vector<ExprPtr> ifs;
};

// ListComp, SetComp, GeneratorExp: elt; DictComp: key and value.
struct Comp : Expr {
  ExprPtr elt, key, value;
  std::vector<Comprehension> generators;
  Comp(ExprKind k, SourceRange r) : Expr(k, r) {}
};

// `lambda p: body` with positional parameters only. Compiled only as the key= of sorted, min,
// max and list.sort, where it is inlined; the normaliser renames its parameters ($l1.p).
struct Lambda : Expr {
  std::vector<std::string> params;
  ExprPtr body;
  explicit Lambda(SourceRange r) : Expr(ExprKind::Lambda, r) {}
};

// A construct outside the subset: `construct` is the Python ast class name (e.g. "ListComp").
struct UnsupportedExpr : Expr {
  std::string construct;
  std::string detail;
  UnsupportedExpr(SourceRange r, std::string c, std::string d = {})
      : Expr(ExprKind::Unsupported, r), construct(std::move(c)), detail(std::move(d)) {}
};

enum class StmtKind { Assign, AugAssign, AnnAssign, Return, If, While, For, Break, Continue, Pass, ExprStmt, Delete, FunctionDef, Unsupported };

struct Stmt {
  StmtKind kind;
  SourceRange range;
  Stmt(StmtKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Stmt() = default;
};
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct Assign : Stmt {
  std::vector<ExprPtr> targets;  // Names, Subscripts, Tuples/Lists of targets (possibly starred)
  ExprPtr value;
  explicit Assign(SourceRange r) : Stmt(StmtKind::Assign, r) {}
};

struct AugAssign : Stmt {
  ExprPtr target;
  Op op;
  ExprPtr value;
  explicit AugAssign(SourceRange r) : Stmt(StmtKind::AugAssign, r), op(Op::Add) {}
};

struct AnnAssign : Stmt {
  ExprPtr target, annotation, value;  // value may be null
  explicit AnnAssign(SourceRange r) : Stmt(StmtKind::AnnAssign, r) {}
};

struct Return : Stmt {
  ExprPtr value;  // may be null
  explicit Return(SourceRange r) : Stmt(StmtKind::Return, r) {}
};

// `with m as t: body` is an If marked `with`: its test is `($wN := m)`, a hidden local holding
// the context manager, and its body starts with `t = $wN` (parse.cpp). Analyses see a branch
// that may run; lowering (lower_with.cpp) runs the body once and closes the manager on every exit.
struct If : Stmt {
  ExprPtr test;
  Body body, orelse;
  bool with = false;
  explicit If(SourceRange r) : Stmt(StmtKind::If, r) {}
};

struct While : Stmt {
  ExprPtr test;
  Body body, orelse;
  explicit While(SourceRange r) : Stmt(StmtKind::While, r) {}
};

struct For : Stmt {
  ExprPtr target, iter;
  Body body, orelse;
  explicit For(SourceRange r) : Stmt(StmtKind::For, r) {}
};

struct Simple : Stmt {  // Break, Continue, Pass
  using Stmt::Stmt;
};

struct ExprStmt : Stmt {
  ExprPtr value;
  explicit ExprStmt(SourceRange r) : Stmt(StmtKind::ExprStmt, r) {}
};

struct Delete : Stmt {
  std::vector<ExprPtr> targets;  // Names and Subscripts
  explicit Delete(SourceRange r) : Stmt(StmtKind::Delete, r) {}
};

struct Arg {
  std::string name;
  ExprPtr annotation;  // may be null
  SourceRange range;
};

struct FunctionDef : Stmt {
  std::string name;
  std::vector<Arg> args;
  ExprPtr returns;  // may be null
  Body body;
  std::vector<std::string> unsupported_signature;  // "*args", "defaults", ... (reasons to fall back)
  size_t decorator_count = 0;
  // How many trailing parameters have default values. Calls from Python that leave them out get
  // the function's own default objects (its __defaults__) from the dispatcher.
  size_t ndefaults = 0;
  explicit FunctionDef(SourceRange r) : Stmt(StmtKind::FunctionDef, r) {}
};

struct UnsupportedStmt : Stmt {
  std::string construct;
  std::string detail;
  UnsupportedStmt(SourceRange r, std::string c, std::string d = {})
      : Stmt(StmtKind::Unsupported, r), construct(std::move(c)), detail(std::move(d)) {}
};

// One source file or cell.
struct Module {
  std::string filename;
  std::vector<std::unique_ptr<FunctionDef>> functions;
};

// Prints the tree as the report shows it: `FunctionDef(name='f')` with `├─` / `└─` branches.
std::string dump(const FunctionDef &fn);

// Calls f(child) for each direct sub-expression of e, in evaluation order (a comprehension: its
// generators' iters, targets and conditions, then the element).
template <typename F>
void for_each_child(const Expr &e, F &&f) {
  switch (e.kind) {
    case ExprKind::BinOp: f(*static_cast<const BinOp &>(e).left); f(*static_cast<const BinOp &>(e).right); break;
    case ExprKind::UnaryOp: f(*static_cast<const UnaryOp &>(e).operand); break;
    case ExprKind::BoolOp: for (auto &v : static_cast<const BoolOp &>(e).values) f(*v); break;
    case ExprKind::Compare: {
      auto &c = static_cast<const Compare &>(e);
      f(*c.left);
      for (auto &v : c.comparators) f(*v);
      break;
    }
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      f(*c.func);
      for (auto &a : c.args) f(*a);
      for (auto &k : c.keywords) f(*k.value);
      break;
    }
    case ExprKind::IfExp: {
      auto &n = static_cast<const IfExp &>(e);
      f(*n.test), f(*n.body), f(*n.orelse);
      break;
    }
    case ExprKind::Attribute: f(*static_cast<const Attribute &>(e).value); break;
    case ExprKind::NamedExpr: f(*static_cast<const NamedExpr &>(e).value); break;
    case ExprKind::Tuple: for (auto &v : static_cast<const Tuple &>(e).elts) f(*v); break;
    case ExprKind::List: for (auto &v : static_cast<const List &>(e).elts) f(*v); break;
    case ExprKind::Set: for (auto &v : static_cast<const SetExpr &>(e).elts) f(*v); break;
    case ExprKind::Dict: {
      auto &d = static_cast<const Dict &>(e);
      for (size_t i = 0; i < d.values.size(); ++i) {
        if (d.keys[i]) f(*d.keys[i]);
        f(*d.values[i]);
      }
      break;
    }
    case ExprKind::Subscript: f(*static_cast<const Subscript &>(e).value); f(*static_cast<const Subscript &>(e).slice); break;
    case ExprKind::Slice: {
      auto &s = static_cast<const Slice &>(e);
      if (s.lower) f(*s.lower);
      if (s.upper) f(*s.upper);
      if (s.step) f(*s.step);
      break;
    }
    case ExprKind::Starred: f(*static_cast<const Starred &>(e).value); break;
    case ExprKind::Lambda: f(*static_cast<const Lambda &>(e).body); break;
    case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: {
      auto &c = static_cast<const Comp &>(e);
      for (auto &g : c.generators) {
        f(*g.iter);
        f(*g.target);
        for (auto &i : g.ifs) f(*i);
      }
      if (c.elt) f(*c.elt);
      if (c.key) f(*c.key);
      if (c.value) f(*c.value);
      break;
    }
    default: break;
  }
}

template <typename T, typename B>
T *as(B *node) { return static_cast<T *>(node); }
template <typename T, typename B>
const T *as(const B *node) { return static_cast<const T *>(node); }

}  // namespace pyvorin::ast
