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

// A table nothing will ever read back in order (a set or dict that is never handed to CPython)
// keeps its entries in the index itself: [tag, key words, value] per slot, so a lookup touches
// one slot. Otherwise the index holds entry numbers into an insertion-ordered entries array.
struct PvTable {
  int64_t len;       // live entries (first: compiled code reads it inline)
  int32_t unordered;
  int32_t slot_words;  // unordered: words per slot (tag, key, value)
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


// ---- unordered: slots [tag, key..., value]; tag 0 empty, 1 deleted, else the hash with bit 1 set ----

static uint64_t tag_of(uint64_t h) { return h | 2; }

static int64_t *uslot(PvTable *t, uint64_t i) { return t->entries + int64_t(i) * t->slot_words; }

// The slot of key (*found) or where it would go.
static int64_t *uprobe(PvTable *t, const int64_t *key, uint64_t h, bool *found) {
  uint64_t mask = uint64_t(t->mask), tag = tag_of(h), i = h & mask;
  int64_t *tomb = nullptr;
  for (;;) {
    int64_t *p = uslot(t, i);
    uint64_t x = uint64_t(p[0]);
    if (x == 0) {
      *found = false;
      return tomb ? tomb : p;
    }
    if (x == 1) {
      if (!tomb) tomb = p;
    } else if (x == tag && same_key(p + 1, key, t->words)) {
      *found = true;
      return p;
    }
    i = (i + 1) & mask;
  }
}

static bool urebuild(PvTable *t, int64_t need) {
  int64_t size = 8;
  while (size * 2 < need * 3) size *= 2;
  auto *slots = static_cast<int64_t *>(PyMem_RawCalloc(size_t(size), size_t(t->slot_words) * 8));
  if (!slots) return false;
  int64_t *old = t->entries;
  int64_t old_size = old ? t->mask + 1 : 0;
  t->entries = slots;
  t->mask = size - 1;
  t->capacity = size * 2 / 3;
  t->used = 0;
  for (int64_t i = 0; i < old_size; ++i) {
    int64_t *p = old + i * t->slot_words;
    if (uint64_t(p[0]) < 2) continue;
    uint64_t h = hash_words(p + 1, t->words);
    uint64_t j = h & uint64_t(t->mask);
    while (uslot(t, j)[0] != 0) j = (j + 1) & uint64_t(t->mask);
    std::memcpy(uslot(t, j), p, size_t(t->slot_words) * 8);
    t->used++;
  }
  PyMem_RawFree(old);
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
    t->unordered = (words >> 8) & 1;
    t->words = words & 0xff;
    t->stride = t->words + 2;
    t->slot_words = t->words + ((words >> 9) & 1 ? 1 : 2);  // a set's slots have no value word
    if (t->unordered ? urebuild(t, 0) : rebuild(t, 0)) return t;
    PyMem_RawFree(t);
  }
  pv_raise(ctx, PV_MEMORY_ERROR, "", function, line);
  return nullptr;
}

void pv_table_free(PvTable *t) {
  if (!t) return;
  PyMem_RawFree(t->entries);
  PyMem_RawFree(t->index);  // null for an unordered table
  PyMem_RawFree(t);
}

int64_t *pv_table_lookup(PvTable *t, const int64_t *key) {
  if (t->unordered) {
    bool found;
    int64_t *p = uprobe(t, key, hash_words(key, t->words), &found);
    return found ? p + 1 + t->words : nullptr;
  }
  int64_t e;
  probe(t, key, hash_words(key, t->words), &e);
  return e < 0 ? nullptr : entry_at(t, e) + t->words;
}

int64_t *pv_table_insert(PvCtx *ctx, PvTable *t, const int64_t *key, const char *function, int32_t line) {
  uint64_t h = hash_words(key, t->words);
  if (t->unordered) {
    bool found;
    int64_t *p = uprobe(t, key, h, &found);
    if (found) return p + 1 + t->words;
    if (p[0] == 0) {  // a fresh slot (not a deleted one): the table fills
      if (t->used >= t->capacity) {
        // grow fourfold while the table is small: a quarter of the rehashing of doubling
        int64_t want = t->len + 1 < (int64_t(1) << 20) ? (t->len + 1) * 4 : t->len + 1;
        if (!urebuild(t, want)) {
          pv_raise(ctx, PV_MEMORY_ERROR, "", function, line);
          return nullptr;
        }
        p = uprobe(t, key, h, &found);
      }
      t->used++;
    }
    p[0] = int64_t(tag_of(h));
    std::memcpy(p + 1, key, size_t(t->words) * 8);
    bool has_value = t->slot_words > t->words + 1;  // a set's slot has none
    if (has_value) p[1 + t->words] = 0;
    t->len++;
    return has_value ? p + 1 + t->words : p + 1;
  }
  int64_t e;
  int64_t slot = probe(t, key, h, &e);
  if (e >= 0) return entry_at(t, e) + t->words;
  if (t->used == t->capacity) {
    int64_t want = t->len + 1 < (int64_t(1) << 20) ? (t->len + 1) * 4 : t->len + 1;  // as the unordered table
    if (!rebuild(t, want)) {
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
  if (t->unordered) {
    bool found;
    int64_t *p = uprobe(t, key, hash_words(key, t->words), &found);
    if (!found) return 0;
    p[0] = 1;  // deleted: still counted in used until the next rebuild
    t->len--;
    return 1;
  }
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
  if (t->unordered) {  // compiled code never asks (native.cpp): no order to give
    PyErr_SetString(PyExc_SystemError, "pyvorin: an unordered native table was handed to CPython");
    return nullptr;
  }
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
  if (t->unordered) return 0;  // never handed over
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
