// The type lattice and the typed unit that `infer` produces and `lower` consumes.
//   Bottom (nothing known yet)  <  None | bool | int | float | str | list[T] | tuple[...] |
//   dict[K, V] | set[T] | range | T | None  <  Top (conflict)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "stages.h"

namespace pyvorin {

// The kinds of the lattice. Scalars are unboxed in native code; the others are CPython objects
// (PyObject*, one owned reference per value): list, tuple, dict, set, str, range, and `T | None`.
// Iter is an iterable object with generic operations only (iteration, len, in): dict views,
// enumerate, zip, reversed, generator expressions.
// TupleN is tuple[T, ...]: a tuple of one item type whose length is known only at run time.
// Bytes is an exact bytes object, ByteArray an exact bytearray (read in place); File is a file object from open(): file[str] a text file
// (io.TextIOWrapper), file[bytes] a binary one (io.BufferedReader/Writer/Random).
// NpScalar is a NumPy scalar (np.float64, np.int32, np.bool_, ...): unboxed like a Python scalar,
// with NumPy's promotion and its own box. Array is an ndarray (a CPython object, read in place).
// Complex is Python's complex: unboxed as {real, imag}.
enum class Kind : uint8_t { Bottom, None, Bool, Int, Float, Str, Top, List, Tuple, Dict, Set, Optional, Range, Iter, TupleN, Bytes, File, ByteArray, NpScalar, Array, Complex };

// NumPy's dtypes, in the order of the dispatcher's dtype codes (TypeTag::Array / NpScalar).
enum class DType : uint8_t { Bool, I8, I16, I32, I64, U8, U16, U32, U64, F32, F64, C64, C128 };
// An ndarray's layout: C- or Fortran-contiguous, or any strides (A).
enum class Layout : uint8_t { C, F, A };

// A type: a scalar kind, or an interned parametric type (`list[int]`, `tuple[int, float]`,
// `dict[str, list[int]]`, `int | None`). Interned: equal types are equal values, compared and
// copied like an int; safe to use from several compiling threads.
class Ty {
 public:
  constexpr Ty() : m_id(0) {}
  static const Ty Bottom, None, Bool, Int, Float, Str, Top, Range, Bytes, ByteArray, Complex;
  Kind kind() const { return Kind(m_id & 0xff); }
  bool operator==(Ty o) const { return m_id == o.m_id; }
  bool operator!=(Ty o) const { return m_id != o.m_id; }
  bool operator<(Ty o) const { return m_id < o.m_id; }
  // The parameters of a parametric type (list: [elem], dict: [key, value], tuple: the items,
  // optional: [the non-None type]); empty for a scalar.
  const std::vector<Ty> &args() const;
  Ty elem() const { return args().at(0); }
  static Ty make(Kind k, std::vector<Ty> args);
  static Ty list(Ty e) { return make(Kind::List, {e}); }
  static Ty set(Ty e) { return make(Kind::Set, {e}); }
  static Ty dict(Ty k, Ty v) { return make(Kind::Dict, {k, v}); }
  static Ty tuple(std::vector<Ty> items) { return make(Kind::Tuple, std::move(items)); }
  static Ty tuple_of(Ty e) { return make(Kind::TupleN, {e}); }
  static Ty file(Ty data) { return make(Kind::File, {data}); }  // data: str or bytes
  static Ty optional(Ty t);  // t | None (t itself when t is None or already optional)
  // weak: a variable that holds either the Python scalar (float, int, bool) or the NumPy scalar of
  // that dtype (float64, int64, bool_): `s = 0.0` then `s += a[i]`. Its value carries which.
  static Ty np_scalar(DType d, bool weak = false);
  bool weak() const { return kind() == Kind::NpScalar && ((extra() >> 8) & 1); }
  // ndarray[dtype, ndim, layout]; readonly: not writeable
  static Ty array(DType d, int ndim, Layout layout, bool readonly = false);
  // NpScalar and Array: the dtype; Array: ndim, layout, readonly
  DType dtype() const;
  int ndim() const { return int(extra() & 0xff); }
  Layout layout() const { return Layout((extra() >> 8) & 3); }
  bool readonly() const { return (extra() >> 10) & 1; }
  uint32_t id() const { return m_id; }

