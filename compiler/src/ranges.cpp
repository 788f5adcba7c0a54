// ranges: value ranges of counted loops' induction variables, and the ndarray bounds checks they
// make redundant. For `for i in range(start, stop, step)`, an element access a[..., i + c, ...]
// of a local array that the loop does not rebind (and with i not rebound in the body) is in
// bounds on axis k for every iteration exactly when the smallest and largest values of i + c
// are in [0, a.shape[k]). lower tests all of a loop's conditions once before the loop and runs
// either a copy of the loop without those checks (which LLVM can then vectorise) or the checked
// copy: loop versioning. Each versioned loop and each check it removes is listed in the report.
#include <functional>

#include "ranges.h"

namespace pyvorin {

using namespace ast;

namespace {

class Scan {
 public:
  explicit Scan(Spec &spec) : m_spec(spec) {}

  void body(const Body &b) {
    for (auto &s : b) stmt(*s);
  }

 private:
  Spec &m_spec;

  Ty type(const Expr &e) const {
    auto it = m_spec.types.find(&e);
    return it == m_spec.types.end() ? Ty::None : it->second;
  }

  // the names a body binds (assignments, loop targets, walrus)
  static void bound_names(const Body &b, std::set<std::string> &out) { collect_locals(b, out); }

  // i, i + c, c + i, i - c (c an int literal): the offset c
  static bool iv_offset(const Expr &e, const std::string &iv, int64_t *c) {
    if (e.kind == ExprKind::Name) {
      *c = 0;
      return static_cast<const Name &>(e).id == iv;
    }
    if (e.kind != ExprKind::BinOp) return false;
    auto &b = static_cast<const BinOp &>(e);
    if (b.op != Op::Add && b.op != Op::Sub) return false;
    auto lit = [](const Expr &x, int64_t *v) {
      if (x.kind != ExprKind::Constant || static_cast<const Constant &>(x).value_kind != Constant::Kind::Int) return false;
      *v = static_cast<const Constant &>(x).int_value;
      return *v > -(int64_t(1) << 40) && *v < (int64_t(1) << 40);
    };
    int64_t v;
    if (b.left->kind == ExprKind::Name && static_cast<const Name &>(*b.left).id == iv && lit(*b.right, &v)) {
      *c = b.op == Op::Add ? v : -v;
      return true;
    }
    if (b.op == Op::Add && b.right->kind == ExprKind::Name && static_cast<const Name &>(*b.right).id == iv && lit(*b.left, &v)) {
      *c = v;
      return true;
    }
    return false;
  }

  // The element accesses of e (and its sub-expressions) indexed by iv on a local array not in `rebound`.
  void accesses(const Expr &e, const std::string &iv, const std::set<std::string> &rebound, RangePlan &plan,
                bool target = false) {
    if (e.kind == ExprKind::Subscript) {
      // the chain a[i][j] or a[i, j]: its base and its index items, axis by axis
      std::vector<const Subscript *> chain;
      const Expr *cur = &e;
      while (cur->kind == ExprKind::Subscript && is_array(type(*static_cast<const Subscript &>(*cur).value))) {
        chain.push_back(static_cast<const Subscript *>(cur));
        cur = static_cast<const Subscript &>(*cur).value.get();
      }
      if (!chain.empty() && cur->kind == ExprKind::Name && m_spec.locals.count(static_cast<const Name &>(*cur).id) &&
          !rebound.count(static_cast<const Name &>(*cur).id)) {
        const std::string &arr = static_cast<const Name &>(*cur).id;
        int axis = 0;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
          const Expr &slice = *(*it)->slice;
          std::vector<const Expr *> items;
          if (slice.kind == ExprKind::Tuple)
            for (auto &x : static_cast<const Tuple &>(slice).elts) items.push_back(x.get());
          else
            items.push_back(&slice);
          for (const Expr *x : items) {
            int64_t c;
            if (x->kind != ExprKind::Slice && iv_offset(*x, iv, &c))
              plan.checks.push_back({x, arr, axis, c, e.range.line, target ? &e : nullptr});
            ++axis;
          }
        }
      }
    }
    for_each_child(e, [&](const Expr &c) { accesses(c, iv, rebound, plan); });
  }

  void accesses_in(const Body &b, const std::string &iv, const std::set<std::string> &rebound, RangePlan &plan) {
    for (auto &s : b) {
      switch (s->kind) {
        case StmtKind::Assign:
          for (auto &t : static_cast<const Assign &>(*s).targets) accesses(*t, iv, rebound, plan, true);
          accesses(*static_cast<const Assign &>(*s).value, iv, rebound, plan);
          break;
        case StmtKind::AnnAssign:
          if (static_cast<const AnnAssign &>(*s).value) accesses(*static_cast<const AnnAssign &>(*s).value, iv, rebound, plan);
          break;
        case StmtKind::Return:
          if (static_cast<const Return &>(*s).value) accesses(*static_cast<const Return &>(*s).value, iv, rebound, plan);
          break;
        case StmtKind::ExprStmt: accesses(*static_cast<const ExprStmt &>(*s).value, iv, rebound, plan); break;
        case StmtKind::If:
          accesses(*static_cast<const If &>(*s).test, iv, rebound, plan);
          accesses_in(static_cast<const If &>(*s).body, iv, rebound, plan);
          accesses_in(static_cast<const If &>(*s).orelse, iv, rebound, plan);
          break;
        case StmtKind::While:
          accesses(*static_cast<const While &>(*s).test, iv, rebound, plan);
          accesses_in(static_cast<const While &>(*s).body, iv, rebound, plan);
          break;
        case StmtKind::For:
          accesses(*static_cast<const For &>(*s).iter, iv, rebound, plan);
          accesses_in(static_cast<const For &>(*s).body, iv, rebound, plan);
          break;
        default: break;
      }
    }
  }

  bool counted(const For &f) const {
    // lower's counted loops: for over range(...), which infer types as its int items
    return f.iter->kind == ExprKind::Call && type(*f.iter) == Ty::Int && f.target->kind == ExprKind::Name && f.orelse.empty() &&
           !static_cast<const Call &>(*f.iter).args.empty();
  }

  void stmt(const Stmt &s) {
    switch (s.kind) {
      case StmtKind::If:
        body(static_cast<const If &>(s).body);
        body(static_cast<const If &>(s).orelse);
        break;
      case StmtKind::While:
        body(static_cast<const While &>(s).body);
        body(static_cast<const While &>(s).orelse);
        break;
      case StmtKind::For: {
        auto &f = static_cast<const For &>(s);
        if (counted(f)) {
          const std::string &iv = static_cast<const Name &>(*f.target).id;
          std::set<std::string> rebound;
          bound_names(f.body, rebound);
          if (!rebound.count(iv)) {
            RangePlan plan;
            accesses_in(f.body, iv, rebound, plan);
            if (!plan.checks.empty()) m_spec.range_plans[&f] = std::move(plan);
          }
        }
        body(f.body);
        body(f.orelse);
        break;
      }
      default: break;
    }
  }
};

}  // namespace

void analyse_ranges(TypedUnit &unit) {
  for (auto &spec : unit.specs) {
    spec->range_plans.clear();
    Scan(*spec).body(spec->fn->body);
  }
}

}  // namespace pyvorin
