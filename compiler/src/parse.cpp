// parse: CPython's `ast` (through pybind11) converted to Pyvorin's AST. Constructs outside the
// subset become Unsupported nodes so that `check` can name them with their line.
#include <Python.h>
#include <pybind11/pybind11.h>

#include <stdexcept>

#include "stages.h"

namespace py = pybind11;

namespace pyvorin {
namespace {

using namespace ast;

SourceRange range_of(py::handle n) {
  SourceRange r;
  if (py::hasattr(n, "lineno")) {
    r.line = n.attr("lineno").cast<int>();
    r.col = n.attr("col_offset").cast<int>();
    py::object el = n.attr("end_lineno"), ec = n.attr("end_col_offset");
    r.end_line = el.is_none() ? r.line : el.cast<int>();
    r.end_col = ec.is_none() ? r.col : ec.cast<int>();
  }
  return r;
}

std::string kind_of(py::handle n) { return py::str(py::type::of(n).attr("__name__")).cast<std::string>(); }

class Converter {
 public:
  std::unique_ptr<FunctionDef> function(py::handle n) {
    auto fn = std::make_unique<FunctionDef>(range_of(n));
    fn->name = n.attr("name").cast<std::string>();
    py::handle args = n.attr("args");
    for (py::handle a : args.attr("posonlyargs")) fn->args.push_back(arg(a));
    for (py::handle a : args.attr("args")) fn->args.push_back(arg(a));
    if (!args.attr("vararg").is_none()) fn->unsupported_signature.push_back("*" + args.attr("vararg").attr("arg").cast<std::string>());
    if (!args.attr("kwarg").is_none()) fn->unsupported_signature.push_back("**" + args.attr("kwarg").attr("arg").cast<std::string>());
    if (py::len(args.attr("kwonlyargs")) > 0) fn->unsupported_signature.push_back("keyword-only parameters");
    fn->ndefaults = py::len(args.attr("defaults"));
    if (!n.attr("returns").is_none()) fn->returns = expr(n.attr("returns"));
    fn->decorator_count = py::len(n.attr("decorator_list"));
    fn->body = body(n.attr("body"));
    return fn;
  }

 private:
  Arg arg(py::handle a) {
    Arg r;
    r.name = a.attr("arg").cast<std::string>();
    r.range = range_of(a);
    if (!a.attr("annotation").is_none()) r.annotation = expr(a.attr("annotation"));
    return r;
  }

  Body body(py::handle list) {
    Body b;
    for (py::handle s : list) b.push_back(stmt(s));
    return b;
  }

