// normalise: rewrites sugar into the core forms later stages handle.
//   a < b < c            ->  a < ($n := b) and $n < c      (each operand evaluated once)
//   a, b = x, y          ->  $1 = x; $2 = y; a = $1; b = $2 (swaps keep CPython's order)
//   q, r = divmod(a, b)  ->  $1 = a; $2 = b; q = $1 // $2; r = $1 % $2
//   x op= e              ->  x = x op e    (marked in-place: list += extends the same list)
//   o[i] op= e           ->  o[i] = o[i] op e, with o and i evaluated once (temporaries)
//   [f(x) for x in xs]   ->  the comprehension's targets renamed apart ($c1.x): their own scope
//   a = b = e            ->  a = e; b = a
#include <map>
#include <set>

#include "stages.h"

namespace pyvorin {
namespace {

using namespace ast;

class Normaliser {
 public:
  void body(Body &stmts) {
    Body out;
    for (auto &s : stmts) stmt(std::move(s), out);
    stmts = std::move(out);
  }

 private:
  int m_temp = 0;

  std::string temp() { return "$" + std::to_string(++m_temp); }

  static ExprPtr name(const std::string &id, SourceRange r) { return std::make_unique<Name>(r, id); }

  static StmtPtr assign(const std::string &target, ExprPtr value, SourceRange r) {
    auto a = std::make_unique<Assign>(r);
    a->targets.push_back(name(target, r));
    a->value = std::move(value);
    return a;
  }

  static bool all_names(const Tuple &t) {
    for (auto &e : t.elts)
      if (e->kind != ExprKind::Name) return false;
    return true;
  }

  void stmt(StmtPtr s, Body &out) {
    switch (s->kind) {
      case StmtKind::Assign: return assign_stmt(std::unique_ptr<Assign>(as<Assign>(s.release())), out);
      case StmtKind::AugAssign: {
        auto *a = as<AugAssign>(s.get());
        expr(a->value);
        SourceRange r = s->range;
        if (a->target->kind == ExprKind::Subscript) {
          auto *sub = as<Subscript>(a->target.get());
          expr(sub->value);
          expr(sub->slice);
          ExprPtr obj = once(std::move(sub->value), out, r);
          ExprPtr idx;
          // a slice's bounds, each evaluated once, in order (a[1:n] += v, M[:, 0] *= 2)
          auto bounds_once = [&](Expr &x) {
            if (x.kind != ExprKind::Slice) return false;
            auto &sl = static_cast<Slice &>(x);
            for (ExprPtr *b : {&sl.lower, &sl.upper, &sl.step})
              if (*b) *b = once(std::move(*b), out, r);
            return true;
          };
          if (sub->slice->kind == ExprKind::Tuple && !has_starred(*as<Tuple>(sub->slice.get()))) {
            // a[i, j] += v: each index item evaluated once, in order; the tuple itself is rebuilt
            // for the read and the store (an ndarray's element is then read and written in place)
            auto *t = as<Tuple>(sub->slice.get());
            for (auto &x : t->elts)
              if (!bounds_once(*x)) x = once(std::move(x), out, r);
            idx = std::move(sub->slice);
          } else if (bounds_once(*sub->slice)) {
            idx = std::move(sub->slice);
          } else {
            idx = once(std::move(sub->slice), out, r);
          }
          // CPython: x = a[s]; x op= v (in place: an ndarray view changes the array); a[s] = x
          SourceRange tr = a->target->range;
          auto read = std::make_unique<Subscript>(tr, clone_simple(*obj), clone_simple(*idx));
          auto bin = std::make_unique<BinOp>(r, std::move(read), a->op, std::move(a->value));
          bin->inplace = true;
          auto st = std::make_unique<Assign>(r);
          st->targets.push_back(std::make_unique<Subscript>(tr, std::move(obj), std::move(idx)));
          st->value = std::move(bin);
          out.push_back(std::move(st));
          return;
        }
        if (a->target->kind != ExprKind::Name) break;
        const std::string id = as<Name>(a->target.get())->id;
        auto bin = std::make_unique<BinOp>(r, name(id, a->target->range), a->op, std::move(a->value));
        bin->inplace = true;
        out.push_back(assign(id, std::move(bin), r));
        return;
      }
      case StmtKind::AnnAssign: {
        auto *a = as<AnnAssign>(s.get());
        if (a->value) expr(a->value);
        break;
      }
      case StmtKind::Return: {
        auto *r = as<Return>(s.get());
        if (r->value) expr(r->value);
        break;
      }
      case StmtKind::If: {
        auto *n = as<If>(s.get());
        expr(n->test);
        body(n->body);
        body(n->orelse);
        break;
      }
      case StmtKind::While: {
        auto *n = as<While>(s.get());
        expr(n->test);
        body(n->body);
        body(n->orelse);
        break;
      }
      case StmtKind::For: {
        auto *n = as<For>(s.get());
        expr(n->iter);
        expr(n->target);
        body(n->body);
        body(n->orelse);
        break;
      }
      case StmtKind::ExprStmt: expr(as<ExprStmt>(s.get())->value); break;
      case StmtKind::Delete:
        for (auto &t : as<Delete>(s.get())->targets) expr(t);
        break;
      default: break;
    }
    out.push_back(std::move(s));
  }

