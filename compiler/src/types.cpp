// The type lattice's parametric types: interned nodes, names, joins and the dispatcher's tags.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <tuple>

#include "types.h"

namespace pyvorin {
namespace {

struct Node {
  Kind kind;
  std::vector<Ty> args;
  int depth;
  uint32_t extra;  // NpScalar: the dtype; Array: ndim | layout << 8 | readonly << 10
};
constexpr int kMaxDepth = 6;  // deeper types (a list that contains itself) are conflicts

// Interned nodes are never freed: a type made by one compile may be met again by the next.
struct Registry {
  std::mutex lock;
  std::deque<Node> nodes;  // index i+1 in a Ty's upper bits (0 is a scalar)
  std::map<std::tuple<Kind, std::vector<uint32_t>, uint32_t>, uint32_t> index;
};
Registry &registry() {
  static Registry *r = new Registry();
  return *r;
}

const std::vector<Ty> kNoArgs;

}  // namespace

Ty Ty::make(Kind k, std::vector<Ty> args) {
  // A Python-or-NumPy scalar lives in variables and in tuples (a value with its flag, boxed as
  // the one it is), not in containers whose items must share one type.
  for (Ty a : args)
    if (a.weak() && k != Kind::Tuple) return Ty::Top;
  return make_extra(k, std::move(args), 0);
}

Ty Ty::make_extra(Kind k, std::vector<Ty> args, uint32_t extra) {
  Registry &r = registry();
  std::vector<uint32_t> key;
  for (Ty a : args) key.push_back(a.m_id);
  std::lock_guard<std::mutex> g(r.lock);
  auto it = r.index.find({k, key, extra});
  if (it != r.index.end()) return Ty(it->second);
  int depth = 1;
  for (Ty a : args)
    if ((a.m_id >> 8) != 0) depth = std::max(depth, 1 + r.nodes[(a.m_id >> 8) - 1].depth);
  if (depth > kMaxDepth) return Ty::Top;
  r.nodes.push_back({k, std::move(args), depth, extra});
  uint32_t id = (uint32_t(r.nodes.size()) << 8) | uint32_t(k);
  r.index[{k, key, extra}] = id;
  return Ty(id);
}

uint32_t Ty::extra() const {
  if ((m_id >> 8) == 0) return 0;
  Registry &r = registry();
  std::lock_guard<std::mutex> g(r.lock);
  return r.nodes[(m_id >> 8) - 1].extra;
}

Ty Ty::np_scalar(DType d, bool weak) { return make_extra(Kind::NpScalar, {}, uint32_t(d) | uint32_t(weak) << 8); }

Ty Ty::array(DType d, int ndim, Layout layout, bool readonly) {
  if (ndim <= 1 && layout == Layout::F) layout = Layout::C;  // one axis: C and F are the same
  return make_extra(Kind::Array, {np_scalar(d)}, uint32_t(ndim) | uint32_t(layout) << 8 | uint32_t(readonly) << 10);
}

DType Ty::dtype() const {
  if (kind() == Kind::Array) return elem().dtype();
  return DType(extra() & 0xff);
}

const char *dtype_name(DType d) {
  static const char *names[] = {"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                "float32", "float64", "complex64", "complex128"};
  return names[int(d)];
}

int dtype_size(DType d) {
  static const int sizes[] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16};
  return sizes[int(d)];
}

bool scalar_dtype(Ty t, DType *out) {
  if (t == Ty::Int) *out = DType::I64;
  else if (t == Ty::Float) *out = DType::F64;
  else if (t == Ty::Bool) *out = DType::Bool;
  else if (t == Ty::Complex) *out = DType::C128;
  else if (t.kind() == Kind::NpScalar) *out = t.dtype();
  else return false;
  return true;
}

DType promote(DType a, DType b) {
  if (a == b) return a;
  if (a == DType::Bool) return b;
  if (b == DType::Bool) return a;
  auto bits = [](DType d) { return dtype_size(d) * 8; };
  bool ca = dtype_is_complex(a), cb = dtype_is_complex(b);
  bool fa = dtype_is_float(a), fb = dtype_is_float(b);
  if (ca || cb) {
    // complex64 holds float32 and ints of up to 16 bits; anything wider needs complex128
    DType other = ca ? b : a;
    if (ca && cb) return a == DType::C128 || b == DType::C128 ? DType::C128 : DType::C64;
    DType c = ca ? a : b;
    if (c == DType::C128) return c;
    if (other == DType::F64 || (dtype_is_int(other) && bits(other) > 16)) return DType::C128;
    return DType::C64;
  }
  if (fa || fb) {
    if (fa && fb) return DType::F64;  // they differ: float32 and float64
    DType f = fa ? a : b, i = fa ? b : a;
    if (f == DType::F64) return f;
    return bits(i) <= 16 ? DType::F32 : DType::F64;
  }
  bool ua = dtype_is_unsigned(a), ub = dtype_is_unsigned(b);
  auto sized = [](bool unsign, int nbits) {
    switch (nbits) {
      case 8: return unsign ? DType::U8 : DType::I8;
      case 16: return unsign ? DType::U16 : DType::I16;
      case 32: return unsign ? DType::U32 : DType::I32;
      default: return unsign ? DType::U64 : DType::I64;
    }
  };
  if (ua == ub) return sized(ua, std::max(bits(a), bits(b)));
  DType u = ua ? a : b, s = ua ? b : a;
  if (bits(u) < bits(s)) return s;
  if (bits(u) == 64) return DType::F64;  // uint64 with a signed int: no integer holds both
  return sized(false, bits(u) * 2);
}

const std::vector<Ty> &Ty::args() const {
  if ((m_id >> 8) == 0) return kNoArgs;
  Registry &r = registry();
  std::lock_guard<std::mutex> g(r.lock);
  return r.nodes[(m_id >> 8) - 1].args;  // a deque never moves its elements
}

Ty Ty::optional(Ty t) {
  if (t == Ty::None || t.kind() == Kind::Optional || t == Ty::Bottom || t == Ty::Top) return t;
  return make(Kind::Optional, {t});
}

Ty join(Ty a, Ty b) {
  if (a == Ty::Bottom) return b;
  if (b == Ty::Bottom || a == b) return a;
  if (a == Ty::Top || b == Ty::Top) return Ty::Top;
  // T | None
  if (a == Ty::None) return b.kind() == Kind::Optional ? b : Ty::optional(b);
  if (b == Ty::None) return a.kind() == Kind::Optional ? a : Ty::optional(a);
  if (a.kind() == Kind::Optional || b.kind() == Kind::Optional) {
    Ty x = a.kind() == Kind::Optional ? a.elem() : a;
    Ty y = b.kind() == Kind::Optional ? b.elem() : b;
    Ty j = join(x, y);
    return j == Ty::Top ? Ty::Top : Ty::optional(j);
  }
  // tuples of different lengths, or a fixed tuple and tuple[T, ...]: tuple[T, ...] when the items share a type
  if (is_tuple(a) && is_tuple(b) && (a.kind() != b.kind() || a.args().size() != b.args().size())) {
    Ty j = join(tuple_items_join(a), tuple_items_join(b));
    return j == Ty::Top ? Ty::Top : Ty::tuple_of(j);
  }
  // arrays of one dtype and ndim whose layouts differ: any strides
  if (a.kind() == Kind::Array && b.kind() == Kind::Array) {
    if (a.dtype() != b.dtype() || a.ndim() != b.ndim()) return Ty::Top;
    Layout l = a.layout() == b.layout() ? a.layout() : Layout::A;
    return Ty::array(a.dtype(), a.ndim(), l, a.readonly() || b.readonly());
  }
  if (a.kind() == Kind::NpScalar || b.kind() == Kind::NpScalar) {
    // float and np.float64, int and np.int64, bool and np.bool_, complex and np.complex128: the
    // same values, boxed either way
    DType da, db;
    if (!scalar_dtype(a, &da) || !scalar_dtype(b, &db) || da != db ||
        (da != DType::F64 && da != DType::I64 && da != DType::Bool && da != DType::C128))
      return Ty::Top;
    return Ty::np_scalar(da, true);
  }
  if (a.kind() != b.kind() || a.args().size() != b.args().size() || a.args().empty()) return Ty::Top;
  std::vector<Ty> args;
  for (size_t i = 0; i < a.args().size(); ++i) {
    Ty j = join(a.args()[i], b.args()[i]);
    if (j == Ty::Top) return Ty::Top;
    args.push_back(j);
  }
  return Ty::make(a.kind(), std::move(args));
}

std::string ty_name(Ty t) {
  switch (t.kind()) {
    case Kind::Bottom: return "unknown";
    case Kind::None: return "None";
    case Kind::Bool: return "bool";
    case Kind::Int: return "int";
    case Kind::Float: return "float";
    case Kind::Str: return "str";
    case Kind::Bytes: return "bytes";
    case Kind::ByteArray: return "bytearray";
    case Kind::Complex: return "complex";
    case Kind::File: return t.elem() == Ty::Bytes ? "file[bytes]" : "file[str]";
    case Kind::Top: return "conflict";
    case Kind::Range: return "range";
    case Kind::Optional: return ty_name(t.elem()) + " | None";
    case Kind::Iter: return "iterable[" + (t.elem() == Ty::Bottom ? std::string("?") : ty_name(t.elem())) + "]";
    case Kind::TupleN: return "tuple[" + (t.elem() == Ty::Bottom ? std::string("?") : ty_name(t.elem())) + ", ...]";
    case Kind::NpScalar: {
      std::string np = t.dtype() == DType::Bool ? "np.bool_" : std::string("np.") + dtype_name(t.dtype());
      if (t.weak()) return std::string(t.dtype() == DType::F64 ? "float" : t.dtype() == DType::I64 ? "int" : "bool") + " | " + np;
      return np;
    }
    case Kind::Array: {
      static const char *layouts[] = {"C", "F", "A"};
      return std::string("ndarray[") + dtype_name(t.dtype()) + ", " + std::to_string(t.ndim()) + ", " + layouts[int(t.layout())] +
             (t.readonly() ? ", readonly" : "") + "]";
    }
    default: break;
  }
  const char *base = t.kind() == Kind::List ? "list" : t.kind() == Kind::Tuple ? "tuple" : t.kind() == Kind::Dict ? "dict" : "set";
  const auto &args = t.args();
  if (t.kind() == Kind::Tuple && args.empty()) return "tuple[()]";
  std::string s = std::string(base) + "[";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += ", ";
    // an empty container's element: nothing known yet
    s += args[i] == Ty::Bottom ? "?" : ty_name(args[i]);
  }
  return s + "]";
}

