// The catalogue of fallback reasons, and the Fallback record every stage reports. Tests assert on
// the code; the prose is for people. A Fallback always names the function, the line and what to do.
#pragma once

#include <string>

namespace pyvorin {

enum class FallbackCode {
  UnsupportedSyntax,     // PV100 a statement or expression outside the subset
  UnsupportedSignature,  // PV101 *args, **kwargs, defaults, keyword-only parameters
  NestedFunction,        // PV102 nested def, lambda, closure
  Generator,             // PV103 yield / await
  Container,             // PV104 list, dict, set, tuple values, comprehensions
  String,                // PV105 str values outside print()
  ExceptionHandling,     // PV106 try, raise, with, assert
  ScopeStatement,        // PV107 global, nonlocal, del
  ClassDefinition,       // PV108 class
  DynamicCode,           // PV109 eval, exec, compile, globals(), locals()
  BigIntLiteral,         // PV110 an int literal beyond int64
  TypeConflict,          // PV200 a variable with two types on different paths
  ReturnConflict,        // PV201 returns of different types
  OperandTypes,          // PV202 an operator with operand types outside the subset
  ArgumentType,          // PV203 an argument type outside the subset
  UninferrableType,      // PV204 no type could be found (e.g. infinite recursion)
  UnknownName,           // PV300 a name that is neither local, compiled function, math nor builtin
  GlobalVariable,        // PV301 a global that is not a function or an int/float/bool/None constant
  UnsupportedCall,       // PV302 a call to something outside the subset
  CalleeFallback,        // PV303 a call to a function that itself falls back
  UnsupportedAttribute,  // PV304 an attribute outside math.*
  SourceUnavailable,     // PV400 no source text for the function
  StaleSource,           // PV401 the source file no longer holds the code that runs
  InternalError,         // PV500 a bug in Pyvorin
};

const char *fallback_code_id(FallbackCode code);      // "PV100"
const char *default_suggestion(FallbackCode code);

struct Fallback {
  FallbackCode code = FallbackCode::InternalError;
  std::string function;    // Python name of the function that falls back
  std::string reason;      // worded like CPython ("name 'x' is not defined")
  std::string construct;   // the ast node or feature ("Try", "yield", "variable 'x'")
  int line = 0;            // absolute source line
  std::string suggestion;  // what to do about it

  // "[FALLBACK] function: f\nreason: ...\nline: N\nsuggestion: ..."
  std::string render() const;
};

Fallback make_fallback(FallbackCode code, std::string function, std::string reason, std::string construct,
                       int line, std::string suggestion = {});

}  // namespace pyvorin