  // An expression evaluated once where a rewrite reads it twice: itself when that is free of
  // effects (a name or a constant), else a temporary assigned before.
  ExprPtr once(ExprPtr e, Body &out, SourceRange r) {
    if (e->kind == ExprKind::Name || e->kind == ExprKind::Constant) return e;
    std::string t = temp();
    SourceRange er = e->range;
    out.push_back(assign(t, std::move(e), r));
    return name(t, er);
  }

  static bool simple_target(const Expr &e) { return e.kind == ExprKind::Name || e.kind == ExprKind::Subscript; }

  void assign_stmt(std::unique_ptr<Assign> a, Body &out) {
    expr(a->value);
    for (auto &t : a->targets) expr(t);
    SourceRange r = a->range;
    if (a->targets.size() > 1) {
      // a = b = e: assign the first target, then copy it to the others (left to right, as CPython).
      bool simple = true;
      for (auto &t : a->targets) simple = simple && t->kind == ExprKind::Name;
      if (simple) {
        std::string first = as<Name>(a->targets[0].get())->id;
        out.push_back(assign(first, std::move(a->value), r));
        for (size_t i = 1; i < a->targets.size(); ++i)
          out.push_back(assign(as<Name>(a->targets[i].get())->id, name(first, r), r));
        return;
      }
      out.push_back(std::move(a));
      return;
    }
    Expr *target = a->targets[0].get();
    // a, b = x, y and x[i], x[j] = x[j], x[i]: the values first, then each target in order.
    if ((target->kind == ExprKind::Tuple || target->kind == ExprKind::List) &&
        (a->value->kind == ExprKind::Tuple || a->value->kind == ExprKind::List)) {
      auto &telts = target->kind == ExprKind::Tuple ? as<Tuple>(target)->elts : as<List>(target)->elts;
      auto &velts = a->value->kind == ExprKind::Tuple ? as<Tuple>(a->value.get())->elts : as<List>(a->value.get())->elts;
      bool simple = telts.size() == velts.size();
      for (auto &t : telts) simple = simple && simple_target(*t);
      for (auto &v : velts) simple = simple && v->kind != ExprKind::Starred;
      if (simple) {
        std::vector<std::string> temps;
        for (auto &v : velts) {
          temps.push_back(temp());
          out.push_back(assign(temps.back(), std::move(v), r));
        }
        for (size_t i = 0; i < temps.size(); ++i) {
          auto st = std::make_unique<Assign>(r);
          st->targets.push_back(std::move(telts[i]));
          st->value = name(temps[i], r);
          out.push_back(std::move(st));
        }
        return;
      }
    }
    if (target->kind != ExprKind::Tuple || !all_names(*as<Tuple>(target))) {
      out.push_back(std::move(a));
      return;
    }
    auto *targets = as<Tuple>(target);
    if (a->value->kind == ExprKind::Call && targets->elts.size() == 2) {
      auto *call = as<Call>(a->value.get());
      if (call->func->kind == ExprKind::Name && as<Name>(call->func.get())->id == "divmod" && call->args.size() == 2 &&
          call->keywords.empty() && !call->has_star_args) {
        std::string ta = temp(), tb = temp();
        SourceRange cr = call->range;
        out.push_back(assign(ta, std::move(call->args[0]), r));
        out.push_back(assign(tb, std::move(call->args[1]), r));
        auto q = std::make_unique<BinOp>(cr, name(ta, cr), Op::FloorDiv, name(tb, cr));
        auto m = std::make_unique<BinOp>(cr, name(ta, cr), Op::Mod, name(tb, cr));
        q->from_divmod = m->from_divmod = true;
        out.push_back(assign(as<Name>(targets->elts[0].get())->id, std::move(q), r));
        out.push_back(assign(as<Name>(targets->elts[1].get())->id, std::move(m), r));
        return;
      }
    }
    out.push_back(std::move(a));
  }

