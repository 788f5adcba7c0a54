// lower (escape): which local containers stay private to the call. A local is private when every
// value it is ever given is a container this call created (a display, a comprehension, list(),
// sorted(), a slice, `a + b`, ...) and it never escapes: it is only read as the receiver of a
// method, a subscripted object, an iterable, an operand, an argument of a builtin that keeps no
// reference, or the returned value; or it is stored into (appended to, ...) another local
// container that is itself private. Changing a private container is no observable effect, so an
// int overflow or a failed guard after it can still rerun the call in CPython.
#include "lower.h"

namespace pyvorin {
namespace {

using namespace ast;

const std::set<std::string> kNonRetaining = {"len", "sum", "min", "max", "sorted", "any", "all", "list", "set", "tuple",
                                             "dict", "isinstance", "print", "enumerate", "zip", "reversed", "abs"};

class Escape {
 public:
  Escape(const Spec &spec, std::set<std::string> &out) : m_spec(spec), m_private(out) {
    for (auto &[name, t] : spec.vars)
      if (is_object(t) && !is_param(name)) m_private.insert(name);
  }

  void body(const Body &b) {
    for (auto &s : b) stmt(*s);
  }

  // A container stored into another local container stays private while that one does.
  void settle() {
    for (bool changed = true; changed;) {
      changed = false;
      for (auto &[v, holder] : m_into)
        if (m_private.count(v) && !m_private.count(holder)) {
          m_private.erase(v);
          changed = true;
        }
    }
  }

 private:
  const Spec &m_spec;
  std::set<std::string> &m_private;
  std::vector<std::pair<std::string, std::string>> m_into;  // (v, holder): v was stored into holder

  // v stored into the container `holder` (a local's name, or null: anything else).
  void stored_into(const Expr &v, const Expr *holder) {
    if (v.kind == ExprKind::Name && holder && holder->kind == ExprKind::Name && m_spec.vars.count(static_cast<const Name &>(*holder).id))
      m_into.push_back({static_cast<const Name &>(v).id, static_cast<const Name &>(*holder).id});
    else
      use(v, false);
  }

  bool is_param(const std::string &n) const {
    for (auto &a : m_spec.fn->args)
      if (a.name == n) return true;
    return false;
  }

  bool fresh(const Expr &e) const {
    switch (e.kind) {
      case ExprKind::List: case ExprKind::Set: case ExprKind::Dict: case ExprKind::Tuple:
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: return true;
      case ExprKind::BinOp: return !static_cast<const BinOp &>(e).inplace;
      case ExprKind::Subscript: return static_cast<const Subscript &>(e).slice->kind == ExprKind::Slice;
      case ExprKind::Call: {
        auto &c = static_cast<const Call &>(e);
        if (c.func->kind == ExprKind::Attribute) return static_cast<const Attribute &>(*c.func).attr == "copy";
        if (c.func->kind != ExprKind::Name) return false;
        const std::string &id = static_cast<const Name &>(*c.func).id;
        return id == "list" || id == "dict" || id == "set" || id == "sorted";
      }
      default: return false;
    }
  }

  void assigned(const Expr &target, const Expr *value) {
    if (target.kind == ExprKind::Name) {
      auto &n = static_cast<const Name &>(target).id;
      if (!value || !fresh(*value)) m_private.erase(n);
      return;
    }
    if (target.kind == ExprKind::Tuple || target.kind == ExprKind::List || target.kind == ExprKind::Starred) {
      for_each_child(target, [&](const Expr &c) { assigned(c, nullptr); });
      return;
    }
    use(target, true);  // a subscript target: its object and index are reads
  }

