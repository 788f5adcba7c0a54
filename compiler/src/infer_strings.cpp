// infer (text): the builtins over str, bytes and files (str, repr, format, ord, chr, int(s),
// float(s), bytes, open), and f-strings, which parse.cpp turns into the internal calls
// $fstring(parts...), $format(value[, spec]) and $str/$repr/$ascii(value).
#include <cstring>

#include "infer.h"

namespace pyvorin {

using namespace ast;

namespace {
const std::set<std::string> kTextBuiltins = {"str", "repr", "ascii", "format", "ord", "chr", "hex", "oct", "bin", "bytes", "open", "map"};

// open()'s mode: a literal, so the file's type (text or binary) is known.
bool literal_str(const Expr &e, std::string *out) {
  if (e.kind != ExprKind::Constant || static_cast<const Constant &>(e).value_kind != Constant::Kind::Str) return false;
  *out = static_cast<const Constant &>(e).str_value;
  return true;
}
}  // namespace

bool is_text_builtin(const std::string &name, const std::vector<Ty> &args) {
  if (name[0] == '$' || kTextBuiltins.count(name)) return true;
  if ((name == "int" || name == "float") && !args.empty() && is_text(args[0])) return true;
  if ((name == "min" || name == "max") && args.size() >= 2 && args[0] == Ty::Str) return true;
  return false;
}

namespace typing {

Ty Solver::text_builtin(const Call &c, const std::string &name, bool &handled) {
  // int(s)/float(s) with a str argument and min/max of strings; the others always
  bool maybe = name[0] == '$' || kTextBuiltins.count(name) || name == "int" || name == "float" || name == "min" || name == "max";
  if (!maybe) return Ty::Top;
  if ((name == "int" || name == "float") && c.args.empty()) return Ty::Top;
  if (name == "float" && c.args.size() == 1 && c.args[0]->kind == ExprKind::Constant) return Ty::Top;  // decided at compile time
  if ((name == "min" || name == "max") && c.args.size() < 2) return Ty::Top;
  if (name == "map") return map_call(c, handled);
  if (name == "$raise") return raise_call(c, handled);
  std::vector<Ty> args;
  for (auto &a : c.args) args.push_back(type(*a));
  std::vector<std::pair<std::string, Ty>> kws;
  for (auto &k : c.keywords) kws.push_back({k.arg, type(*k.value)});
  if (name == "int" || name == "float" || name == "min" || name == "max") {
    if (args[0] == Ty::Bottom) {
      handled = true;
      return Ty::Bottom;
    }
    if (!is_text(args[0])) return Ty::Top;  // the numeric builtins
  }
  handled = true;
  m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, name};
  for (Ty t : args)
    if (t == Ty::Bottom) return Ty::Bottom;
  for (auto &[k, t] : kws)
    if (t == Ty::Bottom) return Ty::Bottom;
  for (Ty t : args)
    if (has_top(t)) return Ty::Top;
  auto fail = [&](const std::string &why, const std::string &suggestion = {}) {
    std::string shown = name[0] == '$' ? "an f-string" : name + "()";
    error(FallbackCode::String, shown + ": " + why, name[0] == '$' ? "JoinedStr" : name, c.range.line, suggestion);
    return Ty::Top;
  };
  auto arity = [&](size_t lo, size_t hi) { return args.size() >= lo && args.size() <= hi; };
  auto no_keywords = [&] { return kws.empty(); };
  // Values whose text CPython would make from what compiled code holds: an iterable compiled as a
  // list (a generator expression, zip, enumerate) would print differently.
  auto printable = [&](Ty t) { return t.kind() != Kind::Iter && t.kind() != Kind::File; };
  if (name == "$fstring") {
    for (Ty t : args)
      if (t != Ty::Str) return fail("a part of type " + ty_name(t));
    return Ty::Str;
  }
  if (name == "$format" || name == "format") {
    if (!arity(1, 2) || !no_keywords()) return fail("takes a value and a format spec");
    if (!printable(args[0])) return fail("formatting a " + ty_name(args[0]) + " is not compiled");
    if (args.size() == 2 && args[1] != Ty::Str) return fail("format spec must be a str, not " + ty_name(args[1]));
    return Ty::Str;
  }
  if (name == "$str" || name == "$repr" || name == "$ascii" || name == "repr" || name == "ascii") {
    if (!arity(1, 1) || !no_keywords()) return fail("takes one argument");
    if (!printable(args[0])) return fail("the text of a " + ty_name(args[0]) + " is not compiled");
    return Ty::Str;
  }
  if (name == "str") {
    if (args.empty() && no_keywords()) return Ty::Str;
    if (args.size() == 1 && no_keywords()) {
      if (!printable(args[0])) return fail("the text of a " + ty_name(args[0]) + " is not compiled");
      return Ty::Str;
    }
    // str(b, encoding[, errors]): bytes decoded
    if (args[0] == Ty::Bytes && args.size() <= 3) {
      for (size_t i = 1; i < args.size(); ++i)
        if (args[i] != Ty::Str) return fail("encoding and errors must be str");
      for (auto &[k, t] : kws)
        if ((k != "encoding" && k != "errors") || t != Ty::Str) return fail("the keyword " + k + "= is not supported");
      return Ty::Str;
    }
    return fail("str() with these arguments is not compiled");
  }
  if (name == "ord") {
    if (!arity(1, 1) || !no_keywords() || !is_text(args[0])) return fail("ord() expected a string of length 1");
    return Ty::Int;
  }
  if (name == "chr" || name == "hex" || name == "oct" || name == "bin") {
    if (!arity(1, 1) || !no_keywords() || !is_integral(args[0]))
      return fail("takes one int, not " + (args.empty() ? std::string("nothing") : ty_name(args[0])));
    return Ty::Str;
  }
  if (name == "int") {
    if (!arity(1, 2)) return fail("takes a string and an optional base");
    if (args.size() == 2 && !is_integral(args[1])) return fail("the base must be an int");
    for (auto &[k, t] : kws)
      if (k != "base" || !is_integral(t) || args.size() != 1) return fail("the keyword " + k + "= is not supported");
    return Ty::Int;
  }
  if (name == "float") {
    if (!arity(1, 1) || !no_keywords()) return fail("takes one argument");
    return Ty::Float;
  }
  if (name == "min" || name == "max") {
    for (Ty t : args)
      if (t != Ty::Str) return fail("compares strings with strings only in compiled code, not " + ty_name(t));
    if (!no_keywords()) return fail("keywords are not supported with several arguments");
    return Ty::Str;
  }
  if (name == "bytes") {
    if (args.empty() && no_keywords()) return Ty::Bytes;
    Ty a = args[0];
    if (a == Ty::Str) {
      if (args.size() < 2 && kws.empty()) return fail("string argument without an encoding");
      for (size_t i = 1; i < args.size(); ++i)
        if (args[i] != Ty::Str) return fail("encoding and errors must be str");
      for (auto &[k, t] : kws)
        if ((k != "encoding" && k != "errors") || t != Ty::Str) return fail("the keyword " + k + "= is not supported");
      return Ty::Bytes;
    }
    if (!arity(1, 1) || !no_keywords()) return fail("takes one argument unless it is a str");
    if (is_integral(a) || is_byte_buffer(a)) return Ty::Bytes;
    Kind k = a.kind();
    if ((k == Kind::List || k == Kind::TupleN || k == Kind::Iter || k == Kind::Range) &&
        (k == Kind::Range || is_integral(a.elem()) || a.elem() == Ty::Bottom))
      return Ty::Bytes;
    if (k == Kind::Tuple && (tuple_items_join(a) == Ty::Int || tuple_items_join(a) == Ty::Bottom)) return Ty::Bytes;
    return fail("bytes() of a " + ty_name(a) + " is not compiled");
  }
  if (name == "open") {
    if (!arity(1, 2)) return fail("takes a path and a mode (the other arguments by keyword)");
    if (args[0] != Ty::Str) return fail("the path must be a str here, not " + ty_name(args[0]));
    std::string mode = "r";
    if (args.size() == 2 && !literal_str(*c.args[1], &mode))
      return fail("the mode must be a string literal, so that the file's type (text or binary) is known",
                  "write the mode as a literal: open(path, \"r\")");
    for (size_t i = 0; i < kws.size(); ++i) {
      const std::string &k = kws[i].first;
      Ty t = kws[i].second;
      if (k == "mode") {
        if (!literal_str(*c.keywords[i].value, &mode)) return fail("the mode must be a string literal");
        continue;
      }
      if ((k == "encoding" || k == "errors" || k == "newline") && (t == Ty::Str || t == Ty::None)) continue;
      if (k == "buffering" && is_integral(t)) continue;
      return fail("the keyword " + k + "= is not supported");
    }
    return Ty::file(mode.find('b') != std::string::npos ? Ty::Bytes : Ty::Str);
  }
  return fail("not supported");
}

// raise E or raise E(args) (parse.cpp: $raise(...)), E a builtin exception class; assert's
// $AssertionError(msg). The exception is made by calling the class with the boxed arguments and
// raised as CPython's RAISE_VARARGS does (pv_raise_object).
Ty Solver::raise_call(const Call &c, bool &handled) {
  handled = true;
  m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, "$raise"};
  const Expr &x = *c.args[0];
  auto fail = [&](const std::string &why) {
    error(FallbackCode::ExceptionHandling, "raise " + why, "Raise", c.range.line,
          "raise a builtin exception (ValueError(...), KeyError(...), ...), or keep this function in CPython");
    return Ty::Top;
  };
  auto exception_class = [&](const Expr &e) {
    if (e.kind != ExprKind::Name) return false;
    const std::string &id = static_cast<const Name &>(e).id;
    if (id == "$AssertionError") return true;
    if (m_spec->locals.count(id)) return false;
    const Binding *b = binding(id);
    if (!b || b->kind != Binding::Kind::Builtin) return false;
    const std::string &t = b->target;
    auto ends = [&](const char *suffix) {
      size_t n = std::strlen(suffix);
      return t.size() >= n && t.compare(t.size() - n, n, suffix) == 0;
    };
    return ends("Error") || ends("Exception") || ends("Warning") || t == "StopIteration" || t == "KeyboardInterrupt" ||
           t == "SystemExit" || t == "GeneratorExit";
  };
  if (exception_class(x)) {
    record(x, Ty::None);
    return Ty::None;
  }
  if (x.kind != ExprKind::Call || !exception_class(*static_cast<const Call &>(x).func))
    return fail("of anything but a builtin exception is not compiled");
  auto &call = static_cast<const Call &>(x);
  if (!call.keywords.empty() || call.has_star_args) return fail("with keyword or star arguments is not compiled");
  record(*call.func, Ty::None);
  for (auto &a : call.args) {
    Ty t = type(*a);
    if (t == Ty::Bottom) return Ty::Bottom;
    if (has_top(t)) return Ty::Top;
    if (t.kind() == Kind::Iter) return fail("with an iterator argument is not compiled");
  }
  record(x, Ty::None);
  return Ty::None;
}

