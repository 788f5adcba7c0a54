// Native hash tables for local dicts and sets that only one call can see (compiler/src/native.cpp):
// keys are one to eight int64 words (an int, a bool, or a tuple of them), dict values one word.
// Entries are kept in insertion order, as CPython's compact dict, and an open-addressed index
// finds them; so a dict is handed over as a CPython dict with CPython's order, and a set with no
// removal as the set CPython would have built from the same adds in the same order.
#include <Python.h>

#include <cstring>

#include "pyvorin_buffers.h"

namespace {

uint64_t hash_words(const int64_t *key, int32_t words) {
  uint64_t h = 0x243F6A8885A308D3ull ^ uint64_t(words);
  for (int32_t i = 0; i < words; ++i) {
    h ^= uint64_t(key[i]);
    h *= 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
  }
  h *= 0xD6E8FEB86659FD93ull;
  return h ^ (h >> 29);
}

// An index slot: 0 empty, 1 deleted, else (the hash's high 32 bits << 32) | (entry number + 2),
// so most mismatches are rejected without reading the entry.
constexpr uint64_t kEmptySlot = 0, kDeletedSlot = 1;
uint64_t slot_of(uint64_t h, int64_t entry) { return (h & 0xFFFFFFFF00000000ull) | uint64_t(entry + 2); }

}  // namespace

struct PvTable {
  int64_t len;       // live entries (first: compiled code reads it inline)
  int64_t used;      // entry slots used, live or deleted
  int64_t capacity;  // entries allocated
  int64_t mask;      // index size - 1
  int32_t words;     // key words
  int32_t stride;    // words per entry: key, value, live flag
  int64_t *entries;
  uint64_t *index;
};

static int64_t *entry_at(PvTable *t, int64_t i) { return t->entries + i * t->stride; }

