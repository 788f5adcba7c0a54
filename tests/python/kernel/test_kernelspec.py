"""The build tree's kernelspec: found through JUPYTER_PATH, named and described as documented,
with valid logos, starting our executable with the build's package on PYTHONPATH."""
import json
import os
import struct
import subprocess

from jupyter_client.kernelspec import KernelSpecManager

BUILD_DIR = os.environ["PYVORIN_BUILD_DIR"]  # set by conftest.py (or ctest)


def spec():
    return KernelSpecManager().get_kernel_spec("xpyvorin")


def test_kernelspec_is_found_and_described():
    kernel_spec = spec()
    assert kernel_spec.display_name == "Pyvorin (Python 3)"
    assert kernel_spec.language == "python"
    assert kernel_spec.interrupt_mode == "signal"
    assert kernel_spec.argv[1:] == ["-f", "{connection_file}"]
    assert os.path.samefile(kernel_spec.argv[0], os.path.join(BUILD_DIR, "bin", "xpyvorin"))
    assert os.path.samefile(kernel_spec.env["PYTHONPATH"], os.path.join(BUILD_DIR, "python"))
    assert "xpyvorin" in KernelSpecManager().find_kernel_specs()


def test_logos_are_pngs_of_the_right_size():
    for size in (32, 64):
        path = os.path.join(spec().resource_dir, f"logo-{size}x{size}.png")
        with open(path, "rb") as f:
            data = f.read()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (size, size)


def test_kernel_json_is_plain_json():
    with open(os.path.join(spec().resource_dir, "kernel.json")) as f:
        assert json.load(f)["metadata"] == {"debugger": False}


def test_version_flag():
    out = subprocess.run([spec().argv[0], "--version"], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0
    assert out.stdout.startswith("xpyvorin ") and "xeus-python" in out.stdout