std::string py_type_name(Ty t) {
  switch (t.kind()) {
    case Kind::None: return "NoneType";
    case Kind::List: return "list";
    case Kind::Tuple: case Kind::TupleN: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
    case Kind::File: return t.elem() == Ty::Bytes ? "_io.BufferedReader" : "_io.TextIOWrapper";
    case Kind::Optional: return py_type_name(t.elem());
    case Kind::NpScalar: return t.dtype() == DType::Bool ? "numpy.bool_" : std::string("numpy.") + dtype_name(t.dtype());
    case Kind::Array: return "numpy.ndarray";
    default: return ty_name(t);
  }
}

Ty tuple_items_join(Ty t) {
  if (t.kind() == Kind::TupleN) return t.elem();
  Ty j = Ty::Bottom;
  for (Ty a : t.args()) j = join(j, a);
  return j;
}

bool is_partial(Ty t) {
  if (t == Ty::Bottom || t == Ty::Top) return true;
  for (Ty a : t.args())
    if (is_partial(a)) return true;
  return false;
}

bool has_top(Ty t) {
  if (t == Ty::Top) return true;
  for (Ty a : t.args())
    if (has_top(a)) return true;
  return false;
}

namespace {
Ty decode(const std::vector<TypeTag> &tags, size_t &i) {
  if (i >= tags.size()) return Ty::Top;
  TypeTag t = tags[i++];
  switch (t) {
    case TypeTag::None: return Ty::None;
    case TypeTag::Bool: return Ty::Bool;
    case TypeTag::Int: return Ty::Int;
    case TypeTag::Float: return Ty::Float;
    case TypeTag::Str: return Ty::Str;
    case TypeTag::Bytes: return Ty::Bytes;
    case TypeTag::ByteArray: return Ty::ByteArray;
    case TypeTag::Complex: return Ty::Complex;
    case TypeTag::TextFile: return Ty::file(Ty::Str);
    case TypeTag::BinaryFile: return Ty::file(Ty::Bytes);
    case TypeTag::Range: return Ty::Range;
    case TypeTag::Unknown: return Ty::Bottom;
    case TypeTag::List: return Ty::list(decode(tags, i));
    case TypeTag::Set: return Ty::set(decode(tags, i));
    case TypeTag::Dict: {
      Ty k = decode(tags, i);
      return Ty::dict(k, decode(tags, i));
    }
    case TypeTag::Tuple: {
      if (i >= tags.size()) return Ty::Top;
      int n = int(tags[i++]);
      std::vector<Ty> items;
      for (int k = 0; k < n; ++k) items.push_back(decode(tags, i));
      return Ty::tuple(std::move(items));
    }
    case TypeTag::TupleN: return Ty::tuple_of(decode(tags, i));
    case TypeTag::NpScalar: {
      if (i >= tags.size() || int(tags[i]) < 0 || int(tags[i]) > int(DType::C128)) return Ty::Top;
      return Ty::np_scalar(DType(int(tags[i++])));
    }
    case TypeTag::Array: {
      if (i + 3 > tags.size() || int(tags[i]) < 0 || int(tags[i]) > int(DType::C128)) return Ty::Top;
      DType d = DType(int(tags[i]));
      int ndim = int(tags[i + 1]), flags = int(tags[i + 2]);
      i += 3;
      return Ty::array(d, ndim, Layout(flags & 3), (flags >> 2) & 1);
    }
    case TypeTag::Object: break;
  }
  return Ty::Top;
}
}  // namespace

