// lower: TypedUnit -> llvm::Module. One FunctionLowerer per specialisation; statements and control
// flow are in lower.cpp (loops in lower_loops.cpp), expressions, operators and calls in lower_expr.cpp,
// NumPy scalars in lower_numpy.cpp and ndarrays in lower_ndarray.cpp.
//
// Calling convention: every specialisation is `internal <ret> @pv.NAME.K(ptr %ctx, i64 %budget,
// params...)` with int -> i64, float -> double, bool -> i1, None -> void. %budget is how many
// more native calls may nest (RecursionError at 0); it travels in a register, so recursion costs
// no memory traffic for depth counting. Errors are recorded in the PvCtx
// (runtime/pyvorin_runtime.h) and the function returns through its `unwind` block; callers check
// ctx->status after each call. The exported `pv_entry_*` wrapper takes (ptr %ctx, ptr %args) with
// every argument in a 64-bit slot and returns the result in an i64.
#pragma once

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "types.h"

namespace pyvorin {

// What lower says about a loop's NumPy float warnings (lower_fpe.cpp): the report's remarks,
// pass "numpy-warnings".
struct FeRemark {
  int line = 0;
  std::string kind, message, why;  // kind: "passed" (the CPU's flags serve) or "missed"
};

struct LoweredModule {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  std::string entry_symbol;
  std::vector<FeRemark> fe_remarks;
};

// Options::exported: code for a library outside the process (constants in place of load-time symbols).
LoweredModule lower(TypedUnit &unit, const Options &options, const std::string &module_name);

// The reads of locals that some path reaches before any assignment (lower_defs.cpp): only these
// need an UnboundLocalError check.
std::set<const ast::Name *> maybe_unbound_reads(const ast::FunctionDef &fn);

// Whether CPython folds a display's items into one constant: a set display then comes from a
// frozenset, in that frozenset's order (lower_obj.cpp).
bool folded_constant_display(const std::vector<ast::ExprPtr> &elts);

// CPython's name of a type ("list", "NoneType"), for messages (lower_obj.cpp).

// The parameters of the function's lambdas (escape.cpp): bound to other containers' items.
std::set<std::string> lambda_params(const ast::FunctionDef &fn);
// The local containers only this call can see (escape.cpp): changing them is no observable effect.
std::set<std::string> private_containers(const Spec &spec);
// The private ones whose items are all new objects reached only through them (escape.cpp):
// changing an item (`grid[i][j] = v`) is no observable effect either.
// item_aliases: the names only ever given an item of one of them (`row = grid[i]`).
std::set<std::string> deep_private_containers(const Spec &spec, std::set<std::string> *item_aliases = nullptr);
// The local containers kept in native storage (native.cpp): lists of int, float or bool in a
// buffer; dicts and sets keyed by ints, bools or tuples of them in a hash table.
enum class NativeKind { List, Set, Dict };
struct NativeLocal {
  NativeKind kind;
  Ty elem;   // a list's element type, a set's or dict's key type
  Ty value;  // a dict's value type
  // A float item may be an object that something else references too: CPython's identity of a
  // NaN could then matter, so such a container holding a NaN is not handed to CPython.
  bool shares = false;
  // A dict or set that CPython may read (handed over, printed, looped over): its table keeps
  // insertion order. One that is only looked up needs no order.
  bool ordered = true;
};
// v without the arithmetic fences around it (FunctionLowerer::opaque; lower_fpe_group.cpp)
const llvm::Value *strip_fence(const llvm::Value *v);

// Whether `m` is compiled for x86-64 (the host's triple when it names none).
bool is_x86_64(const llvm::Module &m);
// Whether x OP c (c a constant, on the right if c_right) can never overflow or make a NaN out of
// numbers, whatever x (lower_fpe.cpp).
bool constant_operand_quiet(ast::Op op, double c, bool c_right, bool f32);
// Whether `i` can set the CPU's invalid flag for a NaN it only reads (lower_fpe.cpp).
bool fe_can_signal_on_nan(const llvm::Instruction &i);

std::map<std::string, NativeLocal> native_locals(const Spec &spec, const std::set<const ast::Name *> &maybe_unbound);
// Names read where their value may be boxed into an object (escape.cpp): a call's argument, an
// `in` operand, a subscript's index, a display's element, a value stored into a container.
// boxes_index(s): whether subscript s boxes its index (a dict's key; not a list's index).
std::set<std::string> boxed_names(const ast::FunctionDef &fn, const std::function<bool(const ast::Subscript &)> &boxes_index);

// The LLVM type of a NumPy scalar's value (lower_numpy.cpp): a dtype's machine type, a weak
// scalar's {value, is_numpy}; memory_type: an array element's (a bool is a byte).
llvm::Type *np_scalar_type(llvm::LLVMContext &c, Ty t);
llvm::Type *np_complex_type(llvm::LLVMContext &c, DType d);  // {float, float} or {double, double}
unsigned dtype_align(DType d);  // an element's alignment in an aligned array (complex64: 4)
llvm::Type *complex_type(llvm::LLVMContext &c);  // {double real, double imag} (lower_complex.cpp)
llvm::Type *dtype_llvm(llvm::LLVMContext &c, DType d);
llvm::Type *memory_type(llvm::LLVMContext &c, DType d);

// Flag variants of helpers (lower_fe_variant.cpp): whether a helper may be called from a loop
// that reads the CPU's float flags; whether the unit has such a loop; keeping the variants that
// raise no invalid flag for a NaN they only read (ModuleState::fe_variants).
struct ModuleState;
bool fe_flag_safe(const Spec &spec, std::map<const Spec *, int> &memo);
bool unit_wants_fe_variants(const TypedUnit &unit);
void verify_fe_variants(ModuleState &ms, const std::vector<std::pair<const Spec *, llvm::Function *>> &variants);

// Module-wide declarations shared by every function of a unit.
struct ModuleState {
  llvm::LLVMContext &ctx;
  llvm::Module &module;
  llvm::DIBuilder dib;
  llvm::DIFile *file = nullptr;
  llvm::DICompileUnit *cu = nullptr;
  llvm::StructType *ctx_type = nullptr;
  std::map<std::string, llvm::Constant *> strings;
  const Options &options;
  std::map<const Spec *, int> fe_safe;                // fe_flag_safe's answers (lower_fe_variant.cpp)
  std::map<const Spec *, llvm::Function *> fe_variants;  // the flag variants that serve
  std::vector<FeRemark> fe_remarks;                    // (LoweredModule::fe_remarks)

