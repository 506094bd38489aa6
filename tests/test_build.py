"""The build refuses bad input with a readable report and publishes nothing; the CLI's statuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import InputError, NotConforming
from kg.release import build
from kg.settings import Paths

from .conftest import current_target, quiet, run_kg


def first_figure_file(data: Path) -> Path:
    for path in sorted(data.glob("*.trig")):
        if "lwg:approximately" in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError("no data file states an approximate figure")


def test_a_failing_shape_publishes_nothing_and_names_file_entity_shape(workspace: Paths) -> None:
    first = build(workspace, progress=quiet)
    before = current_target(workspace.out)
    assert before == first.id

    target = first_figure_file(workspace.data)
    text = target.read_text(encoding="utf-8")
    broken = re.sub(r"lwg:approximately\s+(\d+)", r"lwg:approximately \1 ; lwg:exactly \1", text, count=1)
    assert broken != text
    target.write_text(broken, encoding="utf-8")

    with pytest.raises(NotConforming) as caught:
        build(workspace, progress=quiet)
    report = caught.value.report.text()  # type: ignore[attr-defined]
    assert str(target) in report
    assert "figure:" in report or "/id/figure/" in report
    assert "lwgsh:" in report
    assert "Violation" in report
    assert current_target(workspace.out) == before
    assert sorted(p.name for p in workspace.out.iterdir()) == sorted([before, "current"])


def test_a_syntax_error_names_the_file_and_line(workspace: Paths) -> None:
    target = min(workspace.data.glob("*.trig"))
    target.write_text(target.read_text(encoding="utf-8") + "\nthis is not turtle .\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(str(target)) + r".*line \d+"):
        build(workspace, progress=quiet)
    assert not workspace.out.exists() or not any(workspace.out.iterdir())


def test_statements_outside_a_named_graph_are_refused(workspace: Paths) -> None:
    extra = workspace.data / "stray.trig"
    extra.write_text("<https://w3id.org/lwg/id/person/x> <http://www.w3.org/2004/02/skos/core#prefLabel> 'X'@en .\n")
    with pytest.raises(InputError, match="outside any GRAPH block"):
        build(workspace, progress=quiet)


def test_blank_nodes_are_refused(workspace: Paths) -> None:
    extra = workspace.data / "blank.trig"
    extra.write_text("<https://w3id.org/lwg/graph/x> { _:b <http://www.w3.org/2004/02/skos/core#prefLabel> 'X'@en . }\n")
    with pytest.raises(InputError, match="blank node"):
        build(workspace, progress=quiet)


def test_undeclared_ontology_terms_are_violations(workspace: Paths) -> None:
    target = first_figure_file(workspace.data)
    text = target.read_text(encoding="utf-8").replace("lwg:approximately", "lwg:approximatly", 1)
    target.write_text(text, encoding="utf-8")
    with pytest.raises(NotConforming) as caught:
        build(workspace, progress=quiet)
    assert "lwg:approximatly is not declared in the ontology" in caught.value.report.text()  # type: ignore[attr-defined]


def test_cli_build_prints_a_summary(workspace: Paths) -> None:
    done = run_kg("build", "--out", str(workspace.out), cwd=workspace.data.parent)
    assert done.returncode == 0, done.stderr
    assert re.search(r"\d+ triples", done.stdout)
    assert re.search(r"entities: .*\d+ person", done.stdout)
    assert re.search(r"sources: \d+", done.stdout)
    assert "dumps/SHA256SUMS" in done.stdout
    assert "validating" in done.stderr, "long steps report progress"


def test_cli_validate_statuses(workspace: Paths) -> None:
    cwd = workspace.data.parent
    ok = run_kg("validate", cwd=cwd)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "Conforms" in ok.stdout

    target = first_figure_file(workspace.data)
    target.write_text(re.sub(r"lwg:approximately\s+(\d+)", r"lwg:approximately -\1", target.read_text(), count=1))
    bad = run_kg("validate", str(target), cwd=cwd)
    assert bad.returncode == 1
    assert str(target.relative_to(cwd)) in bad.stderr or str(target) in bad.stderr
    assert "Violation" in bad.stderr

    missing = run_kg("validate", "no/such/file.trig", cwd=cwd)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr

    (workspace.data / "broken.trig").write_text("<a> <b> .")
    broken = run_kg("validate", cwd=cwd)
    assert broken.returncode == 2
    assert "broken.trig" in broken.stderr


def test_changed_settings_make_a_new_release_and_keep_the_old(workspace: Paths) -> None:
    first = build(workspace, progress=quiet)
    settings = workspace.data / "dataset.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("modified = 2026-11-25", "modified = 2026-12-01"))
    second = build(workspace, progress=quiet)
    assert second.id != first.id
    assert current_target(workspace.out) == second.id
    assert "2026-12-01" in (second.path / "void.ttl").read_text()
    assert "2026-11-25" in (workspace.out / first.id / "void.ttl").read_text(), "the previous release stays intact"
