"""Shared fixtures: the repository root, the nerq command and one
Extractor over the repository's rules. Run from `make python`."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))

import nerq  # noqa: E402


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def nerq_bin():
    return os.path.join(ROOT, os.environ.get("NERQ_BIN", "nerq"))


@pytest.fixture(scope="session")
def extractor():
    return nerq.Extractor(os.path.join(ROOT, "rules"))


def run_cli(nerq_bin, *args, stdin=None):
    return subprocess.run([nerq_bin, *args], input=stdin, capture_output=True, cwd=ROOT)