  ModuleState(llvm::LLVMContext &c, llvm::Module &m, const Options &o) : ctx(c), module(m), dib(m), options(o) {}
  llvm::Constant *string(const std::string &s);
  llvm::FunctionCallee runtime(const std::string &name);
  llvm::Type *type_of(Ty t);
  // An address the JIT's loader binds when it loads the object (jit.cpp): `pv.file.N` (function
  // N's co_filename) and `pv.globals.N` (its globals dict). Declared once per module.
  llvm::Constant *load_time(const std::string &name);
  // The DIFile of a source file as debug info names it.
  llvm::DIFile *debug_file(const std::string &filename);
};

class FunctionLowerer {
 public:
  // fe_variant: the helper's flag variant (lower_fe_variant.cpp)
  FunctionLowerer(ModuleState &ms, TypedUnit &unit, Spec &spec, bool fe_variant = false);
  void lower_body();
  llvm::Function *function() const { return m_fn; }

 private:
  ModuleState &m_ms;
  TypedUnit &m_unit;
  Spec &m_spec;
  llvm::Function *m_fn = nullptr;
  llvm::IRBuilder<> m_b;
  llvm::DISubprogram *m_sp = nullptr;
  llvm::Value *m_ctx = nullptr;
  llvm::Value *m_budget = nullptr;
  llvm::Value *m_interrupt = nullptr;  // the thread's interrupt flag, loaded from ctx once at entry
  llvm::BasicBlock *m_unwind = nullptr;
  llvm::Constant *m_fname = nullptr;
  llvm::Constant *m_file = nullptr;  // the function's co_filename, for traceback entries
  bool m_tracks_depth = false;
  struct Var {
    llvm::AllocaInst *slot = nullptr;
    llvm::AllocaInst *bound = nullptr;  // only for a variable with a read that may find it unbound
    // An int or float variable that is boxed somewhere keeps its box: the object it was read from
    // (a list item), so identity holds (a NaN found by `in`), or the box made the first time it
    // is boxed, so boxing it again (d[k] = d.get(k, 0) + 1) allocates nothing. Reset by a store.
    llvm::AllocaInst *shadow = nullptr;
    Ty type = Ty::Bottom;
    // An ndarray variable's view (lower_numpy.cpp), set where it is assigned.
    struct {
      llvm::AllocaInst *data = nullptr, *writeable = nullptr;
      std::vector<llvm::AllocaInst *> shape, strides;
    } view;
  };
  std::map<llvm::Value *, llvm::Value *> m_float_source;   // unboxed float -> the object it came from
  std::map<llvm::Value *, const Var *> m_float_load;  // a load of an int/float variable with a shadow -> it
  std::map<std::string, Var> m_vars;
  std::set<const ast::Name *> m_maybe_unbound;  // maybe_unbound_reads(*m_spec.fn)
  struct Loop {
    llvm::BasicBlock *break_bb, *continue_bb;
    size_t withs;  // the with blocks open where the loop starts (break/continue close the others)
  };
  // with blocks (lower_with.cpp): the manager's variable and whether the block is running
  struct With {
    std::string var;
    llvm::AllocaInst *active;
  };
  int m_return_line = 0;
  std::vector<With> m_withs;      // open around the code being lowered, innermost last
  std::vector<With> m_all_withs;  // every with block of the function (closed at unwind if active)
  void with_stmt(const ast::If &s);
  void exit_withs(size_t keep, int line);  // closes the open with blocks above depth `keep`
  void abort_withs();                      // at unwind: closes the active ones, keeping the error
  std::vector<Loop> m_loops;