// map(f, xs[, ys...]) with f a builtin (int, float, str, len, ord, chr, abs, bool, repr) or a
// jitted function: CPython's map object over the iterables, its items typed by f's result (and
// guarded where they are read).
Ty Solver::map_call(const Call &c, bool &handled) {
  handled = true;
  m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, "map"};
  auto fail = [&](const std::string &why) {
    for (size_t i = 1; i < c.args.size(); ++i) type(*c.args[i]);
    error(FallbackCode::UnsupportedCall, "map(): " + why, "map", c.range.line,
          "use a list comprehension, or map a builtin or a jitted function");
    return Ty::Top;
  };
  if (c.args.size() < 2 || !c.keywords.empty()) return fail("takes a function and at least one iterable");
  const Binding *b = key_function(*c.args[0]);
  if (!b) return fail("the function must be a builtin or a jitted function named directly");
  std::vector<Ty> elems;
  for (size_t i = 1; i < c.args.size(); ++i) {
    Ty t = type(*c.args[i]);
    if (t == Ty::Bottom) return Ty::Bottom;
    if (has_top(t)) return Ty::Top;
    Ty e = elem_of(t, *c.args[i]);
    if (e == Ty::Top) return Ty::Top;
    elems.push_back(e);
  }
  record(*c.args[0], Ty::None);  // passed as the function object itself
  for (Ty e : elems)
    if (e == Ty::Bottom) return Ty::make(Kind::Iter, {Ty::Bottom});  // an empty iterable: nothing is called
  if (b->kind == Binding::Kind::Function) {
    if (elems.size() != 1) return fail("a jitted function is mapped over one iterable");
    Ty r = native_key(*c.args[0], elems[0]);
    if (r == Ty::Bottom || r == Ty::Top || r == Ty::None) return r == Ty::None ? Ty::make(Kind::Iter, {Ty::None}) : r;
    return Ty::make(Kind::Iter, {r});
  }
  const std::string &f = b->target;
  if (elems.size() != 1) return fail("a builtin is mapped over one iterable");
  Ty e = elems[0];
  Ty r = Ty::Top;
  if (f == "int" && (is_text(e) || is_numeric(e))) r = Ty::Int;
  else if (f == "float" && (e == Ty::Str || is_numeric(e))) r = Ty::Float;
  else if ((f == "str" || f == "repr") && e.kind() != Kind::Iter) r = Ty::Str;
  else if (f == "len" && is_object(e)) r = Ty::Int;
  else if (f == "ord" && is_text(e)) r = Ty::Int;
  else if (f == "chr" && is_integral(e)) r = Ty::Str;
  else if (f == "abs" && is_numeric(e)) r = e == Ty::Float ? Ty::Float : Ty::Int;
  else if (f == "bool") r = Ty::Bool;
  if (r == Ty::Top) return fail(f + "() mapped over items of type " + ty_name(e) + " is not compiled");
  return Ty::make(Kind::Iter, {r});
}

}  // namespace typing
}  // namespace pyvorin
