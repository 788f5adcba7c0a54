// lower (escape): which local containers stay private to the call. A local is private when every
// value it is ever given is a container this call created (a display, a comprehension, list(),
// sorted(), a slice, `a + b`, ...) and it never escapes: it is only read as the receiver of a
// method, a subscripted object, an iterable, an operand, an argument of a builtin that keeps no
// reference, or the returned value; or it is stored into (appended to, ...) another local
// container that is itself private. Changing a private container is no observable effect, so an
// int overflow or a failed guard after it can still rerun the call in CPython.
#include <functional>

#include "lower.h"

namespace pyvorin {

// The parameters of the function's lambdas (key= functions, inlined): bound to items of another
// container, like parameters, never to a container the call made.
std::set<std::string> lambda_params(const ast::FunctionDef &fn) {
  std::set<std::string> out;
  std::function<void(const ast::Expr &)> in_expr = [&](const ast::Expr &e) {
    if (e.kind == ast::ExprKind::Lambda)
      for (auto &p : static_cast<const ast::Lambda &>(e).params) out.insert(p);
    ast::for_each_child(e, in_expr);
  };
  std::function<void(const ast::Body &)> in_body = [&](const ast::Body &b) {
    for (auto &s : b) {
      switch (s->kind) {
        case ast::StmtKind::Assign:
          for (auto &t : static_cast<const ast::Assign &>(*s).targets) in_expr(*t);
          in_expr(*static_cast<const ast::Assign &>(*s).value);
          break;
        case ast::StmtKind::AnnAssign:
          if (static_cast<const ast::AnnAssign &>(*s).value) in_expr(*static_cast<const ast::AnnAssign &>(*s).value);
          break;
        case ast::StmtKind::Return:
          if (static_cast<const ast::Return &>(*s).value) in_expr(*static_cast<const ast::Return &>(*s).value);
          break;
        case ast::StmtKind::ExprStmt: in_expr(*static_cast<const ast::ExprStmt &>(*s).value); break;
        case ast::StmtKind::If: {
          auto &i = static_cast<const ast::If &>(*s);
          in_expr(*i.test);
          in_body(i.body);
          in_body(i.orelse);
          break;
        }
        case ast::StmtKind::While: {
          auto &w = static_cast<const ast::While &>(*s);
          in_expr(*w.test);
          in_body(w.body);
          in_body(w.orelse);
          break;
        }
        case ast::StmtKind::For: {
          auto &f = static_cast<const ast::For &>(*s);
          in_expr(*f.iter);
          in_body(f.body);
          in_body(f.orelse);
          break;
        }
        default: break;
      }
    }
  };
  in_body(fn.body);
  return out;
}

namespace {

using namespace ast;

const std::set<std::string> kNonRetaining = {"len", "sum", "min", "max", "sorted", "any", "all", "list", "set", "tuple",
                                             "dict", "isinstance", "print", "enumerate", "zip", "reversed", "abs",
                                             // text: a new str (or int) from the value
                                             "str", "repr", "ascii", "format", "ord", "chr", "hex", "oct", "bin", "bytes",
                                             "int", "float", "$fstring", "$format", "$str", "$repr", "$ascii"};

class Escape {
 public:
  Escape(const Spec &spec, std::set<std::string> &out) : m_spec(spec), m_private(out) {
    std::set<std::string> bound_elsewhere = lambda_params(*spec.fn);
    for (auto &[name, t] : spec.vars)
      if (is_object(t) && !is_param(name) && !bound_elsewhere.count(name)) m_private.insert(name);
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

 public:
  // Containers some of whose items may be objects other code can reach (an argument's row, a
  // variable's list): a change to an item is then an effect. The others' items are all new
  // objects made here (`[[0] * m for ...]`, `[a[i][:] + [b[i]] for ...]`), reached only through
  // the container: when it is private, changing an item (`grid[i][j] = v`) is no effect either.
  std::set<std::string> m_shallow;
  // Names only ever given an item of one container (`row = grid[i]`, `for row in grid`, the
  // normaliser's `$t = grid[i]` of `grid[i][j] += v`): changing them changes that container's item.
  std::map<std::string, std::string> m_item_of;
  std::set<std::string> m_not_item;
  // (name, holder): a variable stored into holder; fine when it is an item of holder (a swap).
  std::vector<std::pair<std::string, std::string>> m_stored_names;

 private:
  Ty type(const Expr &e) const {
    auto it = m_spec.types.find(&e);
    return it == m_spec.types.end() ? Ty::None : it->second;
  }
  void item_of(const std::string &n, const Expr *container) {
    if (!container) {
      m_not_item.insert(n);
      return;
    }
    const std::string &c = static_cast<const Name &>(*container).id;
    auto it = m_item_of.find(n);
    if (it != m_item_of.end() && it->second != c) m_not_item.insert(n);
    m_item_of[n] = c;
  }

  // An item that is a scalar or a new object (or an item of the same container: a row swap).
  bool new_item(const Expr &e, const std::string &holder) {
    if (!is_object(type(e)) || fresh(e)) return true;
    if (e.kind == ExprKind::Name) {  // decided at the end (the normaliser's swap temporaries)
      m_stored_names.push_back({static_cast<const Name &>(e).id, holder});
      return true;
    }
    if (e.kind == ExprKind::Subscript) {
      auto &s = static_cast<const Subscript &>(e);
      return s.slice->kind != ExprKind::Slice && s.value->kind == ExprKind::Name && static_cast<const Name &>(*s.value).id == holder;
    }
    return false;
  }
  // The items a new container value starts with.
  void initial_items(const std::string &v, const Expr &value) {
    auto all = [&](const std::vector<ExprPtr> &elts) {
      for (auto &x : elts)
        if (x->kind == ExprKind::Starred || !new_item(*x, v)) m_shallow.insert(v);
    };
    switch (value.kind) {
      case ExprKind::List: all(static_cast<const List &>(value).elts); return;
      case ExprKind::Tuple: all(static_cast<const Tuple &>(value).elts); return;
      case ExprKind::Set: all(static_cast<const SetExpr &>(value).elts); return;
      case ExprKind::Dict:
        for (auto &x : static_cast<const Dict &>(value).values)
          if (!new_item(*x, v)) m_shallow.insert(v);
        return;
      case ExprKind::ListComp: case ExprKind::SetComp: {
        auto &c = static_cast<const Comp &>(value);
        if (!new_item(*c.elt, v)) m_shallow.insert(v);
        return;
      }
      case ExprKind::DictComp:
        if (!new_item(*static_cast<const Comp &>(value).value, v)) m_shallow.insert(v);
        return;
      case ExprKind::BinOp: {  // [x] * n: x (if new) n times, all reached only from here
        auto &b = static_cast<const BinOp &>(value);
        if (b.op == Op::Mult && (b.left->kind == ExprKind::List || b.right->kind == ExprKind::List))
          initial_items(v, b.left->kind == ExprKind::List ? *b.left : *b.right);
        else if (is_object(type(value)) && is_object(type(*b.left)))
          m_shallow.insert(v);  // a + b: their items
        return;
      }
      default:
        if (is_object(type(value))) m_shallow.insert(v);  // a copy holds the source's items
        return;
    }
  }

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
      case ExprKind::Subscript:  // a list's slice is a new list; an ndarray's is a view
        return static_cast<const Subscript &>(e).slice->kind == ExprKind::Slice &&
               !is_array(type(*static_cast<const Subscript &>(e).value));
      case ExprKind::Call: {
        auto &c = static_cast<const Call &>(e);
        if (auto t = m_spec.calls.find(&e); t != m_spec.calls.end() && t->second.kind == CallTarget::Kind::Numpy) {
          // NumPy's allocations and copies (np.asarray may return its argument: not new)
          static const std::set<std::string> fresh_numpy = {
              "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like", "arange", "linspace",
              "array", "copy", "sort", "cumsum", "cumprod", ".copy", ".astype", ".flatten", ".cumsum", ".cumprod"};
          return fresh_numpy.count(t->second.name) > 0;
        }
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
      if (value) initial_items(n, *value);
      const Expr *from = nullptr;
      if (value && value->kind == ExprKind::Subscript && static_cast<const Subscript &>(*value).slice->kind != ExprKind::Slice &&
          static_cast<const Subscript &>(*value).value->kind == ExprKind::Name)
        from = static_cast<const Subscript &>(*value).value.get();
      item_of(n, from);
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
          // str, bytes and file methods make new text (or write it out): they keep nothing
          auto rt = m_spec.types.find(receiver);
          if (rt != m_spec.types.end() && (is_text(rt->second) || rt->second.kind() == Kind::File)) keeps = false;
        } else if (c.func->kind == ExprKind::Name) {
          keeps = !kNonRetaining.count(static_cast<const Name &>(*c.func).id);
        }
        for (auto &a : c.args) {
          if (keeps && receiver)  // xs.append(v), d.setdefault(k, v): v is now inside the receiver
            stored_into(*a, receiver);
          else
            use(*a, !keeps);
        }
        if (receiver && receiver->kind == ExprKind::Name && c.func->kind == ExprKind::Attribute) {
          const std::string &holder = static_cast<const Name &>(*receiver).id;
          const std::string &m = static_cast<const Attribute &>(*c.func).attr;
          if (m == "extend" || m == "update" || m == "__setitem__") m_shallow.insert(holder);
          for (auto &a : c.args)
            if (!new_item(*a, holder)) m_shallow.insert(holder);
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
        if (into) {  // d[k] = v: v is now inside d
          auto &sub = static_cast<const Subscript &>(*a.targets[0]);
          stored_into(*a.value, sub.value.get());
          if (sub.value->kind == ExprKind::Name && !new_item(*a.value, static_cast<const Name &>(*sub.value).id))
            m_shallow.insert(static_cast<const Name &>(*sub.value).id);
        }
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
        if (n.target->kind == ExprKind::Name && n.iter->kind == ExprKind::Name) {  // for row in grid
          m_private.erase(static_cast<const Name &>(*n.target).id);
          item_of(static_cast<const Name &>(*n.target).id, n.iter.get());
        } else {
          assigned(*n.target, nullptr);
        }
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

std::set<std::string> deep_private_containers(const Spec &spec, std::set<std::string> *item_aliases) {
  std::set<std::string> out;
  Escape e(spec, out);
  e.body(spec.fn->body);
  e.settle();
  for (auto &[n, holder] : e.m_stored_names) {
    auto it = e.m_item_of.find(n);
    if (it == e.m_item_of.end() || it->second != holder || e.m_not_item.count(n)) out.erase(holder);
  }
  for (auto &n : e.m_shallow) out.erase(n);
  if (item_aliases)
    for (auto &[n, c] : e.m_item_of)
      if (!e.m_not_item.count(n) && out.count(c)) item_aliases->insert(n);
  return out;
}

}  // namespace pyvorin