  // statements (lower.cpp)
  void body(const ast::Body &b);
  void stmt(const ast::Stmt &s);
  void store_var(const std::string &name, llvm::Value *v, Ty t);
  void for_range(const ast::For &s);
  void while_loop(const ast::While &s);
  // A loop (not nested in another) that touches no object, prints nothing and calls nothing but
  // math and scalar builtins, in a function that holds objects: it runs without the GIL.
  bool scalar_only(const ast::Stmt &s) const;
  bool scalar_only(const ast::Expr &e) const;
  bool scalar_test(const ast::Expr &e) const;
  llvm::AllocaInst *m_gil = nullptr;  // the saved thread state while a loop runs without the GIL
  void restore_gil();                 // at an exit: take the GIL back if a loop released it
  void if_stmt(const ast::If &s);
  const ast::BinOp *conditional_increment(const ast::If &s) const;
  void emit_return(llvm::Value *v);
  void poll_interrupt(int line);
  void fresh_block(const char *name);

  // errors
  void set_loc(const ast::SourceRange &r);
  void raise_if(llvm::Value *cond, int kind, const std::string &message, int line);
  void raise_now(int kind, const std::string &message, int line);
  void check_status(int call_line = 0);  // call_line > 0: after a call to a compiled function
  llvm::Value *line_const(int line);

  struct LoopBlocks {
    llvm::BasicBlock *header, *body, *latch, *orelse, *exit;
  };
  LoopBlocks loop_blocks(const std::string &prefix);  // the five blocks every loop shape uses
  // The loop body (break -> exit, continue -> latch), then the latch with the interrupt poll;
  // the caller adds the back-edge.
  void loop_body_and_latch(const ast::Body &b, const LoopBlocks &blocks, const ast::SourceRange &r);

  // expressions (lower_expr.cpp)
  void lower_args(const ast::Call &e, std::vector<llvm::Value *> &values, std::vector<Ty> &types);
  llvm::Value *expr(const ast::Expr &e);
  llvm::Value *never_completes(const ast::Expr &e);  // an expression typed Bottom
  Ty type(const ast::Expr &e) const;
  llvm::Value *truthy(llvm::Value *v, Ty t);
  llvm::Value *condition(const ast::Expr &e);  // the truth of e, short-circuit for truth-only and/or
  llvm::Value *opaque(llvm::Value *v);   // llvm.arithmetic.fence: no folding or rewriting through v
  llvm::Value *float_const(double v);    // a program's float constant, opaque
  llvm::Value *to_float(llvm::Value *v, Ty t);
  llvm::Value *to_int(llvm::Value *v, Ty t);
  llvm::Value *convert(llvm::Value *v, Ty from, Ty to);
  llvm::Value *load_var(const ast::Name &n);
  llvm::Value *binop(const ast::BinOp &e);
  llvm::Value *int_binop(const ast::BinOp &e, llvm::Value *l, llvm::Value *r);
  llvm::Value *float_binop(const ast::BinOp &e, llvm::Value *l, llvm::Value *r, Ty lt, Ty rt);
  llvm::Value *checked(llvm::Intrinsic::ID id, llvm::Value *l, llvm::Value *r, int line);
  llvm::Value *unary(const ast::UnaryOp &e);
  llvm::Value *compare(const ast::Compare &e);
  llvm::Value *boolop(const ast::BoolOp &e);
  llvm::Value *ifexp(const ast::IfExp &e);
  llvm::Value *call(const ast::Call &e);
  llvm::Value *builtin(const ast::Call &e, const std::string &name);
  llvm::Value *math(const ast::Call &e, const std::string &name);
  llvm::Value *print(const ast::Call &e);
  llvm::Value *float_to_int(llvm::Value *x, int line, bool checked = true);
  llvm::Value *math_checked(llvm::Value *x, llvm::Value *r, bool can_overflow, int line);
  llvm::Value *none_value();
  llvm::Value *constant_value(const Binding &b, Ty t);