static bool same_key(const int64_t *a, const int64_t *b, int32_t words) {
  for (int32_t i = 0; i < words; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

// The index slot holding the entry whose key is `key` (*entry its number), or where it would go
// (*entry = -1). Linear probing: neighbours share cache lines.
static int64_t probe(PvTable *t, const int64_t *key, uint64_t h, int64_t *entry) {
  uint64_t mask = uint64_t(t->mask), high = h & 0xFFFFFFFF00000000ull;
  int64_t slot = int64_t(h & mask), tomb = -1;
  for (;;) {
    uint64_t x = t->index[slot];
    if (x == kEmptySlot) {
      *entry = -1;
      return tomb >= 0 ? tomb : slot;
    }
    if (x == kDeletedSlot) {
      if (tomb < 0) tomb = slot;
    } else if ((x & 0xFFFFFFFF00000000ull) == high) {
      int64_t e = int64_t(x & 0xFFFFFFFFull) - 2;
      if (same_key(entry_at(t, e), key, t->words)) {
        *entry = e;
        return slot;
      }
    }
    slot = int64_t((uint64_t(slot) + 1) & mask);
  }
}

// Rebuilds the index (and compacts the entries) for at least `need` live entries.
static bool rebuild(PvTable *t, int64_t need) {
  int64_t size = 8;
  while (size * 2 < need * 3) size *= 2;
  int64_t cap = size * 2 / 3 + 1;
  if (cap > 0x7FFFFFF0) return false;  // entry numbers are 32-bit in the index
  auto *entries = static_cast<int64_t *>(PyMem_RawMalloc(size_t(cap) * size_t(t->stride) * 8));
  auto *index = static_cast<uint64_t *>(PyMem_RawCalloc(size_t(size), 8));
  if (!entries || !index) {
    PyMem_RawFree(entries);
    PyMem_RawFree(index);
    return false;
  }
  int64_t n = 0;
  for (int64_t i = 0; i < t->used; ++i) {
    int64_t *p = entry_at(t, i);
    if (!p[t->stride - 1]) continue;  // deleted
    std::memcpy(entries + n * t->stride, p, size_t(t->stride) * 8);
    uint64_t h = hash_words(p, t->words);
    int64_t slot = int64_t(h & uint64_t(size - 1));
    while (index[slot] != kEmptySlot) slot = int64_t((uint64_t(slot) + 1) & uint64_t(size - 1));
    index[slot] = slot_of(h, n++);
  }
  PyMem_RawFree(t->entries);
  PyMem_RawFree(t->index);
  t->entries = entries;
  t->index = index;
  t->capacity = cap;
  t->used = n;
  t->mask = size - 1;
  return true;
}

extern "C" {

PvTable *pv_table_new(PvCtx *ctx, int32_t words, const char *function, int32_t line) {
  auto *t = static_cast<PvTable *>(PyMem_RawCalloc(1, sizeof(PvTable)));
  if (t) {
    t->words = words;
    t->stride = words + 2;
    if (rebuild(t, 0)) return t;
    PyMem_RawFree(t);
  }
  pv_raise(ctx, PV_MEMORY_ERROR, "", function, line);
  return nullptr;
}

void pv_table_free(PvTable *t) {
  if (!t) return;
  PyMem_RawFree(t->entries);
  PyMem_RawFree(t->index);
  PyMem_RawFree(t);
}

int64_t *pv_table_lookup(PvTable *t, const int64_t *key) {
  int64_t e;
  probe(t, key, hash_words(key, t->words), &e);
  return e < 0 ? nullptr : entry_at(t, e) + t->words;
}

int64_t *pv_table_insert(PvCtx *ctx, PvTable *t, const int64_t *key, const char *function, int32_t line) {
  uint64_t h = hash_words(key, t->words);
  int64_t e;
  int64_t slot = probe(t, key, h, &e);
  if (e >= 0) return entry_at(t, e) + t->words;
  if (t->used == t->capacity) {
    if (!rebuild(t, t->len + 1)) {
      pv_raise(ctx, PV_MEMORY_ERROR, "", function, line);
      return nullptr;
    }
    slot = probe(t, key, h, &e);
  }
  int64_t *p = entry_at(t, t->used);
  std::memcpy(p, key, size_t(t->words) * 8);
  p[t->words] = 0;
  p[t->stride - 1] = 1;
  t->index[slot] = slot_of(h, t->used++);
  t->len++;
  return p + t->words;
}

int32_t pv_table_remove(PvTable *t, const int64_t *key) {
  int64_t e;
  int64_t slot = probe(t, key, hash_words(key, t->words), &e);
  if (e < 0) return 0;
  entry_at(t, e)[t->stride - 1] = 0;
  t->index[slot] = kDeletedSlot;
  t->len--;
  return 1;
}

// One key as a Python object: desc = words | (is tuple << 8) | (bool mask << 16).
static PyObject *key_object(const int64_t *key, int32_t desc) {
  int32_t words = desc & 0xff;
  auto item = [&](int32_t i) -> PyObject * {
    if ((desc >> (16 + i)) & 1) return PyBool_FromLong(long(key[i]));
    return PyLong_FromLongLong(key[i]);
  };
  if (!((desc >> 8) & 1)) return item(0);
  PyObject *tuple = PyTuple_New(words);
  if (!tuple) return nullptr;
  for (int32_t i = 0; i < words; ++i) {
    PyObject *x = item(i);
    if (!x) {
      Py_DECREF(tuple);
      return nullptr;
    }
    PyTuple_SET_ITEM(tuple, i, x);
  }
  return tuple;
}

static PyObject *value_object(int64_t v, int32_t kind) {
  switch (kind) {
    case PV_BUF_FLOAT: {
      double d;
      std::memcpy(&d, &v, sizeof d);
      return PyFloat_FromDouble(d);
    }
    case PV_BUF_BOOL: return PyBool_FromLong(long(v));
    default: return PyLong_FromLongLong(v);
  }
}

void pv_table_key_error(const int64_t *key, int32_t desc) {
  PyObject *k = key_object(key, desc);
  if (!k) return;
  _PyErr_SetKeyError(k);
  Py_DECREF(k);
}

PyObject *pv_table_to_object(PvTable *t, int32_t desc, int32_t value_kind) {
  PyObject *out = value_kind < 0 ? PySet_New(nullptr) : PyDict_New();
  if (!out) return nullptr;
  for (int64_t i = 0; i < t->used; ++i) {
    int64_t *p = entry_at(t, i);
    if (!p[t->stride - 1]) continue;
    PyObject *k = key_object(p, desc);
    if (!k) goto fail;
    int rc;
    if (value_kind < 0) {
      rc = PySet_Add(out, k);
    } else {
      PyObject *v = value_object(p[t->words], value_kind);
      rc = v ? PyDict_SetItem(out, k, v) : -1;
      Py_XDECREF(v);
    }
    Py_DECREF(k);
    if (rc < 0) goto fail;
  }
  return out;
fail:
  Py_DECREF(out);
  return nullptr;
}

int32_t pv_table_has_nan(PvTable *t) {
  for (int64_t i = 0; i < t->used; ++i) {
    int64_t *p = entry_at(t, i);
    double d;
    std::memcpy(&d, p + t->words, sizeof d);
    if (p[t->stride - 1] && d != d) return 1;
  }
  return 0;
}

const PvRuntimeSymbol *pv_table_symbols(size_t *count) {
  static const PvRuntimeSymbol table[] = {
      {"pv_table_new", (void *)&pv_table_new},         {"pv_table_free", (void *)&pv_table_free},
      {"pv_table_lookup", (void *)&pv_table_lookup},   {"pv_table_insert", (void *)&pv_table_insert},
      {"pv_table_remove", (void *)&pv_table_remove},   {"pv_table_key_error", (void *)&pv_table_key_error},
      {"pv_table_to_object", (void *)&pv_table_to_object}, {"pv_table_has_nan", (void *)&pv_table_has_nan},
  };
  *count = sizeof table / sizeof table[0];
  return table;
}

}  // extern "C"