  StmtPtr stmt(py::handle n) {
    std::string k = kind_of(n);
    SourceRange r = range_of(n);
    if (k == "Assign") {
      auto s = std::make_unique<Assign>(r);
      for (py::handle t : n.attr("targets")) s->targets.push_back(expr(t));
      s->value = expr(n.attr("value"));
      return s;
    }
    if (k == "AugAssign") {
      auto s = std::make_unique<AugAssign>(r);
      s->target = expr(n.attr("target"));
      std::optional<Op> op = binop(kind_of(n.attr("op")));
      s->op = op.value_or(Op::MatMult);
      s->value = expr(n.attr("value"));
      return s;
    }
    if (k == "AnnAssign") {
      auto s = std::make_unique<AnnAssign>(r);
      s->target = expr(n.attr("target"));
      s->annotation = expr(n.attr("annotation"));
      if (!n.attr("value").is_none()) s->value = expr(n.attr("value"));
      return s;
    }
    if (k == "Return") {
      auto s = std::make_unique<Return>(r);
      if (!n.attr("value").is_none()) s->value = expr(n.attr("value"));
      return s;
    }
    if (k == "If" || k == "While") {
      ExprPtr test = expr(n.attr("test"));
      Body b = body(n.attr("body")), o = body(n.attr("orelse"));
      if (k == "If") {
        auto s = std::make_unique<If>(r);
        s->test = std::move(test), s->body = std::move(b), s->orelse = std::move(o);
        return s;
      }
      auto s = std::make_unique<While>(r);
      s->test = std::move(test), s->body = std::move(b), s->orelse = std::move(o);
      return s;
    }
    if (k == "For") {
      auto s = std::make_unique<For>(r);
      s->target = expr(n.attr("target"));
      s->iter = expr(n.attr("iter"));
      s->body = body(n.attr("body"));
      s->orelse = body(n.attr("orelse"));
      return s;
    }
    if (k == "Delete") {
      auto s = std::make_unique<Delete>(r);
      for (py::handle t : n.attr("targets")) s->targets.push_back(expr(t));
      return s;
    }
    if (k == "With") return with(n, r, 0);
    if (k == "Break") return std::make_unique<Simple>(StmtKind::Break, r);
    if (k == "Continue") return std::make_unique<Simple>(StmtKind::Continue, r);
    if (k == "Pass") return std::make_unique<Simple>(StmtKind::Pass, r);
    if (k == "Expr") {
      auto s = std::make_unique<ExprStmt>(r);
      s->value = expr(n.attr("value"));
      return s;
    }
    // raise E / raise E(args): the statement $raise(E(args)) (infer_strings.cpp); a bare raise or
    // `raise ... from ...` stays unsupported
    if (k == "Raise" && !n.attr("exc").is_none() && n.attr("cause").is_none()) {
      auto s = std::make_unique<ExprStmt>(r);
      std::vector<ExprPtr> one;
      one.push_back(expr(n.attr("exc")));
      s->value = internal(r, "$raise", std::move(one));
      return s;
    }
    // assert c, msg: if not c: $raise($AssertionError(msg)) (CPython's own AssertionError)
    if (k == "Assert") {
      auto s = std::make_unique<If>(r);
      s->test = std::make_unique<UnaryOp>(r, UnaryOpKind::Not, expr(n.attr("test")));
      std::vector<ExprPtr> msg;
      if (!n.attr("msg").is_none()) msg.push_back(expr(n.attr("msg")));
      std::vector<ExprPtr> one;
      one.push_back(internal(r, "$AssertionError", std::move(msg)));
      auto raise = std::make_unique<ExprStmt>(r);
      raise->value = internal(r, "$raise", std::move(one));
      s->body.push_back(std::move(raise));
      return s;
    }
    return std::make_unique<UnsupportedStmt>(r, k);
  }

  // with a as x, b as y: body -> nested with-Ifs, one per item (ast.h, If::with)
  StmtPtr with(py::handle n, SourceRange r, size_t item) {
    py::list items = n.attr("items");
    py::handle it = items[item];
    py::handle target = it.attr("optional_vars");
    if (!target.is_none() && kind_of(target) != "Name")
      return std::make_unique<UnsupportedStmt>(r, "With");
    std::string hidden = "$w" + std::to_string(++m_withs);
    auto s = std::make_unique<If>(r);
    s->with = true;
    SourceRange er = range_of(it.attr("context_expr"));
    s->test = std::make_unique<NamedExpr>(er, hidden, expr(it.attr("context_expr")));
    if (!target.is_none()) {
      auto a = std::make_unique<Assign>(range_of(target));
      a->targets.push_back(std::make_unique<Name>(range_of(target), target.attr("id").cast<std::string>()));
      a->value = std::make_unique<Name>(er, hidden);
      s->body.push_back(std::move(a));
    }
    if (item + 1 < py::len(items)) {
      s->body.push_back(with(n, r, item + 1));
    } else {
      Body b = body(n.attr("body"));
      for (auto &x : b) s->body.push_back(std::move(x));
    }
    return s;
  }
  int m_withs = 0;

  static std::optional<Op> binop(const std::string &k) {
    static const std::pair<const char *, Op> table[] = {
        {"Add", Op::Add}, {"Sub", Op::Sub}, {"Mult", Op::Mult}, {"Div", Op::Div}, {"FloorDiv", Op::FloorDiv},
        {"Mod", Op::Mod}, {"Pow", Op::Pow}, {"LShift", Op::LShift}, {"RShift", Op::RShift},
        {"BitOr", Op::BitOr}, {"BitXor", Op::BitXor}, {"BitAnd", Op::BitAnd}, {"MatMult", Op::MatMult}};
    for (auto &[name, op] : table)
      if (k == name) return op;
    return std::nullopt;
  }