  // ---- objects (lower_obj.cpp) ----
  // An object value is a PyObject* holding one owned reference. Every owned temporary lives in a
  // slot (nulled at entry) until it is released or handed on, and every exit (return, unwind)
  // releases what the slots still hold: an error anywhere leaks nothing.
  bool m_uses_objects = false;
  llvm::BasicBlock *m_exit = nullptr;      // returns go through here when objects are in use
  llvm::AllocaInst *m_ret_slot = nullptr;
  std::vector<llvm::AllocaInst *> m_obj_slots;  // object variables and temporaries
  std::map<llvm::Value *, llvm::AllocaInst *> m_temps;
  llvm::AllocaInst *entry_slot(llvm::Type *t, const std::string &name, llvm::Value *init);
  llvm::Value *own(llvm::Value *obj);       // a new reference: held by a temp slot
  llvm::Value *dup(llvm::Value *obj);       // another owned reference to the same object (a new Value)
  void release(llvm::Value *v);             // drop an owned temp (a no-op for scalars)
  void forget(llvm::Value *v);              // its reference moved elsewhere (stored, returned, stolen)
  void cleanup_objects();                   // at an exit: release every slot
  void incref(llvm::Value *obj);
  void decref(llvm::Value *obj);
  void xdecref(llvm::Value *obj);
  void mark_effect(const ast::Expr *receiver = nullptr);  // ctx->effects = 1, unless it is a private local
  llvm::AllocaInst *m_effects = nullptr;    // set by mark_effect; written to ctx at every exit
  void flush_effects();
  // ---- NumPy's float warnings (lower_fpe.cpp) ----
  llvm::AllocaInst *m_fpe = nullptr;      // integer overflows and full float tests, tested at loop ends and returns
  llvm::AllocaInst *m_fpe_inv = nullptr;  // invalid results of + - * (the CPU's invalid flag may replace them)
  llvm::AllocaInst *m_fpe_ovf = nullptr;  // overflows of + - * (the CPU's overflow flag may replace them)
  llvm::AllocaInst *m_fpe_py = nullptr;   // a Python float operation of the loop overflowed (silent in CPython)
  llvm::AllocaInst *m_csr = nullptr;      // stmxcsr's slot
  struct FeLoop {                         // the outermost loop being lowered
    llvm::Instruction *from = nullptr;    // its first instruction (invalid_flag_spoiler)
    bool hw_ops = false, calls_py = false, returns = false;
    bool branches = false;                // an operation lowered with branches of its own (complex division)
    std::string unsafe_call;              // it calls this helper, not flag-safe: it reads no flag
    std::string loud_call;                // ... this flag-safe helper with no variant: not the invalid flag
    std::vector<std::pair<llvm::CallInst *, llvm::Function *>> helpers;  // calls of helpers with variants
    std::vector<llvm::Instruction *> effects;  // its stores into arguments (fe_first_effects)
    std::vector<std::pair<llvm::StoreInst *, llvm::Value *>> inv;  // its + - * invalid tests, with the results
    std::vector<llvm::StoreInst *> ovf;                             // ... and overflow tests
    std::vector<llvm::StoreInst *> py;                              // its Python float overflow tests (m_fpe_py)
  } m_fe_loop;
  llvm::AllocaInst *m_fpe_noted = nullptr; // the overflow flag before a call that may run NumPy (fe_note)
  llvm::AllocaInst *m_fe_keep = nullptr, *m_fe_keep32 = nullptr;  // results kept alive where the invalid flag serves (fe_loop_end)
  int m_fe_defer = -1;                    // fe_deferred(), once known
  llvm::AllocaInst *m_fe_py_helper = nullptr;  // a helper's Python float overflows, written to ctx->fe_python where it returns
  void fe_python_flush();            // float tests warn where they are (before a NumPy call that would warn itself)
  int m_unit_fpe = -1;                    // unit_tests_fe_flags(), once known
  int m_unit_reads_ovf = -1;              // unit_loop_may_read_overflow(), once known
  bool unit_loop_may_read_overflow();
  void fe_setup();
  llvm::Value *fe_flags(unsigned mask);
  llvm::Instruction *fe_clear(unsigned mask);
  bool unit_tests_fe_flags();
  bool is_counter_add(const ast::Expr &e) const {
    for (auto &c : m_spec.counter_adds)
      if (c.add == &e) return true;
    return false;
  }
  bool fe_deferred();
  void fe_python_op();
  void fe_python_result(llvm::Value *r, const std::vector<llvm::Value *> &in);
  bool may_do_python_float_arithmetic(const Spec &callee);
  void fe_note();
  llvm::Instruction *invalid_flag_spoiler(llvm::Instruction *from, const std::set<llvm::Instruction *> &quiet_calls);
  void fe_remark(const ast::Stmt &loop, bool straight, bool hw_overflow, bool hw_invalid, llvm::Instruction *spoiler);
  bool m_fe_variant = false;         // this is a helper's flag variant (lower_fe_variant.cpp)
  llvm::Value *quiet_order(ast::CmpOp op, llvm::Value *a, llvm::Value *b);
  void fe_helper_call(llvm::CallInst *call, const Spec &callee);
  llvm::Value *fe_pending();
  void fpe_check(int line);
  void fpe_check(llvm::Value *line);
  void fe_loop_start();
  void fe_loop_end(const ast::Stmt &loop, int line);
  llvm::Value *fe_loop_warned(bool hw_overflow, bool hw_invalid);
  void fe_first_effects(bool hw_overflow, bool hw_invalid, int line);
  void fe_return_check(int line);
  void fe_unwind();
  std::map<llvm::StoreInst *, llvm::Instruction *> m_fe_tests;  // noted exact tests -> their results (lower_fpe_group.cpp)
  void fe_register(llvm::StoreInst *st, llvm::Value *r);
  void fe_group_tests();
  llvm::Value *fe_not_finite(llvm::IRBuilder<> &b, const std::vector<llvm::Value *> &values);
  bool m_fe_reads_invalid = false;  // a loop of this function reads the CPU's invalid flag (fe_loop_end)
  int m_leaf_scalar = -1;
  bool leaf_scalar();  // no loop, and statements that touch no object and call no compiled function
  std::set<std::string> m_private;          // private_containers(m_spec)
  std::set<std::string> m_deep_private;     // deep_private_containers(m_spec)
  std::set<std::string> m_item_aliases;     // ... and the names of their items
  llvm::Value *py_global(const std::string &name);  // &PyLong_Type, &_Py_NoneStruct, ...
  llvm::FunctionCallee capi(const std::string &name, llvm::Type *ret, std::vector<llvm::Type *> params);
  llvm::Value *call_obj(const std::string &name, std::vector<llvm::Value *> args, int line);  // PyObject* C API, NULL = error
  llvm::Value *call_int(const std::string &name, std::vector<llvm::Value *> args, int line);  // int C API, -1 = error
  void fail_if_null(llvm::Value *v, int line);
  void python_error(int line);              // a Python exception is set: record it and unwind
  llvm::Value *site_cache();                // a per-call-site PyObject* slot (a private global)
  llvm::Value *builtin_object(const std::string &name, int line);  // borrowed
  llvm::Value *global_object(const std::string &name, int line);   // borrowed, from this function's globals
  llvm::Value *str_object(const std::string &utf8);
  llvm::Value *get_attr(llvm::Value *obj, const std::string &name, int line);  // obj.name (an interned name: no str per call)                 // borrowed, interned
  llvm::Value *obj_type(llvm::Value *obj);
  llvm::Value *ob_size(llvm::Value *obj);
  llvm::Value *list_items(llvm::Value *list);
  llvm::Value *tuple_item_ptr(llvm::Value *tuple, llvm::Value *index);
  llvm::Value *to_object(llvm::Value *v, Ty from);                  // owned
  // A borrowed or owned object as a value of type t (unboxed with a guard, or type-checked and
  // owned for an object type); an owned input is consumed.
  // keep_source: a float read from a container that stays alive until the value is stored (a
  // loop's list, a variable's list) may be boxed back as that very object (Var::shadow).
  llvm::Value *from_object(llvm::Value *obj, Ty t, int line, bool owned, bool keep_source = false);
  void guard(llvm::Value *ok, llvm::Value *obj, Ty t, int line);
  llvm::Value *type_check(llvm::Value *obj, Ty t);
  llvm::Value *obj_truthy(llvm::Value *obj, Ty t, int line);
  llvm::Value *obj_expr(const ast::Expr &e);
  llvm::Value *display(const ast::Expr &e);
  llvm::Value *subscript(const ast::Subscript &e);
  llvm::Value *slice_object(const ast::Slice &s, int line);
  llvm::Value *index_value(const ast::Expr &idx, int line);          // an int index as i64
  llvm::Value *checked_index(llvm::Value *i, llvm::Value *n, const std::string &message, int line);
  void assign_target(const ast::Expr &t, llvm::Value *v, Ty vt, int line);
  llvm::Value *dict_lookup(llvm::Value *d, llvm::Value *key, int line, llvm::BasicBlock *&absent);
  void delete_target(const ast::Expr &t);
  llvm::Value *obj_binop(const ast::BinOp &e, llvm::Value *l, llvm::Value *r, Ty lt, Ty rt);
  llvm::Value *obj_compare(const ast::Compare &e);
  llvm::Value *unwrap(llvm::Value *obj, Ty t, const std::string &message, int line);  // T | None -> T or TypeError
  llvm::Value *method(const ast::Call &e, const CallTarget &target);
  llvm::Value *keyword_value(const ast::Keyword &k, int line);
  llvm::Value *function_object(const ast::Expr &e, int line);
  // The values in an entry-block array of PyObject* (argv for pv_call, pv_call_method, ...); a
  // null pointer for none.
  llvm::Value *object_array(const std::vector<llvm::Value *> &items, const char *name = "argv");
  // f(*args) through pv_call (the first npos positional, the rest named by kw, or null): the
  // result as an owned object; the arguments are released.
  llvm::Value *call_function(llvm::Value *f, const std::vector<llvm::Value *> &args, size_t npos, llvm::Value *kw, int line);
  llvm::Value *obj_builtin(const ast::Call &e, const std::string &name);
  llvm::Value *text_builtin(const ast::Call &e, const std::string &name);  // lower_strings.cpp
  llvm::Value *text_item(const ast::Subscript &e);       // s[i] (a str) and b[i] (an int)
  llvm::Value *print_to_file(const ast::Call &e, const ast::Expr &file, const std::string &sep, const std::string &end, bool flush);
  llvm::Value *str_truth(const ast::Expr &e);
  llvm::Value *str_char_at(llvm::Value *s, llvm::Value *k);  // a code point read in place (PEP 393)            // `if s.strip():` without the stripped str, or null
  llvm::Value *str_method(const ast::Call &e, const ast::Attribute &a);  // through str's C API, or null
  llvm::Value *fstring_native(const ast::Call &e);       // an f-string built by pv_fstring, or null
  struct TextPart;
  llvm::Value *format_native(const ast::Expr &value, const std::string &spec, const ast::SourceRange &r);
  llvm::Value *build_text(const std::vector<TextPart> &parts, const ast::SourceRange &r);
  llvm::Value *parse_number(const ast::Call &e, bool integer);  // int(s), float(s)
  llvm::Value *char_compare(const ast::Compare &e);      // s[i] == t[j], s[i] == 'x': code points
  bool str_append(const ast::Expr &target, const ast::Expr &value);  // s += t in place
  llvm::Value *comprehension(const ast::Comp &c);
  // Runs `each(item, elem_type)` for every element of iterating `iter` (a value of type it) inside
  // a loop built from `blocks`; `each` must consume the item. Lists and tuples are read in place
  // (a list that grows while the loop runs is seen growing, as CPython's list iterator does);
  // anything else goes through CPython's iterator protocol.
  // Returns an iterator to release after the loop's exit (or null).
  llvm::Value *for_each(llvm::Value *iter, Ty it, int line, const std::function<void(llvm::Value *, Ty)> &each,
                        const LoopBlocks &blocks);
  // for x in range(...): the counted loop; `each(x)` lowers the body and ends in the latch.
  void range_loop(const ast::Call &call, const ast::SourceRange &r, const std::string &iv_name,
                  const std::function<void(llvm::Value *)> &each,
                  const LoopBlocks &blocks, bool chunked = false);
  struct RangeBounds {
    llvm::Value *start, *step, *count;
  };
  RangeBounds range_bounds(const ast::Call &call, const ast::SourceRange &r);
  void counted_range(const RangeBounds &rb, const ast::SourceRange &r, const std::string &iv_name,
                     const std::function<void(llvm::Value *)> &each, const LoopBlocks &blocks, bool chunked);
  // What the enclosing versioned loop's test already proved: index expressions (their bounds
  // checks), int() calls (their range test), NumPy float operations (their warning tests), int
  // accumulations (their overflow test).
  // A multiset: a nested versioned loop's copies mark and unmark what an enclosing one also proved.
  std::multiset<const ast::Expr *> m_unchecked;
  // the expressions a loop's plan drops checks of (its stores' writeable checks included)
  static std::vector<const ast::Expr *> plan_exprs(const RangePlan &plan);
  // lower_sym.cpp: a Sym's value before a loop whose variable runs from iv_lo to iv_hi; `valid`
  // becomes false where an int computation overflowed. Null where a local it reads has no
  // number there.
  struct SymEval {
    llvm::Value *iv_lo, *iv_hi, *valid;
    std::map<const Sym *, llvm::Value *> done;
  };
  llvm::Value *sym_value(const Sym &s, SymEval &ev);
  // whether every test of a proven check holds (null: it cannot be computed here)
  llvm::Value *proven_holds(const ProvenCheck &c, SymEval &ev);
  // `for v in range(...)` whose body reads `v % C` (lower_loops.cpp, mod_split_divisor): chunks
  // end at multiples of C and `v % C` is a counter of its own, reset per chunk
  struct ModIv {
    std::string var;
    int64_t divisor = 0;
    llvm::Value *value = nullptr;
  } m_mod_iv;
  int64_t m_mod_split = 0;  // the divisor for the next counted_range, or 0
  int64_t mod_split_divisor(const ast::For &s);
  // for i in range(...): acc += p(i), summed in 128 bits (lower_wide.cpp)
  std::string wide_sum_accumulator(const ast::For &s);
  llvm::Value *wide_poly(const ast::Expr &e, const std::string &iv, llvm::Value *x);
  std::pair<llvm::Value *, llvm::Value *> wide_bound(const ast::Expr &e, const std::string &iv, llvm::Value *m);
  void wide_sum_loop(const ast::For &s, const std::string &acc, const LoopBlocks &blocks, const std::function<void()> &ordinary);
  bool m_chunked_latch = false;  // the next loop_body_and_latch is a chunked counted loop's: no poll
  bool slow_iterations(const ast::Body &b) const;
  void for_stmt(const ast::For &s);
  llvm::Value *iterable(const ast::Expr &e);  // a comprehension's or loop's iterable as an object (owned)
  // The comprehension's loops around `sink`; when `stop` (an i1 slot) is set by the sink, every
  // loop ends at once (any()/all() short-circuit), releasing what it holds.
  void comp_loops(const ast::Comp &c, size_t g, const std::function<void()> &sink, llvm::Value *stop = nullptr);
  llvm::Value *any_all(const ast::Comp &c, bool any);
  // key=lambda (inlined): a new list of seq's items sorted by the key, stable; min/max by the key.
  // The key of one element (a value of the element type) as an owned object.
  using KeyFn = std::function<llvm::Value *(llvm::Value *)>;
  // A lambda (inlined) or a jitted function (native call); as_int: an int or bool key as an i64.
  KeyFn key_of(const ast::Expr &key, Ty elem, int line, bool as_int = false);
  bool native_key(const ast::Expr &key) const;
  // The keys of seq's items (an int key is kept unboxed and sorted natively), then a stable sort;
  // in_place: list.sort, whose list looks empty to the key function and is restored on any exit.
  llvm::Value *sort_by_key(llvm::Value *seq, Ty elem, const ast::Expr &key, llvm::Value *reverse, int line, bool in_place);
  Ty key_result(const ast::Expr &key) const;  // the type a key= lambda or jitted function returns
  std::vector<std::pair<llvm::AllocaInst *, llvm::AllocaInst *>> m_restores;  // list.sort in progress: (list, items)
  llvm::Value *extreme_by_key(llvm::Value *seq, Ty elem, const KeyFn &key, bool max, int line);
  // for i in range(n): body(i); poll: answer an interrupt at each back edge (a loop that surely ends soon need not)
  void counted_loop(llvm::Value *n, int line, const std::function<void(llvm::Value *)> &body, bool poll = true);

