// The type lattice's parametric types: interned nodes, names, joins and the dispatcher's tags.
#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <mutex>

#include "types.h"

namespace pyvorin {
namespace {

struct Node {
  Kind kind;
  std::vector<Ty> args;
  int depth;
};
constexpr int kMaxDepth = 6;  // deeper types (a list that contains itself) are conflicts

// Interned nodes are never freed: a type made by one compile may be met again by the next.
struct Registry {
  std::mutex lock;
  std::deque<Node> nodes;  // index i+1 in a Ty's upper bits (0 is a scalar)
  std::map<std::pair<Kind, std::vector<uint32_t>>, uint32_t> index;
};
Registry &registry() {
  static Registry *r = new Registry();
  return *r;
}

const std::vector<Ty> kNoArgs;

}  // namespace

Ty Ty::make(Kind k, std::vector<Ty> args) {
  Registry &r = registry();
  std::vector<uint32_t> key;
  for (Ty a : args) key.push_back(a.m_id);
  std::lock_guard<std::mutex> g(r.lock);
  auto it = r.index.find({k, key});
  if (it != r.index.end()) return Ty(it->second);
  int depth = 1;
  for (Ty a : args)
    if ((a.m_id >> 8) != 0) depth = std::max(depth, 1 + r.nodes[(a.m_id >> 8) - 1].depth);
  if (depth > kMaxDepth) return Ty::Top;
  r.nodes.push_back({k, std::move(args), depth});
  uint32_t id = (uint32_t(r.nodes.size()) << 8) | uint32_t(k);
  r.index[{k, key}] = id;
  return Ty(id);
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
    case Kind::File: return t.elem() == Ty::Bytes ? "file[bytes]" : "file[str]";
    case Kind::Top: return "conflict";
    case Kind::Range: return "range";
    case Kind::Optional: return ty_name(t.elem()) + " | None";
    case Kind::Iter: return "iterable[" + (t.elem() == Ty::Bottom ? std::string("?") : ty_name(t.elem())) + "]";
    case Kind::TupleN: return "tuple[" + (t.elem() == Ty::Bottom ? std::string("?") : ty_name(t.elem())) + ", ...]";
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
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
  std::string word = s.substr(start, i - start);
  skip();
  static const std::map<std::string, TypeTag> scalars = {{"int", TypeTag::Int}, {"float", TypeTag::Float}, {"bool", TypeTag::Bool},
                                                         {"str", TypeTag::Str}, {"bytes", TypeTag::Bytes}, {"bytearray", TypeTag::ByteArray}, {"None", TypeTag::None}, {"range", TypeTag::Range}};
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
    default: out.push_back(TypeTag::Object); return;
  }
  for (Ty a : t.args()) tags_from_type(a, out);
}

}  // namespace pyvorin
