"""Shared fixtures: one release built from the real data, and a way to run the ``kg`` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import Store

from kg.release import CURRENT, STORE_DIR, Release, build
from kg.settings import Paths

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL = Paths(data=ROOT / "data", ontology=ROOT / "ontology", queries=ROOT / "queries")


def quiet(_message: str) -> None:
    """A progress callback that prints nothing."""


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """The release built from the project's own data, once per test session."""
    out = tmp_path_factory.mktemp("releases")
    return build(Paths(data=REAL.data, ontology=REAL.ontology, out=out), progress=quiet)


@pytest.fixture(scope="session")
def store(release: Release) -> Iterator[Store]:
    yield Store.read_only(str(release.path / STORE_DIR))


@pytest.fixture
def workspace(tmp_path: Path) -> Paths:
    """A private copy of the data and ontology folders, free to break."""
    shutil.copytree(REAL.data, tmp_path / "data")
    shutil.copytree(REAL.ontology, tmp_path / "ontology")
    shutil.copytree(REAL.queries, tmp_path / "queries")
    return Paths(data=tmp_path / "data", ontology=tmp_path / "ontology", out=tmp_path / "releases", queries=tmp_path / "queries")


def run_kg(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kg`` as a user would, in ``cwd``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def current_target(out: Path) -> str | None:
    link = out / CURRENT
    return os.readlink(link) if link.is_symlink() else None
