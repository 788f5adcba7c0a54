// The persistent compile cache (see pyvorin/disk_cache.h and docs/cache.md).
#include "pyvorin/disk_cache.h"

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/SHA256.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>

#include "pyvorin/compiler.h"

namespace pyvorin {
namespace {

constexpr int kFormat = 2;  // 2: sources keep trailing blanks (a string literal may hold them)
constexpr uint64_t kMaxEntryFile = 256ull << 20;  // larger files are not read

std::string hex(const uint8_t *data, size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

std::string sha256_hex(const std::string &data) {
  auto h = llvm::SHA256::hash(llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(data.data()), data.size()));
  return hex(h.data(), h.size());
}

// HMAC-SHA256 (RFC 2104) of `message` under `secret` (at most 64 bytes).
std::string hmac_hex(const std::string &secret, const std::string &message) {
  uint8_t key[64] = {};
  std::memcpy(key, secret.data(), std::min<size_t>(secret.size(), 64));
  uint8_t ipad[64], opad[64];
  for (int i = 0; i < 64; ++i) ipad[i] = key[i] ^ 0x36, opad[i] = key[i] ^ 0x5c;
  llvm::SHA256 inner;
  inner.update(llvm::ArrayRef<uint8_t>(ipad, 64));
  inner.update(message);
  std::array<uint8_t, 32> in = inner.final();
  llvm::SHA256 outer;
  outer.update(llvm::ArrayRef<uint8_t>(opad, 64));
  outer.update(llvm::ArrayRef<uint8_t>(in.data(), in.size()));
  std::array<uint8_t, 32> out = outer.final();
  return hex(out.data(), out.size());
}

bool same_constant_time(const std::string &a, const std::string &b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The metadata file: {"hmac":"<HMAC-SHA256 of BODY>","meta":BODY} where BODY is the JSON text of
// the metadata. The HMAC covers BODY's bytes as they are in the file, so checking it needs no
// parse, and the file stays one JSON document.
const char kSignedPrefix[] = "{\"hmac\":\"";
const char kSignedMiddle[] = "\",\"meta\":";

std::string signed_file(const std::string &body, const std::string &secret) {
  return kSignedPrefix + hmac_hex(secret, body) + kSignedMiddle + body + "}";
}

// BODY of a signed metadata file whose HMAC checks out under `secret`, else nullopt with `problem`.
std::optional<std::string> signed_body(const std::string &file, const std::string &secret, std::string &problem) {
  const size_t pre = sizeof kSignedPrefix - 1, mid = sizeof kSignedMiddle - 1, start = pre + 64 + mid;
  if (file.size() <= start || file.compare(0, pre, kSignedPrefix) != 0 || file.compare(pre + 64, mid, kSignedMiddle) != 0 ||
      file.back() != '}') {
    problem = "its metadata is not in the cache's format";
    return std::nullopt;
  }
  std::string body = file.substr(start, file.size() - start - 1);
  if (!same_constant_time(file.substr(pre, 64), hmac_hex(secret, body))) {
    problem = "its signature does not match this user's cache key (damaged, or not written by Pyvorin here)";
    return std::nullopt;
  }
  return body;
}

// The GNU build id of the library this code is in: a hash of the compiler as built, so that a
// rebuilt compiler never loads objects an older one made.
int find_build_id(dl_phdr_info *info, size_t, void *data) {
  auto *out = static_cast<std::pair<uintptr_t, std::string> *>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) &ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_LOAD) continue;
    uintptr_t lo = info->dlpi_addr + ph.p_vaddr, hi = lo + ph.p_memsz;
    if (out->first < lo || out->first >= hi) continue;
    for (int j = 0; j < info->dlpi_phnum; ++j) {
      const ElfW(Phdr) &note = info->dlpi_phdr[j];
      if (note.p_type != PT_NOTE) continue;
      const char *p = reinterpret_cast<const char *>(info->dlpi_addr + note.p_vaddr);
      const char *end = p + note.p_memsz;
      while (p + sizeof(ElfW(Nhdr)) <= end) {
        auto *nh = reinterpret_cast<const ElfW(Nhdr) *>(p);
        const char *name = p + sizeof(ElfW(Nhdr));
        const char *desc = name + ((nh->n_namesz + 3) & ~3u);
        if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
            desc + nh->n_descsz <= end) {
          out->second = hex(reinterpret_cast<const uint8_t *>(desc), nh->n_descsz);
          return 1;
        }
        p = desc + ((nh->n_descsz + 3) & ~3u);
      }
    }
    return 1;
  }
  return 0;
}