  // A read of e; `ok` when the context keeps no reference to the value.
  void use(const Expr &e, bool ok) {
    switch (e.kind) {
      case ExprKind::Name:
        if (!ok) m_private.erase(static_cast<const Name &>(e).id);
        return;
      case ExprKind::Subscript: {
        auto &s = static_cast<const Subscript &>(e);
        use(*s.value, true);
        use(*s.slice, false);
        return;
      }
      case ExprKind::Call: {
        auto &c = static_cast<const Call &>(e);
        bool keeps = true;
        const Expr *receiver = nullptr;
        if (c.func->kind == ExprKind::Attribute) {
          receiver = static_cast<const Attribute &>(*c.func).value.get();
          use(*static_cast<const Attribute &>(*c.func).value, true);  // the receiver
          // these copy their arguments' items (or only compare them): no reference kept
          static const std::set<std::string> copies = {
              "extend", "update", "union", "intersection", "difference", "symmetric_difference", "issubset", "issuperset",
              "isdisjoint", "intersection_update", "difference_update", "symmetric_difference_update", "count", "index",
              "remove", "discard", "get", "pop"};
          keeps = !copies.count(static_cast<const Attribute &>(*c.func).attr);
        } else if (c.func->kind == ExprKind::Name) {
          keeps = !kNonRetaining.count(static_cast<const Name &>(*c.func).id);
        }
        for (auto &a : c.args) {
          if (keeps && receiver)  // xs.append(v), d.setdefault(k, v): v is now inside the receiver
            stored_into(*a, receiver);
          else
            use(*a, !keeps);
        }
        for (auto &k : c.keywords) use(*k.value, false);
        return;
      }
      case ExprKind::BinOp: case ExprKind::Compare: case ExprKind::UnaryOp:
        for_each_child(e, [&](const Expr &c) { use(c, true); });
        return;
      case ExprKind::BoolOp: case ExprKind::IfExp:  // the value may be the operand itself
        for_each_child(e, [&](const Expr &c) { use(c, ok && e.kind == ExprKind::BoolOp ? false : ok); });
        return;
      case ExprKind::NamedExpr: {
        auto &n = static_cast<const NamedExpr &>(e);
        use(*n.value, false);
        m_private.erase(n.target);
        return;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: {
        auto &c = static_cast<const Comp &>(e);
        for (auto &g : c.generators) {
          use(*g.iter, true);
          assigned(*g.target, nullptr);
          for (auto &i : g.ifs) use(*i, true);
        }
        if (c.elt) use(*c.elt, false);
        if (c.key) use(*c.key, false);
        if (c.value) use(*c.value, false);
        return;
      }
      default:  // displays: their elements are stored
        for_each_child(e, [&](const Expr &c) { use(c, false); });
        return;
    }
  }

  void stmt(const Stmt &s) {
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        bool into = a.targets.size() == 1 && a.targets[0]->kind == ExprKind::Subscript;
        if (into)  // d[k] = v: v is now inside d
          stored_into(*a.value, static_cast<const Subscript &>(*a.targets[0]).value.get());
        else
          use(*a.value, a.value->kind != ExprKind::Name);  // `b = a` aliases a
        for (auto &t : a.targets) assigned(*t, a.value.get());
        if (a.targets.size() > 1)
          for (auto &t : a.targets)
            if (t->kind == ExprKind::Name) m_private.erase(static_cast<const Name &>(*t).id);
        return;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(s);
        if (a.value) {
          use(*a.value, a.value->kind != ExprKind::Name);
          assigned(*a.target, a.value.get());
        }
        return;
      }
      case StmtKind::Return:
        if (auto &v = static_cast<const Return &>(s).value) {
          if (v->kind == ExprKind::Tuple)  // return a, b: built as the call ends
            for_each_child(*v, [&](const Expr &c) { use(c, true); });
          else
            use(*v, true);
        }
        return;
      case StmtKind::ExprStmt: use(*static_cast<const ExprStmt &>(s).value, true); return;
      case StmtKind::If: {
        auto &n = static_cast<const If &>(s);
        use(*n.test, true);
        body(n.body);
        body(n.orelse);
        return;
      }
      case StmtKind::While: {
        auto &n = static_cast<const While &>(s);
        use(*n.test, true);
        body(n.body);
        body(n.orelse);
        return;
      }
      case StmtKind::For: {
        auto &n = static_cast<const For &>(s);
        use(*n.iter, true);
        assigned(*n.target, nullptr);
        body(n.body);
        body(n.orelse);
        return;
      }
      case StmtKind::Delete:
        for (auto &t : static_cast<const Delete &>(s).targets) use(t->kind == ExprKind::Subscript ? *t : *t, true);
        return;
      default: return;
    }
  }
};

}  // namespace