std::vector<Ty> types_from_tags(const std::vector<TypeTag> &tags) {
  std::vector<Ty> out;
  size_t i = 0;
  while (i < tags.size()) out.push_back(decode(tags, i));
  return out;
}

namespace {
// name := scalar | family '[' name (',' name)* ']'
bool parse_name(const std::string &s, size_t &i, std::vector<TypeTag> &out) {
  auto skip = [&] {
    while (i < s.size() && s[i] == ' ') ++i;
  };
  skip();
  size_t start = i;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '.')) ++i;
  std::string word = s.substr(start, i - start);
  skip();
  // NumPy: float64, np.int32, numpy.bool_ (scalars); ndarray[float64, 2, C] (C, F or A; ", readonly")
  static const char *dtypes[] = {"bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                 "float32", "float64", "complex64", "complex128"};
  auto dtype_code = [&](std::string w) {
    if (w.rfind("np.", 0) == 0) w = w.substr(3);
    else if (w.rfind("numpy.", 0) == 0) w = w.substr(6);
    else if (w.rfind("pyvorin.", 0) == 0) w = w.substr(8);
    if (w == "bool") w = "bool_";
    for (int k = 0; k < 13; ++k)
      if (w == dtypes[k]) return k;
    return -1;
  };
  if (word != "bool" && dtype_code(word) >= 0 && (i >= s.size() || s[i] != '[')) {
    out.push_back(TypeTag::NpScalar);
    out.push_back(TypeTag(dtype_code(word)));
    return true;
  }
  if ((word == "ndarray" || word == "np.ndarray" || word == "numpy.ndarray") && i < s.size() && s[i] == '[') {
    size_t close = s.find(']', i);
    if (close == std::string::npos) return false;
    std::vector<std::string> parts;
    std::string cur;
    for (size_t k = i + 1; k < close; ++k) {
      if (s[k] == ',') parts.push_back(cur), cur.clear();
      else if (s[k] != ' ') cur += s[k];
    }
    parts.push_back(cur);
    if (parts.size() < 2 || parts.size() > 4) return false;
    int d = dtype_code(parts[0]);
    int nd = std::atoi(parts[1].c_str());
    if (d < 0 || nd < 0 || nd > 32 || parts[1].find_first_not_of("0123456789") != std::string::npos) return false;
    int layout = 0;
    bool readonly = false;
    for (size_t k = 2; k < parts.size(); ++k) {
      if (parts[k] == "C") layout = 0;
      else if (parts[k] == "F") layout = 1;
      else if (parts[k] == "A") layout = 2;
      else if (parts[k] == "readonly") readonly = true;
      else return false;
    }
    out.push_back(TypeTag::Array);
    out.push_back(TypeTag(d));
    out.push_back(TypeTag(nd));
    out.push_back(TypeTag(layout | int(readonly) << 2));
    i = close + 1;
    skip();
    return true;
  }
  static const std::map<std::string, TypeTag> scalars = {{"int", TypeTag::Int}, {"float", TypeTag::Float}, {"bool", TypeTag::Bool},
                                                         {"str", TypeTag::Str}, {"bytes", TypeTag::Bytes}, {"bytearray", TypeTag::ByteArray}, {"None", TypeTag::None}, {"range", TypeTag::Range},
                                                         {"complex", TypeTag::Complex}};
  if (scalars.count(word) && (i >= s.size() || s[i] != '[')) {
    out.push_back(scalars.at(word));
    return true;
  }
  if (i >= s.size() || s[i] != '[') return false;
  ++i;
  std::vector<std::vector<TypeTag>> items;
  for (;;) {
    std::vector<TypeTag> item;
    if (!parse_name(s, i, item)) return false;
    items.push_back(item);
    skip();
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    if (i < s.size() && s[i] == ']') {
      ++i;
      break;
    }
    return false;
  }
  skip();
  if ((word == "list" || word == "set") && items.size() == 1) out.push_back(word == "list" ? TypeTag::List : TypeTag::Set);
  else if (word == "dict" && items.size() == 2) out.push_back(TypeTag::Dict);
  else if (word == "tuple" && items.size() <= 16) {
    out.push_back(TypeTag::Tuple);
    out.push_back(TypeTag(int(items.size())));
  } else return false;
  for (auto &it : items) out.insert(out.end(), it.begin(), it.end());
  return true;
}
}  // namespace