 private:
  constexpr explicit Ty(uint32_t id) : m_id(id) {}
  static Ty make_extra(Kind k, std::vector<Ty> args, uint32_t extra);
  uint32_t extra() const;
  uint32_t m_id;  // kind in the low byte; an interned index above it for parametric types
};
inline constexpr Ty Ty::Bottom{uint32_t(Kind::Bottom)};
inline constexpr Ty Ty::None{uint32_t(Kind::None)};
inline constexpr Ty Ty::Bool{uint32_t(Kind::Bool)};
inline constexpr Ty Ty::Int{uint32_t(Kind::Int)};
inline constexpr Ty Ty::Float{uint32_t(Kind::Float)};
inline constexpr Ty Ty::Str{uint32_t(Kind::Str)};
inline constexpr Ty Ty::Top{uint32_t(Kind::Top)};
inline constexpr Ty Ty::Range{uint32_t(Kind::Range)};
inline constexpr Ty Ty::Bytes{uint32_t(Kind::Bytes)};
inline constexpr Ty Ty::ByteArray{uint32_t(Kind::ByteArray)};
inline constexpr Ty Ty::Complex{uint32_t(Kind::Complex)};

// The least upper bound: equal types, a container whose element types join, `T | None`;
// anything else is Top (a conflict).
Ty join(Ty a, Ty b);
std::string ty_name(Ty t);  // "int", "list[int]", "dict[str, float]", "int | None"
// The name CPython gives a value's type (`type(x).__name__`, as in its messages): "list",
// "NoneType", "_io.TextIOWrapper"; `T | None` names T.
std::string py_type_name(Ty t);
inline bool is_numeric(Ty t) { return t == Ty::Bool || t == Ty::Int || t == Ty::Float; }
inline bool is_integral(Ty t) { return t == Ty::Bool || t == Ty::Int; }
// A CPython object in native code (a PyObject*, one owned reference per value).
inline bool is_object(Ty t) { return (t.kind() >= Kind::List && t.kind() != Kind::NpScalar && t.kind() != Kind::Complex) || t == Ty::Str; }
inline bool is_np_scalar(Ty t) { return t.kind() == Kind::NpScalar; }
inline bool is_weak(Ty t) { return t.kind() == Kind::NpScalar && t.weak(); }
inline bool is_array(Ty t) { return t.kind() == Kind::Array; }
// NumPy dtype facts
const char *dtype_name(DType d);          // "float64", "int8", "bool"
int dtype_size(DType d);                  // bytes per item
inline bool dtype_is_float(DType d) { return d == DType::F32 || d == DType::F64; }
inline bool dtype_is_complex(DType d) { return d == DType::C64 || d == DType::C128; }
// The dtype of a complex dtype's real and imaginary parts (complex64: float32)
inline DType complex_part(DType d) { return d == DType::C64 ? DType::F32 : DType::F64; }
inline bool dtype_is_unsigned(DType d) { return d >= DType::U8 && d <= DType::U64; }
inline bool dtype_is_int(DType d) { return d >= DType::I8 && d <= DType::U64; }
// NumPy's promotion of two scalar dtypes (np.promote_types); a Python int, float or bool acts as
// int64, float64 or bool when both operands are scalars (NumPy 1.24).
DType promote(DType a, DType b);
// The dtype a Python scalar or NumPy scalar type stands for (Int -> int64, Float -> float64, Bool -> bool,
// Complex -> complex128)
bool scalar_dtype(Ty t, DType *out);
// Text: str, or bytes (its items are ints)
inline bool is_text(Ty t) { return t == Ty::Str || t == Ty::Bytes; }
// bytes or bytearray: a buffer of bytes whose items are ints
inline bool is_byte_buffer(Ty t) { return t == Ty::Bytes || t == Ty::ByteArray; }
inline bool is_container(Ty t) {
  Kind k = t.kind();
  return k == Kind::List || k == Kind::Tuple || k == Kind::TupleN || k == Kind::Dict || k == Kind::Set;
}
inline bool is_tuple(Ty t) { return t.kind() == Kind::Tuple || t.kind() == Kind::TupleN; }
// A sequence read in place (ob_size, and the items inline or behind ob_item).
inline bool is_sequence(Ty t) { return t.kind() == Kind::List || is_tuple(t); }
// One type for every item of a tuple (Top when they differ; Bottom for the empty tuple).
Ty tuple_items_join(Ty t);
// Does t contain Bottom or Top anywhere (a type not fully known yet)?
bool is_partial(Ty t);
bool has_top(Ty t);
// The dispatcher's flattened argument signature (TypeTag codes, pyvorin::TypeTag) <-> types.
std::vector<Ty> types_from_tags(const std::vector<TypeTag> &tags);
void tags_from_type(Ty t, std::vector<TypeTag> &out);

struct TraceEntry {
  int line = 0;
  std::string name, type, because;
};

// What a call expression resolves to.
struct MethodRule;
struct CallTarget {
  // Numpy: np.NAME(...) (name), or an ndarray method (name ".NAME")
  enum class Kind { Function, Builtin, Math, Method, Numpy } kind = Kind::Builtin;
  struct Spec *spec = nullptr;  // Function
  std::string name;             // Builtin / Math / Method: "abs", "sqrt", "append", ...
  const MethodRule *rule = nullptr;  // Method: its family's row (objects.h)
};

// A bounds check of an ndarray element access that loop versioning may remove (ranges.cpp): the
// index item `index` is the loop's variable plus `offset` on `axis` of the local array `array`.
struct RangeCheck {
  const ast::Expr *index;
  std::string array;
  int axis;
  int64_t offset;
  int line;
  const ast::Expr *store = nullptr;  // the subscript, when the access is an assignment's target
};
// An int accumulator `acc = acc + e` (from acc += e) run once per iteration at most, whose addend e
// lies in [lo, hi] whatever the values: the loop cannot overflow it when
// |acc| + trip count * max(|lo|, |hi|) fits in int64, tested once before the loop.
struct AccumCheck {
  const ast::Expr *add;  // the BinOp whose overflow check the unchecked copy drops
  std::string var;
  int64_t lo, hi;
  int line;
};
// `a[k] = a[j] + 1` (`a[k] += 1`) on a counter array (ranges.cpp, find_counters): an int64 array
// this call made with np.zeros whose elements nothing else writes. Every element is at most the
// number of such additions run so far, and 2**63 of them would take decades: the add has no
// overflow test.
struct CounterAdd {
  const ast::Expr *add;  // the BinOp
  std::string array;
  int line;
  int made_line;  // the np.zeros assignment's line
};

// A value computed once before a loop from what holds there (ranges_sym.cpp builds, lower_sym.cpp
// computes): a bound of some value in the loop's body. A double or an int64; an int64 computation
// that overflows, or a truncation of a double beyond int64, fails the test it is in.
struct Sym {
  enum class Op { Const, Var, IvLo, IvHi, Dim, Add, Sub, Mul, Div, Neg, Min, Max, Trunc, ToFloat };
  Op op = Op::Const;
  bool real = false;  // a double, else an int64
  double f = 0;       // Const (real)
  int64_t i = 0;      // Const (int); Dim: the axis
  std::string var;    // Var, Dim: the local (loop-invariant) it reads
  std::vector<std::shared_ptr<const Sym>> args;
};
using SymRef = std::shared_ptr<const Sym>;
// a < b (a <= b when !strict), of two Syms of one kind; false where either is NaN
struct SymTest {
  SymRef a, b;
  bool strict = true;
};
// A check in a counted loop's body that cannot fire when every test holds before the loop
// (ranges_sym.cpp): the value it guards lies in a range computed there.
struct ProvenCheck {
  enum class Kind { IntRange, FloatWarning, Bounds };
  Kind kind;
  const ast::Expr *expr;             // int()'s call, the NumPy float operation, or the index item
  const ast::Expr *store = nullptr;  // Bounds: the subscript, when it is an assignment's target
  std::string array;                 // Bounds: the array and its axis
  int axis = 0;
  int line;
  SymRef lo, hi;                     // the range of the value it guards
  std::vector<SymTest> tests;
};

struct RangePlan {
  std::vector<RangeCheck> checks;
  std::vector<AccumCheck> accums;
  std::vector<ProvenCheck> proven;
  bool versioned = false;  // set by lower when it emitted the unchecked copy
  std::string wide_sum;    // set by lower: the accumulator it sums in 128 bits (lower_wide.cpp)
};

// One specialisation: a function compiled for one tuple of parameter types.
struct Spec {
  int fn_index = 0;
  ast::FunctionDef *fn = nullptr;
  std::vector<Ty> params;
  Ty ret = Ty::Bottom;
  std::map<std::string, Ty> vars;  // every local, parameters included
  std::set<std::string> locals;
  std::unordered_map<const ast::Expr *, Ty> types;
  std::unordered_map<const ast::Expr *, CallTarget> calls;
  // key=f where f is a jitted function: its specialisation for the elements, called natively.
  std::unordered_map<const ast::Expr *, Spec *> key_calls;
  // and/or expressions used only for their truth (if/while/ternary tests, `not`): their operands
  // may have different types, since only each operand's truth is needed.
  std::set<const ast::Expr *> truth_only;
  // `if x is None:` where x's type decides it (x is None in this specialisation, or x can never
  // be None): the test's known truth; only the branch it selects is typed and lowered.
  std::unordered_map<const ast::Expr *, bool> static_tests;
  std::vector<TraceEntry> trace;
  // counted loops whose ndarray bounds checks loop versioning removes (ranges.cpp, lower)
  std::map<const ast::For *, RangePlan> range_plans;
  std::vector<CounterAdd> counter_adds;
  // ranges_float.cpp: + - * / that cannot warn (NumPy float64) or overflow (Python float)
  // whatever the arguments, each with the class of its result ("[0, 1] or NaN") for the report
  std::map<const ast::Expr *, std::string> quiet_ops;
  // The first line each concrete type was assigned to a variable (kept across passes), so a
  // conflict can name both types and both lines.
  std::map<std::string, std::vector<std::pair<Ty, int>>> origins;
  std::string symbol;              // LLVM function name
  bool has_loop = false, has_call = false, prints = false, deopts = false;
  // The first construct that may need a rerun in CPython (deopts): its line, why, and what to do.
  int deopt_line = 0;
  std::string deopt_reason, deopt_suggestion;
  std::string signature() const;   // "(int, float)"
  // Whether its code holds any CPython object (a variable, a value, the result, a method call):
  // such code keeps the GIL and releases its references at every exit.
  bool uses_objects() const;
};

struct UnitSource {
  const UnitFunction *request = nullptr;
  std::unique_ptr<ast::FunctionDef> fn;
  std::string ast_dump;
};

struct TypedUnit {
  std::vector<UnitSource> sources;
  std::vector<std::unique_ptr<Spec>> specs;  // specs[0] is the root
  std::optional<Fallback> fallback;
  bool transitively_prints = false;
  bool long_running = false;
  bool has_effects = false;  // lowering marked an effect (an argument changed, a file used): not repeatable
};

// Solves the types of the root specialisation and every specialisation it calls.
void infer(TypedUnit &unit, const std::vector<TypeTag> &root_args);

// float(s) for a string literal with CPython's grammar (float_parse.cpp): `ascii_text` is the
// literal's Constant::numeric_text. False where CPython raises ValueError.
bool parse_float_literal(const std::string &ascii_text, double *value);

// Statement scans (scan.cpp): can execution continue after these statements (the end of the
// function is then reachable: an implicit `return None`)? Which names does a body assign (its
// locals, as CPython decides them)?
bool body_completes(const ast::Body &b);
void collect_locals(const ast::Body &b, std::set<std::string> &out);

// An `if` whose None test the types decide (Spec::static_tests) and whose taken branch never
// completes: the statements after it are unreachable in this specialisation.
bool ends_statically(const ast::Stmt &s, const std::unordered_map<const ast::Expr *, bool> &static_tests);

// Is this builtin call lowered as a text builtin (infer_strings.cpp: str, repr, format, ord, chr,
// open, the f-string parts, int(s), float(s), min/max of strings)? args: the argument types.
bool is_text_builtin(const std::string &name, const std::vector<Ty> &args);

// A subscript chain on an ndarray, a[i][j, k]: the base expression (a) and each subscript's
// items, in the order they apply (here {i} then {j, k}). Base null when e is no such chain.
struct IndexChain {
  const ast::Expr *base = nullptr;
  std::vector<std::vector<const ast::Expr *>> items;
};
IndexChain index_chain(const ast::Expr &e, const Spec &spec);
// an index item that reads one position: an int (Python's or a NumPy integer)
bool int_index(Ty t);
// an int literal, or one negated (-3): its value
bool int_literal(const ast::Expr &e, int64_t *v);

// A short source-like rendering of an expression for the inference trace: "total + i * i".
std::string unparse(const ast::Expr &e);

}  // namespace pyvorin