const std::string &compiler_build() {
  static const std::string id = [] {
    std::pair<uintptr_t, std::string> probe{reinterpret_cast<uintptr_t>(&find_build_id), ""};
    dl_iterate_phdr(find_build_id, &probe);
    return probe.second.empty() ? std::string(PYVORIN_VERSION " " __DATE__ " " __TIME__) : probe.second;
  }();
  return id;
}

std::string sanitise(const std::string &s) {
  std::string out;
  for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '-';
  return out.empty() ? "unknown" : out;
}

const std::string &host_cpu() {
  static const std::string cpu = llvm::sys::getHostCPUName().str();
  return cpu;
}

std::string platform_name(const std::string &triple = llvm::sys::getProcessTriple()) {
  llvm::Triple t(triple);
  std::string arch;  // x86_64 keeps its underscore
  for (char c : t.getArchName()) arch += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return sanitise(t.getOSName().str()) + "-" + arch;
}

const std::string &host_features() {
  static const std::string features = [] {
    std::vector<std::string> on;
    for (auto &f : llvm::sys::getHostCPUFeatures())
      if (f.second) on.push_back(f.first().str());
    std::sort(on.begin(), on.end());
    std::string s;
    for (auto &f : on) s += (s.empty() ? "+" : ",+") + f;
    return s;
  }();
  return features;
}

// Source text as the key sees it: "\r\n" and "\r" are "\n", as CPython reads them. Nothing
// else is normalised: blanks at a line's end may be inside a string literal.
std::string normalised_source(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
      continue;
    }
    out += '\n';
    if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
  }
  return out;
}

nlohmann::json binding_json(const Binding &b) {
  nlohmann::json j = {{"kind", int(b.kind)}, {"index", b.function_index}, {"target", b.target}, {"detail", b.detail},
                      {"type", int(b.value_type)}, {"int", b.int_value}};
  uint64_t bits;
  std::memcpy(&bits, &b.float_value, sizeof bits);
  j["float_bits"] = bits;
  nlohmann::json items = nlohmann::json::array(), tags = nlohmann::json::array();
  for (auto &i : b.items) items.push_back(binding_json(i));
  for (auto t : b.value_tags) tags.push_back(int(t));
  j["items"] = items;
  j["tags"] = tags;
  return j;
}


// ---- files ----

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() { if (fd >= 0) ::close(fd); }
  Fd(const Fd &) = delete;
  Fd &operator=(const Fd &) = delete;
};