bool tags_from_name(const std::string &name, std::vector<TypeTag> &out) {
  size_t i = 0;
  std::vector<TypeTag> tags;
  if (!parse_name(name, i, tags) || i != name.size()) return false;
  out.insert(out.end(), tags.begin(), tags.end());
  return true;
}

std::vector<std::string> describe_tags(const std::vector<TypeTag> &tags) {
  std::vector<std::string> out;
  for (Ty t : types_from_tags(tags)) out.push_back(ty_name(t));
  return out;
}

void tags_from_type(Ty t, std::vector<TypeTag> &out) {
  switch (t.kind()) {
    case Kind::None: out.push_back(TypeTag::None); return;
    case Kind::Bool: out.push_back(TypeTag::Bool); return;
    case Kind::Int: out.push_back(TypeTag::Int); return;
    case Kind::Float: out.push_back(TypeTag::Float); return;
    case Kind::Str: out.push_back(TypeTag::Str); return;
    case Kind::Bytes: out.push_back(TypeTag::Bytes); return;
    case Kind::ByteArray: out.push_back(TypeTag::ByteArray); return;
    case Kind::Complex: out.push_back(TypeTag::Complex); return;
    case Kind::File: out.push_back(t.elem() == Ty::Bytes ? TypeTag::BinaryFile : TypeTag::TextFile); return;
    case Kind::Range: out.push_back(TypeTag::Range); return;
    case Kind::Bottom: out.push_back(TypeTag::Unknown); return;
    case Kind::List: out.push_back(TypeTag::List); break;
    case Kind::Set: out.push_back(TypeTag::Set); break;
    case Kind::Dict: out.push_back(TypeTag::Dict); break;
    case Kind::TupleN: out.push_back(TypeTag::TupleN); break;
    case Kind::Tuple:
      out.push_back(TypeTag::Tuple);
      out.push_back(TypeTag(int(t.args().size())));
      break;
    case Kind::NpScalar:
      out.push_back(TypeTag::NpScalar);
      out.push_back(TypeTag(int(t.dtype())));
      return;
    case Kind::Array:
      out.push_back(TypeTag::Array);
      out.push_back(TypeTag(int(t.dtype())));
      out.push_back(TypeTag(t.ndim()));
      out.push_back(TypeTag(int(t.layout()) | int(t.readonly()) << 2));
      return;
    default: out.push_back(TypeTag::Object); return;
  }
  for (Ty a : t.args()) tags_from_type(a, out);
}

