# lit configuration: each .py file here holds RUN lines that compile one function with pyvorinc
# and check the emitted IR/assembly with FileCheck.
import os
import lit.formats

config.name = "pyvorin"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".py"]
config.excludes = ["lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(os.environ.get("TMPDIR", "/tmp"), "pyvorin-lit")
config.substitutions.append(("%pyvorinc", os.environ["PYVORINC"]))
config.substitutions.append(("FileCheck", os.environ["FILECHECK"]))
config.environment["PYTHONDONTWRITEBYTECODE"] = "1"
