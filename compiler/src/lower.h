// lower: TypedUnit -> llvm::Module. One FunctionLowerer per specialisation; statements and control
// flow are in lower.cpp, expressions, operators and calls in lower_expr.cpp.
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

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "types.h"

namespace pyvorin {

struct LoweredModule {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  std::string entry_symbol;
};

LoweredModule lower(TypedUnit &unit, const Options &options, const std::string &module_name, unsigned unit_id);

// The reads of locals that some path reaches before any assignment (lower_defs.cpp): only these
// need an UnboundLocalError check.
std::set<const ast::Name *> maybe_unbound_reads(const ast::FunctionDef &fn);

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

  ModuleState(llvm::LLVMContext &c, llvm::Module &m, const Options &o) : ctx(c), module(m), dib(m), options(o) {}
  llvm::Constant *string(const std::string &s);
  llvm::FunctionCallee runtime(const std::string &name);
  llvm::Type *type_of(Ty t);
};

class FunctionLowerer {
 public:
  FunctionLowerer(ModuleState &ms, TypedUnit &unit, Spec &spec);
  void lower_body();

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
    Ty type = Ty::Bottom;
  };
  std::map<std::string, Var> m_vars;
  std::set<const ast::Name *> m_maybe_unbound;  // maybe_unbound_reads(*m_spec.fn)
  struct Loop {
    llvm::BasicBlock *break_bb, *continue_bb;
  };
  std::vector<Loop> m_loops;

  // statements (lower.cpp)
  void body(const ast::Body &b);
  void stmt(const ast::Stmt &s);
  void store_var(const std::string &name, llvm::Value *v, Ty t);
  void for_range(const ast::For &s);
  void while_loop(const ast::While &s);
  void if_stmt(const ast::If &s);
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
  llvm::Value *float_to_int(llvm::Value *x, int line);
  llvm::Value *math_checked(llvm::Value *x, llvm::Value *r, bool can_overflow, int line);
  llvm::Value *none_value();
};

}  // namespace pyvorin
