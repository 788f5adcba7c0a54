// ranges (ranges.cpp): the stage between infer and lower that plans loop versioning: for each
// counted loop, the ndarray element accesses whose bounds checks one test before the loop can
// prove redundant (Spec::range_plans).
#pragma once

#include "types.h"

namespace pyvorin {

void analyse_ranges(TypedUnit &unit);

}  // namespace pyvorin
