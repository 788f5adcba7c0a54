// The persistent compile cache (docs/cache.md): compiled objects on disk, keyed by a SHA-256 of
// everything the object depends on, each entry authenticated with a per-user secret.
//
//   <dir>/<key>_<platform>_<cpu>.o      the relocatable object the JIT loads
//   <dir>/<key>_<platform>_<cpu>.json   its metadata: the key, the object's SHA-256 and size, the
//                                       entry's calling facts, the full report, and an HMAC-SHA256
//                                       of all of it under <dir>/secret.key (mode 0600)
//
// Writers hold an exclusive flock on <dir>/.lock while they rename the two files into place and
// evict; readers hold a shared one while they read, so no reader sees a pair from two writers.
// An entry that fails any check (missing object, size, checksum, HMAC, key, owner) is removed and
// reported as a warning; the caller compiles again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace pyvorin {

struct CompileRequest;

class DiskCache {
 public:
  // `dir` empty: default_dir(); `limit_bytes` 0: default_limit().
  explicit DiskCache(std::string dir = "", uint64_t limit_bytes = 0);

  // $PYVORIN_CACHE_DIR, else ~/.pyvorin_cache/disk_compile.
  static std::string default_dir();
  // $PYVORIN_CACHE_SIZE (bytes, or with a K, M or G suffix), else 512 MiB.
  static uint64_t default_limit();
  // Parses a size ("512M", "1G", "1048576"); nullopt when it is not one.
  static std::optional<uint64_t> parse_size(const std::string &text);

  const std::string &dir() const { return m_dir; }
  uint64_t limit() const { return m_limit; }
  void set_limit(uint64_t bytes) { m_limit = bytes; }

  // What the key says of the machine code's target (the host's by default).
  struct Target {
    std::string triple, cpu, features;  // features: "+avx2,+fma,..." sorted
    static const Target &host();
  };

  // The hex SHA-256 key of a request: the normalised source of every function of the unit, their
  // global bindings (constants' values), the argument types, the options, the environment string
  // the embedder gives (Python's version and ABI, NumPy's), and Pyvorin's build, LLVM's version,
  // the target triple, the CPU's name and features. Not the file names or addresses, which the
  // loader binds. `inputs` (optional) receives what was hashed, as JSON.
  static std::string key_of(const CompileRequest &request, nlohmann::json *inputs = nullptr, const Target *target = nullptr);
  // "<key>_<platform>_<cpu>": the entry's file name without extension.
  static std::string stem_of(const std::string &key, const Target *target = nullptr);

  struct Entry {
    std::string object;
    nlohmann::json meta;  // verified
  };
  // The entry for `key`, verified, or nullopt (a miss). A damaged or foreign entry adds a
  // warning, is removed, and is a miss.
  std::optional<Entry> load(const std::string &key, std::vector<std::string> &warnings);
  // Writes an entry atomically (and evicts the least recently used beyond the limit). False,
  // with a warning, when it cannot (a read-only disk, say): compiling goes on without it.
  bool store(const std::string &key, const std::string &object, nlohmann::json meta, std::vector<std::string> &warnings);

  // Removes the entry for `key` (one that verified but could not be loaded).
  void remove(const std::string &key);

  // Merges `fields` into the stored report of the entry for `key` (its assembly and line map,
  // made when the report is first read), re-signed. False when there is no valid entry.
  bool update_report(const std::string &key, const nlohmann::json &fields);

  // Every entry: {"key", "stem", "function", "signature", "bytes", "last_used", "created", "valid", "problem"}.
  nlohmann::json list();
  // {"dir", "limit", "entries", "bytes", "platform", "cpu"}
  nlohmann::json info();
  // Removes every entry (and stray temporary files); the secret stays. Returns how many entries.
  size_t clear();

 private:
  // Creates the directory (0700) and the secret; false, with a warning, when the directory is
  // not safe to use (another owner, a symlink, not a directory).
  bool ready(std::vector<std::string> &warnings);
  bool prepare(std::vector<std::string> &warnings);
  void evict(const std::string &keep);
  std::string m_dir;
  uint64_t m_limit;
  std::string m_secret;  // 32 bytes once ready
  int64_t m_estimate = -1;  // the entries' bytes as last scanned, plus what was stored since (-1: not scanned)
  unsigned m_stores_since_scan = 0;
  bool m_said_unusable = false;
  std::pair<uint64_t, uint64_t> m_dir_id, m_key_id;  // (st_dev, st_ino) of the directory and key read
};

}  // namespace pyvorin
