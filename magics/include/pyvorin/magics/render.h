// Report rendering: the report JSON (docs/report-format.md) to self-contained HTML (no JavaScript;
// <details> sections; readable in light and dark themes) and to a plain-text summary for consoles.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pyvorin::magics {

// Highlighted listings computed on the Python side (pygments), one object per entry of
// report["functions"]: {"ir": [html line, ...], "opt_ir": [...], "asm": [...]}, token classes
// "t-<pygments short name>" (styled by the report's CSS). A missing listing, or one whose line
// count differs from the text's, is rendered as escaped plain text. The fragments are trusted
// HTML (pygments escapes the text).
using Highlights = nlohmann::json;

// The full report as one HTML fragment (<div class="pyvorin-report">...</div> with its <style>).
// Sections listed in report["options"]["show"] start expanded.
std::string render_html(const nlohmann::json &report, const Highlights &highlights = nullptr);

// A tidy summary for text/plain; sections in report["options"]["show"] are appended in full.
std::string render_text(const nlohmann::json &report);

// Helpers shared by both renderers (exposed for tests).
std::string html_escape(const std::string &text);
std::string format_ms(double ms);          // "0.042 ms", "12.3 ms", "1.52 s"
std::string format_seconds(double seconds);  // same scale, input in seconds
std::string format_bytes(long long bytes);   // "812 B", "1.2 KiB"
std::string format_signature(const nlohmann::json &signature);  // "(int, int) -> int"

}  // namespace pyvorin::magics
