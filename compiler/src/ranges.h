// ranges (ranges.cpp): the stage between infer and lower that plans loop versioning: for each
// counted loop, the ndarray element accesses whose bounds checks one test before the loop can
// prove redundant (Spec::range_plans).
#pragma once

#include "types.h"

namespace pyvorin {

void analyse_ranges(TypedUnit &unit);

// ranges_sym.cpp: the index items of an element access a[i][j] / a[i, j] on a named array, each
// with the array's axis it indexes (*array: the name; nothing where that cannot be told).
std::vector<std::pair<const ast::Expr *, int>> index_items(const ast::Expr &e, const Spec &spec, std::string *array);
// ranges_sym.cpp: the checks of a counted loop's body (loop variable iv; `rebound`: the names the
// body binds, `count`: how often) that ranges computed before the loop make redundant, into plan.proven.
void prove_checks(const Spec &spec, const ast::For &loop, const std::string &iv, const std::set<std::string> &rebound,
                  const std::map<std::string, int> &count, RangePlan &plan);
// ranges_float.cpp: the NumPy float64 operations of a function that cannot warn (Spec::quiet_ops).
void find_quiet_ops(Spec &spec);
// ranges_sym.cpp: a Sym as Python-like text for the report ("min(int((hi - lo) * scale), bins - 1)");
// the loop variable's first and last values read "first i" and "last i".
std::string sym_text(const Sym &s, const std::string &iv);
// ranges_sym.cpp: a double as Python's repr writes it ("0.1", "1e+16", "2.0", "inf")
std::string real_text(double v);
// ranges.cpp: the names bound by (x := e) in a statement's own expressions (not its nested
// bodies), and by an unpacking target: each counted twice (never "bound once")
void count_walrus_targets(const ast::Stmt &s, std::map<std::string, int> &count);
void count_unpacked_names(const ast::Expr &t, std::map<std::string, int> &count);

}  // namespace pyvorin