  // _PyUnicode_TransformDecimalAndSpaceToASCII (Objects/unicodeobject.c), which float() applies
  // before parsing, with CPython's own Unicode database.
  static std::string numeric_text(py::handle v) {
    PyObject *u = v.ptr();
    Py_ssize_t len = PyUnicode_GET_LENGTH(u);
    int kind = PyUnicode_KIND(u);
    const void *data = PyUnicode_DATA(u);
    std::string out;
    for (Py_ssize_t i = 0; i < len; ++i) {
      Py_UCS4 ch = PyUnicode_READ(kind, data, i);
      if (ch < 127) {
        out.push_back(char(ch));
      } else if (Py_UNICODE_ISSPACE(ch)) {
        out.push_back(' ');
      } else {
        int decimal = Py_UNICODE_TODECIMAL(ch);
        if (decimal < 0) {
          out.push_back('?');
          break;
        }
        out.push_back(char('0' + decimal));
      }
    }
    return out;
  }

  ExprPtr constant(py::handle n, SourceRange r) {
    auto c = std::make_unique<Constant>(r);
    py::handle v = n.attr("value");
    if (v.is_none()) {
      c->value_kind = Constant::Kind::None;
    } else if (PyBool_Check(v.ptr())) {
      c->value_kind = Constant::Kind::Bool;
      c->bool_value = v.ptr() == Py_True;
    } else if (PyLong_CheckExact(v.ptr())) {
      int overflow = 0;
      long long x = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
      if (overflow) {
        c->value_kind = Constant::Kind::BigInt;
        c->str_value = py::str(v).cast<std::string>();
      } else {
        c->value_kind = Constant::Kind::Int;
        c->int_value = x;
      }
    } else if (PyFloat_CheckExact(v.ptr())) {
      c->value_kind = Constant::Kind::Float;
      c->float_value = PyFloat_AsDouble(v.ptr());
    } else if (PyUnicode_CheckExact(v.ptr())) {
      c->value_kind = Constant::Kind::Str;
      // UTF-8, with a lone surrogate ('\ud800' is a valid literal) encoded like any code point;
      // the write hook decodes with the same error handler, so sys.stdout gets the same str.
      py::bytes utf8 = py::reinterpret_steal<py::bytes>(PyUnicode_AsEncodedString(v.ptr(), "utf-8", "surrogatepass"));
      if (!utf8) throw py::error_already_set();
      c->str_value = std::string(utf8);
      c->repr = py::repr(v).cast<std::string>();
      c->numeric_text = numeric_text(v);
    } else if (PyComplex_CheckExact(v.ptr())) {  // 2j
      c->value_kind = Constant::Kind::Complex;
      c->float_value = PyComplex_ImagAsDouble(v.ptr());
      c->repr = py::repr(v).cast<std::string>();
    } else if (PyBytes_CheckExact(v.ptr())) {
      c->value_kind = Constant::Kind::Bytes;
      c->str_value = std::string(PyBytes_AS_STRING(v.ptr()), size_t(PyBytes_GET_SIZE(v.ptr())));
      c->repr = py::repr(v).cast<std::string>();
    } else {
      return std::make_unique<UnsupportedExpr>(r, "Constant", py::repr(v).cast<std::string>());
    }
    return c;
  }

  // An internal call: `$fstring`, `$format`, `$str`, `$repr`, `$ascii` (names no Python code can
  // bind), which infer and lower treat as builtins that cannot be rebound.
  static ExprPtr internal(SourceRange r, const char *name, std::vector<ExprPtr> args) {
    auto c = std::make_unique<Call>(r);
    c->func = std::make_unique<Name>(r, name);
    c->args = std::move(args);
    return c;
  }

  // f"a{x!r:>{w}}b" -> $fstring('a', $format($repr(x), $fstring('>', $format(w, ''))), 'b'): each
  // replacement field is format(value, spec) after its conversion, as CPython's FORMAT_VALUE does.
  ExprPtr joined(py::handle n, SourceRange r) {
    std::vector<ExprPtr> parts;
    for (py::handle v : n.attr("values")) {
      if (kind_of(v) != "FormattedValue") {
        parts.push_back(expr(v));
        continue;
      }
      SourceRange vr = range_of(v);
      ExprPtr value = expr(v.attr("value"));
      int conversion = v.attr("conversion").cast<int>();
      if (conversion == 's' || conversion == 'r' || conversion == 'a') {
        std::vector<ExprPtr> one;
        one.push_back(std::move(value));
        value = internal(vr, conversion == 's' ? "$str" : conversion == 'r' ? "$repr" : "$ascii", std::move(one));
      }
      std::vector<ExprPtr> args;
      args.push_back(std::move(value));
      if (!v.attr("format_spec").is_none()) args.push_back(expr(v.attr("format_spec")));
      parts.push_back(internal(vr, "$format", std::move(args)));
    }
    return internal(r, "$fstring", std::move(parts));
  }

