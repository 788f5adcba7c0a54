// normalise: rewrites sugar into the core forms later stages handle.
//   a < b < c            ->  a < ($n := b) and $n < c      (each operand evaluated once)
//   a, b = x, y          ->  $1 = x; $2 = y; a = $1; b = $2 (swaps keep CPython's order)
//   q, r = divmod(a, b)  ->  $1 = a; $2 = b; q = $1 // $2; r = $1 % $2
//   x op= e              ->  x = x op e
//   a = b = e            ->  a = e; b = a
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
        if (a->target->kind != ExprKind::Name) break;
        const std::string id = as<Name>(a->target.get())->id;
        SourceRange r = s->range;
        auto bin = std::make_unique<BinOp>(r, name(id, a->target->range), a->op, std::move(a->value));
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
        body(n->body);
        body(n->orelse);
        break;
      }
      case StmtKind::ExprStmt: expr(as<ExprStmt>(s.get())->value); break;
      default: break;
    }
    out.push_back(std::move(s));
  }

  void assign_stmt(std::unique_ptr<Assign> a, Body &out) {
    expr(a->value);
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
    if (target->kind != ExprKind::Tuple || !all_names(*as<Tuple>(target))) {
      out.push_back(std::move(a));
      return;
    }
    auto *targets = as<Tuple>(target);
    if (a->value->kind == ExprKind::Tuple && as<Tuple>(a->value.get())->elts.size() == targets->elts.size()) {
      auto *values = as<Tuple>(a->value.get());
      std::vector<std::string> temps;
      for (auto &v : values->elts) {
        temps.push_back(temp());
        out.push_back(assign(temps.back(), std::move(v), r));
      }
      for (size_t i = 0; i < temps.size(); ++i)
        out.push_back(assign(as<Name>(targets->elts[i].get())->id, name(temps[i], r), r));
      return;
    }
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
      default: break;
    }
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

  static ExprPtr clone_simple(const Expr &e) {
    if (e.kind == ExprKind::Name) return std::make_unique<Name>(e.range, static_cast<const Name &>(e).id);
    auto c = std::make_unique<Constant>(e.range);
    *c = static_cast<const Constant &>(e);
    return c;
  }
};

}  // namespace

void normalise(ast::FunctionDef &fn) { Normaliser().body(fn.body); }

}  // namespace pyvorin