  void expr(ExprPtr &e) {
    switch (e->kind) {
      case ExprKind::BinOp: {
        auto *b = as<BinOp>(e.get());
        expr(b->left);
        expr(b->right);
        break;
      }
      case ExprKind::UnaryOp: expr(as<UnaryOp>(e.get())->operand); break;
      case ExprKind::BoolOp:
        for (auto &v : as<BoolOp>(e.get())->values) expr(v);
        break;
      case ExprKind::Call: {
        auto *c = as<Call>(e.get());
        expr(c->func);  // a method's receiver: `(a if lo <= i < hi else b).upper()`
        for (auto &a : c->args) expr(a);
        for (auto &k : c->keywords) expr(k.value);
        break;
      }
      case ExprKind::IfExp: {
        auto *n = as<IfExp>(e.get());
        expr(n->test);
        expr(n->body);
        expr(n->orelse);
        break;
      }
      case ExprKind::NamedExpr: expr(as<NamedExpr>(e.get())->value); break;
      case ExprKind::Tuple:
        for (auto &v : as<Tuple>(e.get())->elts) expr(v);
        break;
      case ExprKind::Compare: compare(e); break;
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: comp(e); break;
      case ExprKind::Lambda: {  // its parameters are its own scope
        auto *l = as<Lambda>(e.get());
        std::map<std::string, std::string> renames;
        std::string tag = "$l" + std::to_string(++m_temp) + ".";
        for (auto &p : l->params) renames[p] = tag + p, p = tag + p;
        rename(*l->body, renames);
        expr(l->body);
        break;
      }
      case ExprKind::List: for (auto &v : as<List>(e.get())->elts) expr(v); break;
      case ExprKind::Set: for (auto &v : as<SetExpr>(e.get())->elts) expr(v); break;
      case ExprKind::Dict:
        for (auto &v : as<Dict>(e.get())->keys)
          if (v) expr(v);
        for (auto &v : as<Dict>(e.get())->values) expr(v);
        break;
      case ExprKind::Subscript: expr(as<Subscript>(e.get())->value); expr(as<Subscript>(e.get())->slice); break;
      case ExprKind::Slice: {
        auto *x = as<Slice>(e.get());
        if (x->lower) expr(x->lower);
        if (x->upper) expr(x->upper);
        if (x->step) expr(x->step);
        break;
      }
      case ExprKind::Starred: expr(as<Starred>(e.get())->value); break;
      case ExprKind::Attribute: expr(as<Attribute>(e.get())->value); break;
      default: break;
    }
  }

