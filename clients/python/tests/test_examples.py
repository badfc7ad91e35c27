"""The examples run as a user runs them: as scripts, against the API in HPO_API_URL / HPO_TOKEN."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import unittest

from support import CLIENT_ROOT, api_settings, unique

EXAMPLES = os.path.join(CLIENT_ROOT, "examples")


def run_example(name: str, *args: str, timeout: float = 300.0) -> subprocess.CompletedProcess:
    url, token = api_settings()
    env = dict(os.environ, HPO_API_URL=url, HPO_TOKEN=token)
    return subprocess.run(
        [sys.executable, os.path.join(EXAMPLES, name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class ExamplesTest(unittest.TestCase):
    def test_the_quadratic_example_drives_its_study_to_completion(self) -> None:
        result = run_example("quadratic.py", "--trials", "15", "--name", unique("example-quadratic"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("ran 15 trials here; study state: completed", result.stdout)
        self.assertRegex(result.stdout, r"best: trial \d+ loss=\d")

    def test_the_pytorch_example_runs_or_skips_cleanly_without_torch(self) -> None:
        result = run_example("pytorch_mnist_like.py", "--trials", "3", "--epochs", "2", "--name", unique("example-torch"))
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        if importlib.util.find_spec("torch") is None:
            self.assertIn("PyTorch is not installed", result.stdout)
        else:
            self.assertRegex(result.stdout, r"best: trial \d+ val_loss=")


if __name__ == "__main__":
    unittest.main()