namespace {
// A list or tuple index is used unboxed (inline access): only other subscripts box their index.
thread_local const std::function<bool(const Subscript &)> *g_boxes_index = nullptr;
void boxed_in(const Expr &e, std::set<std::string> &out);
void boxed_child(const Expr &e, std::set<std::string> &out) {
  if (e.kind == ExprKind::Name) out.insert(static_cast<const Name &>(e).id);
  boxed_in(e, out);
}
void boxed_in(const Expr &e, std::set<std::string> &out) {
  if (e.kind == ExprKind::Subscript && g_boxes_index && !(*g_boxes_index)(static_cast<const Subscript &>(e))) {
    auto &s = static_cast<const Subscript &>(e);
    boxed_in(*s.value, out);
    boxed_in(*s.slice, out);
    return;
  }
  switch (e.kind) {
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      for (auto &a : c.args) boxed_child(*a, out);
      for (auto &k : c.keywords) boxed_child(*k.value, out);
      boxed_in(*c.func, out);
      return;
    }
    case ExprKind::Compare: case ExprKind::List: case ExprKind::Set: case ExprKind::Dict: case ExprKind::Tuple:
    case ExprKind::Subscript: case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp:
    case ExprKind::GeneratorExp:
      for_each_child(e, [&](const Expr &c) { boxed_child(c, out); });
      return;
    default: for_each_child(e, [&](const Expr &c) { boxed_in(c, out); });
  }
}
void boxed_body(const Body &b, std::set<std::string> &out) {
  for (auto &s : b) {
    switch (s->kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(*s);
        bool stores = false;
        for (auto &t : a.targets) {
          stores = stores || t->kind != ExprKind::Name;
          boxed_in(*t, out);
        }
        if (stores) boxed_child(*a.value, out);
        else boxed_in(*a.value, out);
        break;
      }
      case StmtKind::Return:
        if (auto &v = static_cast<const Return &>(*s).value) boxed_child(*v, out);
        break;
      case StmtKind::ExprStmt: boxed_in(*static_cast<const ExprStmt &>(*s).value, out); break;
      case StmtKind::AnnAssign:
        if (auto &v = static_cast<const AnnAssign &>(*s).value) boxed_in(*v, out);
        break;
      case StmtKind::If: {
        auto &n = static_cast<const If &>(*s);
        boxed_in(*n.test, out);
        boxed_body(n.body, out);
        boxed_body(n.orelse, out);
        break;
      }
      case StmtKind::While: {
        auto &n = static_cast<const While &>(*s);
        boxed_in(*n.test, out);
        boxed_body(n.body, out);
        boxed_body(n.orelse, out);
        break;
      }
      case StmtKind::For: {
        auto &n = static_cast<const For &>(*s);
        boxed_in(*n.iter, out);
        boxed_body(n.body, out);
        boxed_body(n.orelse, out);
        break;
      }
      case StmtKind::Delete:
        for (auto &t : static_cast<const Delete &>(*s).targets) boxed_in(*t, out);
        break;
      default: break;
    }
  }
}
}  // namespace

std::set<std::string> boxed_names(const FunctionDef &fn, const std::function<bool(const Subscript &)> &boxes_index) {
  std::set<std::string> out;
  g_boxes_index = &boxes_index;
  boxed_body(fn.body, out);
  g_boxes_index = nullptr;
  return out;
}

std::set<std::string> private_containers(const Spec &spec) {
  std::set<std::string> out;
  Escape e(spec, out);
  e.body(spec.fn->body);
  e.settle();
  return out;
}

}  // namespace pyvorin