IndexChain index_chain(const ast::Expr &e, const Spec &spec) {
  using namespace ast;
  auto type = [&](const Expr &x) {
    auto it = spec.types.find(&x);
    return it == spec.types.end() ? Ty::None : it->second;
  };
  std::vector<const Subscript *> chain;
  const Expr *cur = &e;
  while (cur->kind == ExprKind::Subscript && is_array(type(*static_cast<const Subscript &>(*cur).value))) {
    chain.push_back(static_cast<const Subscript *>(cur));
    cur = static_cast<const Subscript &>(*cur).value.get();
  }
  IndexChain out;
  if (chain.empty()) return out;
  out.base = cur;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Expr &slice = *(*it)->slice;
    std::vector<const Expr *> items;
    if (slice.kind == ExprKind::Tuple)
      for (auto &x : static_cast<const Tuple &>(slice).elts) items.push_back(x.get());
    else
      items.push_back(&slice);
    out.items.push_back(std::move(items));
  }
  return out;
}

bool int_index(Ty t) { return t == Ty::Int || (is_np_scalar(t) && dtype_is_int(t.dtype())); }

bool int_literal(const ast::Expr &e, int64_t *v) {
  using namespace ast;
  if (e.kind == ExprKind::Constant && static_cast<const Constant &>(e).value_kind == Constant::Kind::Int) {
    *v = static_cast<const Constant &>(e).int_value;
    return true;
  }
  if (e.kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(e).op == UnaryOpKind::USub &&
      int_literal(*static_cast<const UnaryOp &>(e).operand, v) && *v != INT64_MIN) {
    *v = -*v;
    return true;
  }
  return false;
}

}  // namespace pyvorin
