// infer: a fixed-point solver over the type lattice (types.h). Every pass walks every
// specialisation once, joining each assignment's type into its variable; passes repeat until
// nothing changes. The last pass (which changes nothing) records the trace and the errors.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "infer.h"

namespace pyvorin {

using namespace ast;

bool Spec::uses_objects() const {
  if (is_object(ret)) return true;
  for (auto &[name, t] : vars)
    if (is_object(t)) return true;
  for (auto &[e, t] : types)
    if (is_object(t)) return true;
  for (auto &[e, c] : calls)
    if (c.kind == CallTarget::Kind::Method) return true;
  return false;
}

std::string Spec::signature() const {
  std::string s = "(";
  for (size_t i = 0; i < params.size(); ++i) s += (i ? ", " : "") + std::string(ty_name(params[i]));
  return s + ")";
}


void infer(TypedUnit &unit, const std::vector<TypeTag> &root_args) { typing::Solver(unit).solve(root_args); }

}  // namespace pyvorin