  // A comprehension's targets are its own scope: rename them (and their uses in the later
  // iterables, the conditions and the element) so they never clash with the function's locals.
  void comp(ExprPtr &e) {
    auto *c = as<Comp>(e.get());
    std::map<std::string, std::string> renames;
    std::string tag = "$c" + std::to_string(++m_temp) + ".";
    for (size_t i = 0; i < c->generators.size(); ++i) {
      auto &g = c->generators[i];
      if (i > 0) rename(*g.iter, renames);
      expr(g.iter);
      std::set<std::string> names;
      collect_target_names(*g.target, names);
      for (auto &n : names) renames[n] = tag + n;
      rename(*g.target, renames);
      for (auto &x : g.ifs) {
        rename(*x, renames);
        expr(x);
      }
    }
    for (ExprPtr *p : {&c->elt, &c->key, &c->value})
      if (*p) {
        rename(**p, renames);
        expr(*p);
      }
  }

  static void collect_target_names(const Expr &t, std::set<std::string> &out) {
    if (t.kind == ExprKind::Name) out.insert(static_cast<const Name &>(t).id);
    if (t.kind == ExprKind::Tuple || t.kind == ExprKind::List)
      for (auto &x : t.kind == ExprKind::Tuple ? static_cast<const Tuple &>(t).elts : static_cast<const List &>(t).elts)
        collect_target_names(*x, out);
    if (t.kind == ExprKind::Starred) collect_target_names(*static_cast<const Starred &>(t).value, out);
  }

  static void rename(Expr &e, const std::map<std::string, std::string> &renames) {
    if (e.kind == ExprKind::Name) {
      auto &n = static_cast<Name &>(e);
      auto it = renames.find(n.id);
      if (it != renames.end()) n.id = it->second;
      return;
    }
    for_each_child(e, [&](const Expr &c) { rename(const_cast<Expr &>(c), renames); });
  }

  // a op0 b op1 c ... -> (a op0 ($1 := b)) and ($1 op1 c) ...
  void compare(ExprPtr &e) {
    auto *c = as<Compare>(e.get());
    expr(c->left);
    for (auto &v : c->comparators) expr(v);
    if (c->ops.size() < 2) return;
    auto conj = std::make_unique<BoolOp>(c->range, BoolOpKind::And);
    ExprPtr left = std::move(c->left);
    for (size_t i = 0; i < c->ops.size(); ++i) {
      ExprPtr right = std::move(c->comparators[i]);
      ExprPtr next_left;
      bool last = i + 1 == c->ops.size();
      if (!last) {
        if (right->kind == ExprKind::Name || right->kind == ExprKind::Constant) {
          next_left = clone_simple(*right);
        } else {
          std::string t = temp();
          SourceRange rr = right->range;
          right = std::make_unique<NamedExpr>(rr, t, std::move(right));
          next_left = name(t, rr);
        }
      }
      auto one = std::make_unique<Compare>(c->range);
      one->left = std::move(left);
      one->ops.push_back(c->ops[i]);
      one->comparators.push_back(std::move(right));
      conj->values.push_back(std::move(one));
      left = std::move(next_left);
    }
    e = std::move(conj);
  }

  static bool has_starred(const Tuple &t) {
    for (auto &x : t.elts)
      if (x->kind == ExprKind::Starred) return true;
    return false;
  }

  static ExprPtr clone_simple(const Expr &e) {
    if (e.kind == ExprKind::Slice) {  // a slice whose bounds are names and constants
      auto &sl = static_cast<const Slice &>(e);
      auto c = std::make_unique<Slice>(e.range);
      if (sl.lower) c->lower = clone_simple(*sl.lower);
      if (sl.upper) c->upper = clone_simple(*sl.upper);
      if (sl.step) c->step = clone_simple(*sl.step);
      return c;
    }
    if (e.kind == ExprKind::Tuple) {  // a tuple of names, constants and slices (an index)
      auto t = std::make_unique<Tuple>(e.range);
      for (auto &x : static_cast<const Tuple &>(e).elts) t->elts.push_back(clone_simple(*x));
      return t;
    }
    if (e.kind == ExprKind::Name) return std::make_unique<Name>(e.range, static_cast<const Name &>(e).id);
    auto c = std::make_unique<Constant>(e.range);
    *c = static_cast<const Constant &>(e);
    return c;
  }
};

}  // namespace

void normalise(ast::FunctionDef &fn) { Normaliser().body(fn.body); }

}  // namespace pyvorin