// Reads a regular file this user owns, without following a symlink. nullopt with `why`.
std::optional<std::string> read_owned(const std::string &path, std::string &why, bool *missing = nullptr) {
  Fd f(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (f.fd < 0) {
    if (missing) *missing = errno == ENOENT;
    why = errno == ELOOP ? "it is a symbolic link" : std::strerror(errno);
    return std::nullopt;
  }
  struct stat st;
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    why = "it is not a regular file";
    return std::nullopt;
  }
  if (st.st_uid != ::geteuid()) {
    why = "it belongs to another user";
    return std::nullopt;
  }
  if (uint64_t(st.st_size) > kMaxEntryFile) {
    why = "it is too large";
    return std::nullopt;
  }
  std::string data(size_t(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::read(f.fd, &data[done], data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += size_t(n);
  }
  data.resize(done);
  return data;
}

// Writes `data` to a new temporary file in `dir` and renames it to `path`.
bool write_atomic(const std::string &dir, const std::string &path, const std::string &data, std::string &why) {
  std::string tmp = dir + "/.tmp." + std::to_string(::getpid()) + "." + std::to_string(std::rand()) + "." +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  Fd f(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (f.fd < 0) {
    why = std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(f.fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      why = std::strerror(errno);
      ::unlink(tmp.c_str());
      return false;
    }
    done += size_t(n);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    why = std::strerror(errno);
    ::unlink(tmp.c_str());
    return false;
  }
  return true;
}

// flock on <dir>/.lock for as long as it lives (no lock when the file cannot be opened).
// flock on <dir>/.lock for as long as it lives. `held` is false when the lock could not be had
// within two seconds (a stopped process holding it): the caller then goes on without the cache.
struct DirLock {
  int fd = -1;
  bool held = false;
  DirLock(const std::string &dir, int how) {
    fd = ::open((dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) return;
    for (int tries = 0; tries < 2000; ++tries) {
      if (::flock(fd, how | LOCK_NB) == 0) {
        held = true;
        return;
      }
      if (errno != EWOULDBLOCK && errno != EINTR) return;
      ::usleep(1000);
    }
  }
  ~DirLock() {
    if (fd >= 0) ::close(fd);  // releases the lock
  }
};

bool ends_with(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// An entry's file: 64 lowercase hex digits, '_', the platform and CPU, then .o or .json. Nothing
// else in the directory is ever removed.
bool entry_file(const std::string &n) {
  if (n.size() < 67 || n[64] != '_' || !(ends_with(n, ".o") || ends_with(n, ".json"))) return false;
  return std::all_of(n.begin(), n.begin() + 64, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Creates `path` and its missing parents with mode 0700.
bool make_dirs(const std::string &path) {
  std::string cur;
  for (size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || (path[i] == '/' && i > 0)) {
      cur = path.substr(0, i);
      if (::mkdir(cur.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
  }
  return true;
}

}  // namespace

DiskCache::DiskCache(std::string dir, uint64_t limit_bytes)
    : m_dir(dir.empty() ? default_dir() : std::move(dir)), m_limit(limit_bytes ? limit_bytes : default_limit()) {
  while (m_dir.size() > 1 && m_dir.back() == '/') m_dir.pop_back();
  if (!m_dir.empty() && m_dir[0] != '/') {  // relative to where the process started, not to a later chdir
    char cwd[4096];
    if (::getcwd(cwd, sizeof cwd)) m_dir = std::string(cwd) + "/" + m_dir;
  }
}

std::string DiskCache::default_dir() {
  if (const char *d = std::getenv("PYVORIN_CACHE_DIR"); d && *d) return d;
  const char *home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.pyvorin_cache/disk_compile";
}

std::optional<uint64_t> DiskCache::parse_size(const std::string &text) {
  if (text.empty()) return std::nullopt;
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    if (n > (UINT64_MAX - 9) / 10) return std::nullopt;
    n = n * 10 + uint64_t(text[i++] - '0');
  }
  if (i == 0) return std::nullopt;
  std::string unit = text.substr(i);
  for (char &c : unit) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (unit == "B") unit.clear();
  if (!unit.empty() && unit.back() == 'B') unit.pop_back();
  if (!unit.empty() && unit.back() == 'I') unit.pop_back();  // MiB, GiB
  int shift = unit.empty() ? 0 : unit == "K" ? 10 : unit == "M" ? 20 : unit == "G" ? 30 : -1;
  if (shift < 0 || (shift && n > (UINT64_MAX >> shift))) return std::nullopt;
  return n << shift;
}

uint64_t DiskCache::default_limit() {
  if (const char *s = std::getenv("PYVORIN_CACHE_SIZE"); s && *s)
    if (auto n = parse_size(s)) return *n ? *n : 1;
  return 512ull << 20;
}

const DiskCache::Target &DiskCache::Target::host() {
  static const Target t{llvm::sys::getProcessTriple(), host_cpu(), host_features()};
  return t;
}

std::string DiskCache::key_of(const CompileRequest &request, nlohmann::json *inputs, const Target *target) {
  const Target &t = target ? *target : Target::host();
  nlohmann::json functions = nlohmann::json::array();
  for (const UnitFunction &uf : request.functions) {
    nlohmann::json globals = nlohmann::json::object();
    for (auto &[name, b] : uf.globals) globals[name] = binding_json(b);
    functions.push_back({{"name", uf.source.name},
                         {"source", normalised_source(uf.source.source)},
                         {"first_line", uf.source.first_line},
                         {"file", debug_file_name(uf.source.filename)},  // (debug info names it)
                         {"globals", globals}});
  }
  nlohmann::json args = nlohmann::json::array();
  for (TypeTag t : request.arg_types) args.push_back(int(t));
  const Options &o = request.options;
  nlohmann::json j = {
      {"format", kFormat},
      {"functions", functions},
      {"args", args},
      {"options", {{"opt_level", o.opt_level}, {"fast", o.fast}, {"debug_info", o.debug_info}, {"exported", o.exported}}},
      {"environment", request.environment},
      {"pyvorin", PYVORIN_VERSION},
      {"build", compiler_build()},
      {"llvm", LLVM_VERSION_STRING},
      {"triple", t.triple},
      {"cpu", t.cpu},
      {"features", t.features}};
  std::string key = sha256_hex(j.dump());
  if (inputs) *inputs = std::move(j);
  return key;
}

std::string DiskCache::stem_of(const std::string &key, const Target *target) {
  const Target &t = target ? *target : Target::host();
  return key + "_" + platform_name(t.triple) + "_" + sanitise(t.cpu);
}

bool DiskCache::ready(std::vector<std::string> &warnings) {
  if (m_secret.size() == 32) {
    // The directory or its key replaced since (removed, made again by another process): check
    // the new ones as the first time, and read the new key.
    struct stat d, k;
    if (::lstat(m_dir.c_str(), &d) == 0 && ::lstat((m_dir + "/secret.key").c_str(), &k) == 0 && d.st_dev == m_dir_id.first &&
        d.st_ino == m_dir_id.second && k.st_dev == m_key_id.first && k.st_ino == m_key_id.second)
      return true;
    m_secret.clear();
  }
  // An unusable directory is said once per process, not at every compile.
  std::vector<std::string> found;
  bool ok = prepare(found);
  if (!ok && !m_said_unusable) warnings.insert(warnings.end(), found.begin(), found.end());
  m_said_unusable = !ok;
  if (ok) warnings.insert(warnings.end(), found.begin(), found.end());  // (a replaced key file)
  return ok;
}

bool DiskCache::prepare(std::vector<std::string> &warnings) {
  if (!make_dirs(m_dir)) {
    warnings.push_back("the disk cache directory " + m_dir + " cannot be created (" + std::strerror(errno) +
                       "); compiling without it");
    return false;
  }
  struct stat st;
  if (::lstat(m_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    warnings.push_back("the disk cache path " + m_dir + " is not a directory; compiling without it");
    return false;
  }
  if (st.st_uid != ::geteuid()) {
    warnings.push_back("the disk cache directory " + m_dir + " belongs to another user; compiling without it");
    return false;
  }
  const std::string path = m_dir + "/secret.key";
  if (::access(path.c_str(), F_OK) != 0) {
    // Not a cache yet: it must be empty (or hold only what a cache holds), so that pointing
    // PYVORIN_CACHE_DIR at a project directory never makes it private or removes its files.
    if (DIR *d = ::opendir(m_dir.c_str())) {
      std::string foreign;
      while (dirent *e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n == "." || n == ".." || n == ".lock" || n.rfind(".tmp.", 0) == 0 || entry_file(n)) continue;
        foreign = n;
        break;
      }
      ::closedir(d);
      if (!foreign.empty()) {
        warnings.push_back("the disk cache directory " + m_dir + " holds other files ('" + foreign +
                           "'): it is not a Pyvorin cache; compiling without it (choose a new or empty directory)");
        return false;
      }
    }
  }
  if ((st.st_mode & 077) != 0 && ::chmod(m_dir.c_str(), 0700) != 0) {
    warnings.push_back("the disk cache directory " + m_dir + " is open to other users and cannot be made private; compiling without it");
    return false;
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::string why;
    bool missing = false;
    std::optional<std::string> secret = read_owned(path, why, &missing);
    if (secret) {
      struct stat ss;
      if (::lstat(path.c_str(), &ss) == 0 && (ss.st_mode & 077) == 0 && secret->size() == 32) {
        m_secret = *secret;
        m_dir_id = {st.st_dev, st.st_ino};
        m_key_id = {ss.st_dev, ss.st_ino};
        return true;
      }
      why = secret->size() != 32 ? "it is damaged" : "other users can read it";
    }
    if (!missing) {
      // A key that others may have read (or that is not ours) authenticates nothing: a new one
      // makes every entry fail its check, so each is rebuilt.
      warnings.push_back("the disk cache's key file " + path + " was replaced (" + why + "); its entries will be rebuilt");
      ::unlink(path.c_str());
    }
    std::string fresh(32, '\0');
    size_t got = 0;
    while (got < fresh.size()) {
      ssize_t n = ::getrandom(&fresh[got], fresh.size() - got, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        warnings.push_back("no random bytes for the disk cache's key; compiling without it");
        return false;
      }
      got += size_t(n);
    }
    // Written aside, then linked into place: two processes starting at once agree on one key.
    std::string tmp = m_dir + "/.tmp.key." + std::to_string(::getpid());
    ::unlink(tmp.c_str());
    Fd f(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
    if (f.fd < 0 || ::write(f.fd, fresh.data(), fresh.size()) != ssize_t(fresh.size())) {
      warnings.push_back("the disk cache's key file cannot be written in " + m_dir + " (" + std::strerror(errno) +
                         "); compiling without it");
      ::unlink(tmp.c_str());
      return false;
    }
    int linked = ::link(tmp.c_str(), path.c_str());
    ::unlink(tmp.c_str());
    struct stat ss;
    if (linked == 0 && ::lstat(path.c_str(), &ss) == 0) {
      m_secret = fresh;
      m_dir_id = {st.st_dev, st.st_ino};
      m_key_id = {ss.st_dev, ss.st_ino};
      return true;
    }
    // another process made it first: read theirs
  }
  warnings.push_back("the disk cache's key file " + path + " cannot be read; compiling without it");
  return false;
}

namespace {

std::string str_field(const nlohmann::json &j, const char *k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

uint64_t u64_field(const nlohmann::json &j, const char *k) {
  auto it = j.find(k);
  return it != j.end() && it->is_number_unsigned() ? it->get<uint64_t>() : UINT64_MAX;
}

// Whether authenticated metadata also has the form the loader reads (an entry from another
// version of the format is caught by its key; this guards the loader against anything else).
bool well_formed(const nlohmann::json &meta) {
  auto e = meta.find("entry");
  auto r = meta.find("report");
  if (e == meta.end() || !e->is_object() || r == meta.end() || !r->is_object()) return false;
  for (const char *b : {"release_gil", "pure", "long_running", "numpy_scalars"})
    if (!e->contains(b) || !(*e)[b].is_boolean()) return false;
  if (!e->contains("symbol") || !(*e)["symbol"].is_string() || !e->contains("frame_bytes") || !(*e)["frame_bytes"].is_number_unsigned())
    return false;
  if (!e->contains("ret") || !(*e)["ret"].is_number_integer() || (*e)["ret"].get<int64_t>() < 0 || (*e)["ret"].get<int64_t>() > 19)
    return false;
  if (!e->contains("args") || !(*e)["args"].is_array()) return false;
  for (auto &a : (*e)["args"])
    if (!a.is_number_integer() || a.get<int64_t>() < 0 || a.get<int64_t>() > 64) return false;
  auto sig = r->find("signatures");
  return sig != r->end() && sig->is_array() && !sig->empty() && r->value("status", std::string()) == "compiled";
}

}  // namespace

std::optional<DiskCache::Entry> DiskCache::load(const std::string &key, std::vector<std::string> &warnings) {
  if (!ready(warnings)) return std::nullopt;
  const std::string stem = stem_of(key);
  const std::string json_path = m_dir + "/" + stem + ".json", obj_path = m_dir + "/" + stem + ".o";
  std::string problem;
  struct stat seen {};
  {
    DirLock lock(m_dir, LOCK_SH);
    if (!lock.held) return std::nullopt;  // (a stopped process holds the lock: compile instead)
    std::string why;
    bool missing = false;
    ::lstat(json_path.c_str(), &seen);
    std::optional<std::string> text = read_owned(json_path, why, &missing);
    if (!text && missing) return std::nullopt;  // a plain miss
    nlohmann::json meta;
    if (!text) {
      problem = "its metadata cannot be read: " + why;
    } else if (std::optional<std::string> body = signed_body(*text, m_secret, problem)) {
      meta = nlohmann::json::parse(*body, nullptr, false);
      if (!meta.is_object())
        problem = "its metadata is not valid JSON";
      else if (u64_field(meta, "format") != uint64_t(kFormat) || str_field(meta, "key") != key)
        problem = "it was written for another key";
      else if (!well_formed(meta))
        problem = "its metadata is not in the form this version reads";
    }
    if (problem.empty()) {
      std::optional<std::string> object = read_owned(obj_path, why);
      if (!object)
        problem = "its object cannot be read: " + why;
      else if (object->size() != u64_field(meta, "object_size") || sha256_hex(*object) != str_field(meta, "object_sha256"))
        problem = "its object does not match its checksum (damaged or replaced)";
      else {
        ::utimensat(AT_FDCWD, json_path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);  // last used, for eviction
        return Entry{std::move(*object), std::move(meta)};
      }
    }
  }
  warnings.push_back("the disk cache entry " + stem + " in " + m_dir + " was ignored and will be rebuilt: " + problem);
  DirLock lock(m_dir, LOCK_EX);
  // (unless another process has written the entry again meanwhile)
  struct stat now {};
  bool same = ::lstat(json_path.c_str(), &now) != 0 ||
              (now.st_ino == seen.st_ino && now.st_mtim.tv_sec == seen.st_mtim.tv_sec && now.st_mtim.tv_nsec == seen.st_mtim.tv_nsec);
  if (lock.held && same) {
    ::unlink(json_path.c_str());
    ::unlink(obj_path.c_str());
  }
  return std::nullopt;
}

void DiskCache::remove(const std::string &key) {
  std::vector<std::string> warnings;
  if (!ready(warnings)) return;
  DirLock lock(m_dir, LOCK_EX);
  if (!lock.held) return;
  const std::string stem = m_dir + "/" + stem_of(key);
  ::unlink((stem + ".json").c_str());
  ::unlink((stem + ".o").c_str());
}

bool DiskCache::store(const std::string &key, const std::string &object, nlohmann::json meta, std::vector<std::string> &warnings) {
  if (!ready(warnings)) return false;
  const std::string stem = stem_of(key);
  meta["format"] = kFormat;
  meta["key"] = key;
  meta["object_size"] = object.size();
  meta["object_sha256"] = sha256_hex(object);
  meta["created"] = double(std::time(nullptr));
  std::string why, file = signed_file(meta.dump(), m_secret);
  DirLock lock(m_dir, LOCK_EX);
  if (!lock.held) {
    warnings.push_back("the disk cache in " + m_dir + " is locked by another process; " + stem + " was not stored");
    return false;
  }
  // The object first: until the metadata is in place the entry does not exist for readers.
  if (!write_atomic(m_dir, m_dir + "/" + stem + ".o", object, why) ||
      !write_atomic(m_dir, m_dir + "/" + stem + ".json", file, why)) {
    warnings.push_back("the disk cache entry " + stem + " cannot be written in " + m_dir + " (" + why + ")");
    return false;
  }
  // The directory is scanned (and trimmed) when the running estimate passes the limit, and every
  // 64 stores (other processes write too); not at every store.
  uint64_t bytes = object.size() + file.size();
  if (m_estimate < 0 || ++m_stores_since_scan >= 64 || uint64_t(m_estimate) + bytes > m_limit) {
    m_stores_since_scan = 0;
    evict(stem);
  } else {
    m_estimate += int64_t(bytes);
  }
  return true;
}

bool DiskCache::update_report(const std::string &key, const nlohmann::json &fields) {
  std::vector<std::string> warnings;
  if (!fields.is_object() || !ready(warnings)) return false;
  const std::string stem = stem_of(key), json_path = m_dir + "/" + stem + ".json";
  DirLock lock(m_dir, LOCK_EX);
  if (!lock.held) return false;
  std::string why, problem;
  std::optional<std::string> text = read_owned(json_path, why);
  std::optional<std::string> body = text ? signed_body(*text, m_secret, problem) : std::nullopt;
  if (!body) return false;
  nlohmann::json meta = nlohmann::json::parse(*body, nullptr, false);
  if (!meta.is_object() || meta.value("key", std::string()) != key || !meta.contains("report") || !meta["report"].is_object())
    return false;
  for (auto &[k, v] : fields.items()) meta["report"][k] = v;
  return write_atomic(m_dir, json_path, signed_file(meta.dump(), m_secret), why);
}

void DiskCache::evict(const std::string &keep) {
  struct Item {
    std::string stem;
    uint64_t bytes = 0;
    timespec used{};
  };
  std::map<std::string, Item> items;
  uint64_t total = 0;
  DIR *d = ::opendir(m_dir.c_str());
  if (!d) return;
  const time_t now = std::time(nullptr);
  while (dirent *e = ::readdir(d)) {
    std::string name = e->d_name;
    struct stat st;
    if (::fstatat(::dirfd(d), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    if (name.rfind(".tmp.", 0) == 0) {  // left by a process that died mid-write
      if (now - st.st_mtime > 3600) ::unlinkat(::dirfd(d), name.c_str(), 0);
      continue;
    }
    if (!entry_file(name)) continue;
    bool json = ends_with(name, ".json");
    std::string stem = name.substr(0, name.size() - (json ? 5 : 2));
    Item &it = items[stem];
    it.stem = stem;
    it.bytes += uint64_t(st.st_size);
    total += uint64_t(st.st_size);
    if (json) it.used = st.st_mtim;
  }
  ::closedir(d);
  m_estimate = int64_t(total);
  if (total <= m_limit) return;
  std::vector<Item> order;
  for (auto &[s, it] : items)
    if (s != keep) order.push_back(it);
  std::sort(order.begin(), order.end(), [](const Item &a, const Item &b) {
    return a.used.tv_sec != b.used.tv_sec ? a.used.tv_sec < b.used.tv_sec : a.used.tv_nsec < b.used.tv_nsec;
  });
  for (const Item &it : order) {
    if (total <= m_limit) break;
    ::unlink((m_dir + "/" + it.stem + ".json").c_str());
    ::unlink((m_dir + "/" + it.stem + ".o").c_str());
    total -= it.bytes;
  }
  m_estimate = int64_t(total);
}

nlohmann::json DiskCache::list() {
  nlohmann::json out = nlohmann::json::array();
  std::vector<std::string> warnings;
  if (!ready(warnings)) return out;
  DirLock lock(m_dir, LOCK_SH);
  DIR *d = ::opendir(m_dir.c_str());
  if (!d) return out;
  std::vector<std::string> stems;
  while (dirent *e = ::readdir(d)) {
    std::string name = e->d_name;
    if (entry_file(name) && ends_with(name, ".json")) stems.push_back(name.substr(0, name.size() - 5));
  }
  ::closedir(d);
  std::sort(stems.begin(), stems.end());
  for (const std::string &stem : stems) {
    std::string why;
    std::optional<std::string> text = read_owned(m_dir + "/" + stem + ".json", why);
    std::string problem;
    std::optional<std::string> body = text ? signed_body(*text, m_secret, problem) : std::nullopt;
    nlohmann::json meta = body ? nlohmann::json::parse(*body, nullptr, false) : nlohmann::json();
    nlohmann::json row = {{"stem", stem}, {"key", stem.substr(0, stem.find('_'))}, {"valid", false}, {"problem", nullptr}};
    struct stat js {}, os {};
    ::stat((m_dir + "/" + stem + ".json").c_str(), &js);
    bool has_object = ::stat((m_dir + "/" + stem + ".o").c_str(), &os) == 0;
    row["bytes"] = uint64_t(js.st_size) + (has_object ? uint64_t(os.st_size) : 0);
    row["last_used"] = double(js.st_mtim.tv_sec) + js.st_mtim.tv_nsec * 1e-9;
    if (!text) {
      row["problem"] = "metadata cannot be read: " + why;
    } else if (!body || !meta.is_object()) {
      row["problem"] = body ? "metadata is not valid JSON" : problem;
    } else {
      row["function"] = meta.value("function", std::string());
      row["signature"] = meta.value("signature", nlohmann::json::array());
      row["created"] = meta.value("created", 0.0);
      if (!has_object || uint64_t(os.st_size) != meta.value("object_size", uint64_t(0))) row["problem"] = "object missing or of the wrong size";
      else row["valid"] = true;
    }
    out.push_back(row);
  }
  return out;
}

nlohmann::json DiskCache::info() {
  nlohmann::json entries = list();
  uint64_t bytes = 0;
  for (auto &e : entries) bytes += e.value("bytes", uint64_t(0));
  return {{"dir", m_dir}, {"limit", m_limit}, {"entries", entries.size()}, {"bytes", bytes}, {"platform", platform_name()},
          {"cpu", host_cpu()}, {"pyvorin", PYVORIN_VERSION}, {"build", compiler_build()}, {"llvm", LLVM_VERSION_STRING}};
}

size_t DiskCache::clear() {
  std::vector<std::string> warnings;
  if (!ready(warnings)) return 0;
  DirLock lock(m_dir, LOCK_EX);
  if (!lock.held) return 0;
  DIR *d = ::opendir(m_dir.c_str());
  if (!d) return 0;
  size_t entries = 0;
  while (dirent *e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.rfind(".tmp.", 0) == 0 || entry_file(name)) {
      if (::unlinkat(::dirfd(d), name.c_str(), 0) == 0 && ends_with(name, ".json")) ++entries;
    }
  }
  ::closedir(d);
  return entries;
}

}  // namespace pyvorin