  // ---- complex (lower_complex.cpp) ----
  llvm::Value *complex_make(llvm::Value *re, llvm::Value *im);
  void complex_parts(llvm::Value *v, Ty t, llvm::Value **re, llvm::Value **im);
  llvm::Value *complex_binop(const ast::BinOp &e);
  llvm::Value *complex_compare(const ast::Compare &e);
  llvm::Value *complex_abs(llvm::Value *z, int line);
  llvm::Value *complex_value(const ast::Call &e);
  llvm::Value *complex_box(llvm::Value *z, int line);  // owned
  llvm::Value *complex_unbox(llvm::Value *obj, int line);

  // ---- NumPy (lower_numpy.cpp) ----
  struct ArrayView {
    llvm::Value *data = nullptr, *writeable = nullptr;
    std::vector<llvm::Value *> shape, strides;  // bytes
  };
  void np_warn_if(llvm::Value *cond, const std::string &what, int line);
  void np_warn_if(llvm::Value *cond, const std::string &what, llvm::Value *line);
  // a helper that defers its NumPy float tests returns through `exit`, which tests them once:
  llvm::AllocaInst *m_fe_ret_slot = nullptr;  // the return's line
  llvm::Value *np_cast(llvm::Value *v, Ty from, DType to);
  llvm::Value *np_box(llvm::Value *v, Ty t, int line);
  llvm::Value *np_unbox(llvm::Value *obj, Ty t, int line);
  llvm::Value *np_load_value(llvm::Value *obj, DType d);
  llvm::Value *np_truthy(llvm::Value *v, Ty t);
  llvm::Value *np_to_float(llvm::Value *v, Ty t);
  llvm::Value *np_to_int(llvm::Value *v, Ty t, int line, bool checked = true);
  // hw: a + - *, whose tests the CPU's sticky flags may replace in a loop (lower_fpe.cpp)
  void np_float_check(llvm::Value *r, const std::vector<llvm::Value *> &in, const std::string &op, int line,
                      bool hw = false);
  llvm::Value *np_binop(const ast::BinOp &e);
  struct InPlaceOperands {  // a NumPy operation's operands as written, and its result type
    llvm::Value *l;
    Ty lt;
    llvm::Value *r;
    Ty rt;
    Ty res;
  };
  llvm::Value *np_binop_warning_in_place(ast::Op op, llvm::Value *a, llvm::Value *b, DType d, const InPlaceOperands &io, int line);
  bool np_warn_in_place(const ast::SourceRange &where);
  llvm::AllocaInst *m_fe_collect = nullptr;   // float tests OR-ed here instead of tested (np_tested_op)
  int m_first_print_line = -1;                // np_warn_in_place's, once known
  const ast::Stmt *m_outer_loop = nullptr;    // the outermost loop being lowered
  // fused element-wise expressions of float64 arrays (lower_fuse.cpp)
  bool fuse_op(const ast::Expr &e);
  bool fuse_leaves(const ast::Expr &e, int ndim, std::vector<const ast::Expr *> &leaves);
  llvm::Value *fused_elementwise(const ast::Expr &root);
  llvm::Value *np_scalar_binop(const ast::BinOp &e, llvm::Value *l, llvm::Value *r);
  llvm::Value *np_scalar_compare(const ast::Compare &e, llvm::Value *l, llvm::Value *r);
  llvm::Value *np_scalar_unary(const ast::UnaryOp &e, llvm::Value *v);
  // a weak scalar (Python or NumPy): its value, whether it is NumPy's, and one made of both
  llvm::Value *np_value(llvm::Value *v, Ty t);
  llvm::Value *np_flag(llvm::Value *v, Ty t);
  llvm::Value *np_weak(llvm::Value *value, llvm::Value *flag, Ty t);
  llvm::Value *np_compare(const ast::Compare &e);
  llvm::Value *np_unary(const ast::UnaryOp &e);
  llvm::Value *np_abs(llvm::Value *v, DType d, int line);
  void np_float_raise(llvm::Value *bad, const std::string &op, int line);
  // NumPy complex scalars (lower_npcomplex.cpp)
  llvm::Value *np_complex_make(llvm::Value *re, llvm::Value *im);
  llvm::Value *np_complex_cast(llvm::Value *v, Ty from, DType to);
  llvm::Value *np_complex_arith(ast::Op op, llvm::Value *a, llvm::Value *b, int line);
  llvm::Value *np_tested_op(ast::Op op, llvm::Value *a, llvm::Value *b, DType d, int line, llvm::Value **bad);
  llvm::Value *np_complex_equal(ast::CmpOp op, llvm::Value *a, llvm::Value *b);
  llvm::Value *np_complex_negate(llvm::Value *z);
  llvm::Value *np_complex_conjugate(llvm::Value *z);
  llvm::Value *np_complex_abs(llvm::Value *z);
  llvm::Value *np_complex_truthy(llvm::Value *z);
  llvm::Value *np_complex_box(llvm::Value *v, Ty t, int line);
  void array_vars_setup(Var &var, const std::string &name);
  ArrayView view_of(llvm::Value *obj, Ty t);
  void cache_view(const Var &var, llvm::Value *obj, bool writeable = false);
  ArrayView array_view(const ast::Expr &e, llvm::Value **holder);
  llvm::Value *element_ptr(const ArrayView &v, const std::vector<llvm::Value *> &idx, const std::vector<int> &axis_names, int line,
                           const std::vector<const ast::Expr *> *idx_exprs = nullptr);
  llvm::Value *load_element(llvm::Value *p, DType d);
  const ast::Expr *element_chain(const ast::Subscript &s, std::vector<const ast::Expr *> &idx, std::vector<int> &axis_names);
  llvm::Value *index_i64(const ast::Expr &e, int line);
  llvm::Value *array_subscript(const ast::Subscript &e);
  void array_store(const ast::Subscript &s, llvm::Value *v, Ty vt, int line);
  llvm::Value *np_store_value(llvm::Value *v, Ty vt, DType d, int line);
  llvm::Value *array_attribute(const ast::Attribute &a);
  llvm::Value *shape_item(const ast::Subscript &e);
  llvm::Value *np_argument(const ast::Expr &e, int line);
  llvm::Value *numpy_call(const ast::Call &e, const CallTarget &target);
  static bool dtype_expr_name(const std::string &name);