  ExprPtr expr(py::handle n) {
    std::string k = kind_of(n);
    SourceRange r = range_of(n);
    if (k == "Constant") return constant(n, r);
    if (k == "Name") return std::make_unique<Name>(r, n.attr("id").cast<std::string>());
    if (k == "JoinedStr") return joined(n, r);
    if (k == "BinOp") {
      std::optional<Op> op = binop(kind_of(n.attr("op")));
      return std::make_unique<BinOp>(r, expr(n.attr("left")), op.value_or(Op::MatMult), expr(n.attr("right")));
    }
    if (k == "UnaryOp") {
      std::string ok = kind_of(n.attr("op"));
      UnaryOpKind op = ok == "Invert" ? UnaryOpKind::Invert
                       : ok == "Not"  ? UnaryOpKind::Not
                       : ok == "UAdd" ? UnaryOpKind::UAdd
                                      : UnaryOpKind::USub;
      return std::make_unique<UnaryOp>(r, op, expr(n.attr("operand")));
    }
    if (k == "BoolOp") {
      auto b = std::make_unique<BoolOp>(r, kind_of(n.attr("op")) == "And" ? BoolOpKind::And : BoolOpKind::Or);
      for (py::handle v : n.attr("values")) b->values.push_back(expr(v));
      return b;
    }
    if (k == "Compare") {
      static const std::pair<const char *, CmpOp> table[] = {
          {"Eq", CmpOp::Eq}, {"NotEq", CmpOp::NotEq}, {"Lt", CmpOp::Lt}, {"LtE", CmpOp::LtE},
          {"Gt", CmpOp::Gt}, {"GtE", CmpOp::GtE}, {"Is", CmpOp::Is}, {"IsNot", CmpOp::IsNot},
          {"In", CmpOp::In}, {"NotIn", CmpOp::NotIn}};
      auto c = std::make_unique<Compare>(r);
      c->left = expr(n.attr("left"));
      for (py::handle o : n.attr("ops")) {
        std::string ok = kind_of(o);
        for (auto &[name, op] : table)
          if (ok == name) c->ops.push_back(op);
      }
      for (py::handle v : n.attr("comparators")) c->comparators.push_back(expr(v));
      return c;
    }
    if (k == "Call") {
      auto c = std::make_unique<Call>(r);
      c->func = expr(n.attr("func"));
      for (py::handle a : n.attr("args")) {
        if (kind_of(a) == "Starred") c->has_star_args = true;
        c->args.push_back(expr(a));
      }
      for (py::handle kw : n.attr("keywords")) {
        if (kw.attr("arg").is_none()) {
          c->has_star_args = true;
          continue;
        }
        c->keywords.push_back({kw.attr("arg").cast<std::string>(), expr(kw.attr("value"))});
      }
      return c;
    }
    if (k == "IfExp") {
      auto e = std::make_unique<IfExp>(r);
      e->test = expr(n.attr("test"));
      e->body = expr(n.attr("body"));
      e->orelse = expr(n.attr("orelse"));
      return e;
    }
    if (k == "Attribute") return std::make_unique<Attribute>(r, expr(n.attr("value")), n.attr("attr").cast<std::string>());
    if (k == "NamedExpr") {
      py::handle t = n.attr("target");
      if (kind_of(t) != "Name") return std::make_unique<UnsupportedExpr>(r, "NamedExpr");
      return std::make_unique<NamedExpr>(r, t.attr("id").cast<std::string>(), expr(n.attr("value")));
    }
    if (k == "Tuple") {
      auto t = std::make_unique<Tuple>(r);
      for (py::handle e : n.attr("elts")) t->elts.push_back(expr(e));
      return t;
    }
    if (k == "List") {
      auto t = std::make_unique<List>(r);
      for (py::handle e : n.attr("elts")) t->elts.push_back(expr(e));
      return t;
    }
    if (k == "Set") {
      auto t = std::make_unique<SetExpr>(r);
      for (py::handle e : n.attr("elts")) t->elts.push_back(expr(e));
      return t;
    }
    if (k == "Dict") {
      auto d = std::make_unique<Dict>(r);
      for (py::handle e : n.attr("keys")) d->keys.push_back(e.is_none() ? nullptr : expr(e));
      for (py::handle e : n.attr("values")) d->values.push_back(expr(e));
      return d;
    }
    if (k == "Subscript") return std::make_unique<Subscript>(r, expr(n.attr("value")), expr(n.attr("slice")));
    if (k == "Slice") {
      auto s = std::make_unique<Slice>(r);
      if (!n.attr("lower").is_none()) s->lower = expr(n.attr("lower"));
      if (!n.attr("upper").is_none()) s->upper = expr(n.attr("upper"));
      if (!n.attr("step").is_none()) s->step = expr(n.attr("step"));
      return s;
    }
    if (k == "Starred") return std::make_unique<Starred>(r, expr(n.attr("value")));
    if (k == "Lambda") {
      py::handle a = n.attr("args");
      if (py::len(a.attr("posonlyargs")) || !a.attr("vararg").is_none() || py::len(a.attr("kwonlyargs")) ||
          !a.attr("kwarg").is_none() || py::len(a.attr("defaults")))
        return std::make_unique<UnsupportedExpr>(r, "Lambda", "parameters other than positional ones");
      auto l = std::make_unique<Lambda>(r);
      for (py::handle p : a.attr("args")) l->params.push_back(p.attr("arg").cast<std::string>());
      l->body = expr(n.attr("body"));
      return l;
    }
    if (k == "ListComp" || k == "SetComp" || k == "GeneratorExp" || k == "DictComp") {
      ExprKind ek = k == "ListComp" ? ExprKind::ListComp : k == "SetComp" ? ExprKind::SetComp
                    : k == "DictComp" ? ExprKind::DictComp : ExprKind::GeneratorExp;
      auto c = std::make_unique<Comp>(ek, r);
      if (k == "DictComp") {
        c->key = expr(n.attr("key"));
        c->value = expr(n.attr("value"));
      } else {
        c->elt = expr(n.attr("elt"));
      }
      for (py::handle g : n.attr("generators")) {
        if (g.attr("is_async").cast<int>()) return std::make_unique<UnsupportedExpr>(r, "async comprehension");
        Comprehension cg;
        cg.target = expr(g.attr("target"));
        cg.iter = expr(g.attr("iter"));
        for (py::handle i : g.attr("ifs")) cg.ifs.push_back(expr(i));
        c->generators.push_back(std::move(cg));
      }
      return c;
    }
    return std::make_unique<UnsupportedExpr>(r, k);
  }
};

py::object parse_tree(const std::string &text, const std::string &filename, int first_line) {
  py::module_ pyast = py::module_::import("ast");
  py::object tree = pyast.attr("parse")(text, filename);
  if (first_line > 1) pyast.attr("increment_lineno")(tree, first_line - 1);
  return tree;
}

}  // namespace

ParseResult parse_function(const FunctionSource &source) {
  ParseResult result;
  try {
    py::object tree = parse_tree(source.source, source.filename, source.first_line);
    for (py::handle n : tree.attr("body")) {
      std::string k = kind_of(n);
      if (k == "FunctionDef") {
        result.fn = Converter().function(n);
        return result;
      }
      if (k == "AsyncFunctionDef") {
        result.error = make_fallback(FallbackCode::Generator, source.name, "async functions are not compiled",
                                     "AsyncFunctionDef", range_of(n).line);
        return result;
      }
    }
    result.error = make_fallback(FallbackCode::SourceUnavailable, source.name, "no 'def' found in the source text",
                                 "source", source.first_line);
  } catch (py::error_already_set &e) {
    // Ctrl-C while CPython's ast module ran: the KeyboardInterrupt goes on to the caller (the
    // decorator or the call), not into a fallback that would swallow it
    if (e.matches(PyExc_KeyboardInterrupt)) throw;
    result.error = make_fallback(FallbackCode::SourceUnavailable, source.name,
                                 std::string("the source could not be parsed: ") + e.what(), "SyntaxError",
                                 source.first_line);
  }
  return result;
}

std::unique_ptr<ast::Module> parse_module(const std::string &text, const std::string &filename) {
  auto module = std::make_unique<ast::Module>();
  module->filename = filename;
  py::object tree;
  try {
    tree = parse_tree(text, filename, 1);
  } catch (py::error_already_set &e) {
    throw std::runtime_error(e.what());
  }
  for (py::handle n : tree.attr("body"))
    if (kind_of(n) == "FunctionDef") module->functions.push_back(Converter().function(n));
  return module;
}

}  // namespace pyvorin
