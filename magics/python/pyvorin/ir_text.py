"""The IR and assembly as the report shows them: without the debug metadata (each instruction's
`, !dbg !7` and the metadata block at the end) and with the kernel's temporary cell file names
shown as `<cell>`, unless --debug-ir asks for them. Line numbers do not change (the line map cites
them): references are dropped within their lines, and the metadata block is the module's tail."""
import re

_ATTACHMENT = re.compile(r",? ![A-Za-z_.][\w.]* ![0-9]+")
# The names the kernels give cells: xeus-python's and ipykernel's temporary files, IPython's own.
_CELL_NAME = re.compile(r"^(?:/tmp/(?:xpython|ipykernel)_\d+/\d+\.py|<ipython-input-\d+-[0-9a-f]+>|<pyvorin-cell-\d+-[0-9a-f]+>)$")
_C_STRING = re.compile(r'\[(\d+) x i8\] c"((?:[^"\\]|\\[0-9A-Fa-f]{2})*)"')


def is_cell_file(filename):
    return bool(filename) and bool(_CELL_NAME.match(filename))


def _llvm_escape(text):
    out = []
    for byte in text.encode("utf-8"):
        ch = chr(byte)
        out.append(ch if 32 <= byte < 127 and ch not in '"\\' else "\\%02X" % byte)
    return "".join(out)


def clean_ir(text, cell_file=None):
    """The IR without debug references and metadata, and with `cell_file` shown as `<cell>`."""
    if not text:
        return text
    lines = text.split("\n")
    end = len(lines)
    while end > 0 and (lines[end - 1].startswith("!") or not lines[end - 1].strip()):
        end -= 1
    dropped = sum(1 for line in lines[end:] if line.startswith("!"))
    cell = _llvm_escape(cell_file) if is_cell_file(cell_file) else None
    out = []
    for line in lines[:end]:
        line = _ATTACHMENT.sub("", line)
        if cell is not None and cell in line:
            def fix(m):
                body = m.group(2).replace(cell, "<cell>")
                size = len(re.sub(r"\\[0-9A-Fa-f]{2}", "x", body))
                return f'[{size} x i8] c"{body}"'
            line = _C_STRING.sub(fix, line)
            line = line.replace(cell, "<cell>")
        out.append(line)
    if dropped:
        out.append("")
        out.append(f"; {dropped} lines of debug metadata left out (%%pyvorin --debug-ir shows them)")
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def clean_asm(text, cell_file=None):
    """The assembly with `cell_file` shown as `<cell>` (its line count unchanged, and the string's
    `.size` following it)."""
    if not text or not is_cell_file(cell_file):
        return text
    sized = re.compile(r'(\.asciz\s+")%s("\n\s*\.size\s+[^,\n]+, )\d+' % re.escape(cell_file))
    text = sized.sub(lambda m: m.group(1) + "<cell>" + m.group(2) + str(len("<cell>") + 1), text)
    return text.replace(cell_file, "<cell>")