  // ---- native lists (lower_native.cpp; native.cpp decides which) ----
  // A list no other code can see, as (data, len, capacity) slots; data is freed at every exit.
  struct NativeList {
    llvm::AllocaInst *data = nullptr, *len = nullptr, *cap = nullptr;
    Ty elem = Ty::Int;
    bool shares = false;
  };
  std::map<std::string, NativeList> m_native;
  std::vector<llvm::AllocaInst *> m_buffers;  // data slots freed at every exit
  void native_setup();
  NativeList native_slots(Ty elem, const std::string &name);
  const NativeList *native_list(const ast::Expr &e) const;  // e names a native list
  llvm::Type *native_type(Ty elem);
  void native_assign(const std::string &name, const ast::Expr &value, int line);
  llvm::Value *native_slot(const NativeList &nl, const ast::Expr &index, const char *message, int line);
  llvm::Value *native_load(const NativeList &nl, const ast::Subscript &s);
  void native_store(const NativeList &nl, const ast::Subscript &s, llvm::Value *v, Ty vt, int line);
  llvm::Value *native_len(const NativeList &nl);
  void native_reserve(const NativeList &nl, llvm::Value *need, int line);
  void native_append(const NativeList &nl, llvm::Value *v, Ty vt, int line);
  llvm::Value *native_method(const NativeList &nl, const ast::Call &e, const std::string &attr);
  llvm::Value *native_box(const NativeList &nl, int line);  // an owned new CPython list of the items
  void native_for_each(const NativeList &nl, const std::function<void(llvm::Value *, Ty)> &each, const LoopBlocks &blocks);
  void free_buffers();  // at an exit
  void nan_guard(llvm::Value *has_nan, int line);  // PV_GUARD when a float container to box holds a NaN
  llvm::Value *shared_float(llvm::Value *v, bool shares, int line);  // PV_GUARD for a NaN read from a sharing container

