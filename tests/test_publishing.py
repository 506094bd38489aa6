"""Publishing loses nothing: a build killed at any point, a rollback, a damaged store at start.

The build runs as a user runs it (``python -m kg build``) and is killed with SIGKILL the
moment its progress shows it has reached each phase, and shortly after the last one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Store

from kg.errors import NoRelease
from kg.release import CURRENT, MANIFEST, STORE_DIR, build, list_releases, open_release, rollback
from kg.service import ServerConfig, Service
from kg.settings import Paths
from kg.web.app import create_app

from .conftest import ROOT, current_target, quiet, run_kg
from .servers import free_port

#: Progress lines at which the build is killed (the first line that contains the text), and a
#: pause after it: killed while parsing, validating, writing dumps, loading the store, and
#: while writing the last files, renaming the release and switching ``current``.
KILL_POINTS = [
    ("parsing", 0.0),
    ("validating", 0.0),
    ("writing release", 0.0),
    (".nq.gz", 0.0),
    ("loading the embedded store", 0.0),
    ("loading the embedded store", 0.05),
    ("loading the embedded store", 0.15),
    ("loading the embedded store", 0.3),
]


def kg_process(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=cwd, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


def build_args(paths: Paths) -> list[str]:
    return ["build", "--data", str(paths.data), "--ontology", str(paths.ontology), "--out", str(paths.out)]


def kill_at(paths: Paths, marker: str, pause: float) -> bool:
    """Run a build and SIGKILL it ``pause`` s after a progress line holding ``marker``; whether it was killed."""
    process = kg_process(*build_args(paths), cwd=paths.data.parent)
    assert process.stderr is not None
    for line in process.stderr:
        if marker in line:
            time.sleep(pause)
            process.send_signal(signal.SIGKILL)
            break
    process.wait(60)
    return process.returncode == -signal.SIGKILL


def assert_complete(out: Path, release_id: str) -> None:
    """The release is whole: its manifest, a store holding its triples, dumps matching their checksums."""
    release = open_release(out / release_id)
    store = Store.read_only(str(release.path / STORE_DIR))
    counted = store.query("SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
    assert int(next(iter(counted))["n"].value) == release.triples  # type: ignore[arg-type, index, union-attr]
    del store
    for line in (release.path / "dumps" / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((release.path / "dumps" / name).read_bytes()).hexdigest() == digest, name


def change_data(paths: Paths, day: int) -> None:
    settings = paths.data / "dataset.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("modified = 2026-11-25", f"modified = 2026-12-{day:02d}"), encoding="utf-8")


def test_a_build_killed_at_any_point_leaves_the_previous_release_current_and_whole(workspace: Paths) -> None:
    first = build(workspace, progress=quiet)
    change_data(workspace, 1)
    killed = 0
    for marker, pause in KILL_POINTS:
        killed += kill_at(workspace, marker, pause)
        current = current_target(workspace.out)
        assert current is not None
        assert_complete(workspace.out, current)  # current always names a whole release
        assert_complete(workspace.out, first.id)  # and the previous one is untouched
        assert [listed.id for listed in list_releases(workspace.out)] in ([first.id], [current, first.id])
        if current != first.id:  # the kill came after the switch: the build had finished
            break
    assert killed >= 5, "most kills must land mid-build for the test to mean anything"
    served = Service.open(ServerConfig(releases=workspace.out, queries=workspace.queries))
    try:
        served.check()  # the store opens and holds its release's triples
        with TestClient(create_app(served)) as client:
            assert client.get("/health").json()["release"] == current_target(workspace.out)
            assert client.get("/id/place/astana.ttl").status_code == 200
    finally:
        served.close()
    second = build(workspace, progress=quiet)  # what the kills left behind does not stop the next build
    assert current_target(workspace.out) == second.id != first.id
    assert not [p for p in workspace.out.iterdir() if p.name.startswith(".building-")], "stale build folders are cleared"


def test_rollback_switches_back_and_forth_and_keeps_every_release(workspace: Paths) -> None:
    first = build(workspace, progress=quiet)
    change_data(workspace, 2)
    second = build(workspace, progress=quiet)
    listed = list_releases(workspace.out)
    assert [r.id for r in listed] == [second.id, first.id] and listed[0].current
    assert rollback(workspace.out).id == first.id
    assert current_target(workspace.out) == first.id
    with pytest.raises(NoRelease, match="oldest"):
        rollback(workspace.out)
    assert current_target(workspace.out) == first.id  # a refused rollback changes nothing
    assert rollback(workspace.out, second.id).id == second.id
    with pytest.raises(NoRelease, match="no complete release"):
        rollback(workspace.out, "nonexistent")
    assert_complete(workspace.out, first.id)
    assert_complete(workspace.out, second.id)


def test_the_commands_list_and_roll_back(workspace: Paths) -> None:
    first = build(workspace, progress=quiet)
    change_data(workspace, 3)
    second = build(workspace, progress=quiet)
    cwd = workspace.data.parent
    listing = run_kg("releases", "--out", str(workspace.out), cwd=cwd)
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert lines[0].startswith(f"* {second.id}") and lines[1].startswith(f"  {first.id}")
    back = run_kg("rollback", "--out", str(workspace.out), cwd=cwd)
    assert back.returncode == 0 and first.id in back.stdout
    assert current_target(workspace.out) == first.id
    refused = run_kg("rollback", "--out", str(workspace.out), cwd=cwd)
    assert refused.returncode == 2 and "oldest" in refused.stderr and "Traceback" not in refused.stderr


def damage_store_files(store: Path) -> None:
    for table in store.glob("*.sst"):
        table.write_bytes(b"\0" * table.stat().st_size)


def remove_tables(store: Path) -> None:
    for table in store.glob("*.sst"):
        table.unlink()


def remove_store(store: Path) -> None:
    shutil.rmtree(store)


@pytest.mark.parametrize("damage", [remove_store, remove_tables, damage_store_files])
def test_a_damaged_store_is_found_at_serve_start_with_a_clear_message(workspace: Paths, damage: object) -> None:
    release = build(workspace, progress=quiet)
    damage(release.path / STORE_DIR)  # type: ignore[operator]
    result = subprocess.run(
        [sys.executable, "-m", "kg", "serve", "--out", str(workspace.out), "--queries", str(workspace.queries), "--port", str(free_port())],
        cwd=workspace.data.parent, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "kg: " in result.stderr and "store" in result.stderr


def test_a_broken_manifest_or_dangling_current_is_found_at_serve_start(workspace: Paths) -> None:
    release = build(workspace, progress=quiet)
    (release.path / MANIFEST).write_text("{ not json")
    args = ["serve", "--out", str(workspace.out), "--queries", str(workspace.queries), "--port", str(free_port())]
    result = run_kg(*args, cwd=workspace.data.parent)
    assert result.returncode == 2 and "unreadable" in result.stderr and "Traceback" not in result.stderr
    shutil.rmtree(release.path)
    assert (workspace.out / CURRENT).is_symlink()
    result = run_kg(*args, cwd=workspace.data.parent)
    assert result.returncode == 2 and "no release" in result.stderr and "Traceback" not in result.stderr
