"""The upstream Jupyter kernel conformance suite (jupyter_kernel_test.KernelTests) against
xpyvorin, with every sample filled in, history included."""
import unittest

import jupyter_kernel_test as jkt


class XpyvorinKernelTests(jkt.KernelTests):
    kernel_name = "xpyvorin"
    language_name = "python"
    file_extension = ".py"

    code_hello_world = "print('hello, world')"
    code_stderr = "import sys; print('test', file=sys.stderr)"

    completion_samples = [
        {"text": "zi", "matches": {"zip"}},
        {"text": "import collecti", "matches": {"collections"}},
    ]
    complete_code_samples = ["1", "print('hello, world')", "def f(x):\n  return x*2\n\n\n"]
    incomplete_code_samples = ["print('''hello", "def f(x):\n  x*2"]
    invalid_code_samples = ["import = 7q"]

    code_page_something = "print?"
    code_generate_error = "raise"

    code_execute_result = [
        {"code": "1+2+3", "result": "6"},
        {"code": "[n*n for n in range(1, 4)]", "result": "[1, 4, 9]"},
        {"code": "from IPython.display import HTML; HTML('<b>x</b>')", "mime": "text/html"},
    ]
    code_display_data = [
        {"code": "from IPython.display import HTML, display; display(HTML('<b>test</b>'))",
         "mime": "text/html"},
        {"code": "from IPython.display import Math, display; display(Math('\\\\frac{1}{2}'))",
         "mime": "text/latex"},
    ]

    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "zip"
    code_clear_output = "from IPython.display import clear_output; clear_output()"


class KernelInfo(unittest.TestCase):
    """What xpyvorin adds to xeus-python's kernel_info: its name and IPython-flavoured language info."""

    def test_kernel_info(self):
        from jupyter_client.manager import start_new_kernel
        manager, client = start_new_kernel(kernel_name="xpyvorin")
        try:
            info = client.kernel_info(reply=True, timeout=30)["content"]
        finally:
            client.stop_channels()
            manager.shutdown_kernel()
        self.assertEqual(info["implementation"], "xpyvorin")
        self.assertIn("%%pyvorin", info["banner"])
        self.assertNotIn("WARNING", info["banner"])
        self.assertFalse(info["debugger"])
        self.assertEqual(info["language_info"]["name"], "python")
        self.assertEqual(info["language_info"]["pygments_lexer"], "ipython3")
        self.assertEqual(info["language_info"]["codemirror_mode"], {"name": "ipython", "version": 3})


if __name__ == "__main__":
    unittest.main()
