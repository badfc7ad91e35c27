"""`pip install ./clients/python` gives an importable, typed `hpo` package; the sources stay Python 3.9."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from typing import List

from support import CLIENT_ROOT

SOURCES = [
    os.path.join(root, name)
    for folder in ("src", "examples", "tests")
    for root, _, names in os.walk(os.path.join(CLIENT_ROOT, folder))
    for name in names
    if name.endswith(".py")
]


def _run(command: List[str]) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


def _pip_supports_python_option() -> bool:
    """`pip --python` (pip 22.3+) installs into another interpreter's environment."""
    probe = subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True, text=True)
    parts = probe.stdout.split()
    if probe.returncode != 0 or len(parts) < 2:
        return False
    try:
        major, minor = (int(part) for part in parts[1].split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (22, 3)


class PackagingTest(unittest.TestCase):
    def test_pip_installs_the_package_into_a_fresh_virtual_environment(self) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            # Offline machines: fail fast on an unreachable index and use the configured local ones.
            env = dict(os.environ, PIP_RETRIES="0", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_CACHE_DIR="1")
            env.pop("PYTHONPATH", None)
            pip = [sys.executable, "-m", "pip"]
            venv = os.path.join(scratch, "venv")
            python = os.path.join(venv, "bin", "python")
            site = None
            if _pip_supports_python_option() and _run([sys.executable, "-m", "venv", "--without-pip", venv]):
                install = [*pip, "--python", python, "install"]  # no pip inside the venv: faster to make
            elif _run([sys.executable, "-m", "venv", venv]):
                install = [python, "-m", "pip", "install"]
            else:
                # No venv module (Debian without python3-venv): install into a plain folder instead.
                python = sys.executable
                site = os.path.join(scratch, "site")
                install = [*pip, "install", "--target", site]
                env["PYTHONPATH"] = site
            source = os.path.join(scratch, "client")
            # Build from a copy: an in-tree build would leave build/ and *.egg-info in the checkout.
            shutil.copytree(CLIENT_ROOT, source, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
            result = subprocess.run([*install, source], capture_output=True, text=True, timeout=600, env=env)
            self.assertEqual(result.returncode, 0, result.stdout[-3000:] + result.stderr[-3000:])
            probe = (
                "import hpo, os; "
                "print(hpo.__version__, hpo.__file__, os.path.exists(os.path.join(os.path.dirname(hpo.__file__), 'py.typed')))"
            )
            imported = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=scratch, env=env)
            self.assertEqual(imported.returncode, 0, imported.stderr)
            version, path, typed = imported.stdout.split()
            self.assertEqual(version, "0.1.0")
            self.assertTrue(path.startswith(venv if site is None else site), path)
            self.assertEqual(typed, "True")

    def test_every_source_parses_as_python_3_9(self) -> None:
        self.assertTrue(SOURCES)
        for path in SOURCES:
            with open(path, encoding="utf-8") as handle:
                ast.parse(handle.read(), path, feature_version=(3, 9))


if __name__ == "__main__":
    unittest.main()