  // ---- native dicts and sets (lower_tables.cpp) ----
  // A dict or set no other code can see, as a PvTable* slot (runtime/tables.cpp); freed at exits.
  struct NativeTable {
    llvm::AllocaInst *table = nullptr;
    NativeKind kind = NativeKind::Set;
    Ty key = Ty::Int, value = Ty::None;
    bool shares = false;
    bool ordered = true;
  };
  std::map<std::string, NativeTable> m_tables;
  std::vector<llvm::AllocaInst *> m_table_slots;  // every table slot (variables' and new ones'), freed at exits
  const NativeTable *native_table(const ast::Expr &e) const;  // e names a native dict or set
  int32_t key_desc(Ty key) const;                             // words | tuple << 8 | bool mask << 16
  llvm::Value *table_key(const NativeTable &nt, const ast::Expr &k, int line);  // the key's words (a buffer)
  llvm::Value *table_len(const NativeTable &nt);
  void table_assign(const std::string &name, const ast::Expr &value, int line);
  void table_store(const NativeTable &nt, llvm::Value *key, llvm::Value *v, Ty vt, int line);
  llvm::Value *table_get(const NativeTable &nt, const ast::Subscript &s);
  void table_delete(const NativeTable &nt, const ast::Subscript &s);
  void table_remove(const NativeTable &nt, llvm::Value *key, bool must_exist, int line);
  llvm::Value *table_contains(const NativeTable &nt, const ast::Compare &e);
  llvm::Value *table_method(const NativeTable &nt, const ast::Call &e, const std::string &attr);
  llvm::Value *table_box(const NativeTable &nt, int line);  // an owned new CPython dict or set
  void key_error(llvm::Value *key, Ty key_type, int line);
};

}  // namespace pyvorin
