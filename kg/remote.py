"""Loading a release into a remote SPARQL store, for ``kg serve --endpoint``.

Two ways in, both replacing each of the release's named graphs whole (loading twice
gives the same store):

- the SPARQL 1.1 Graph Store HTTP Protocol, which any conforming store speaks: one
  ``PUT <store>?graph=<iri>`` per named graph, its triples as N-Triples (the Oxigraph
  server's ``/store``; Fuseki's ``/<dataset>/data``; GraphDB's
  ``/repositories/<id>/rdf-graphs/service``);
- Virtuoso's bulk loader, driven through ``isql``: the release's N-Quads are written to
  a folder the server may read (its ``DirsAllowed``), registered with ``ld_dir`` and
  loaded with ``rdf_loader_run()``, then checkpointed.

Virtuoso 7.2 rewrites xsd:duration literals as it loads them ("P1Y6M" becomes "18":
a count of months, or of seconds for a day-time duration), whatever the way in; the
bulk-loader path inserts those few literals itself with their lexical form kept. Its
STRLANG accepts only language tags like "en" or "en-GB", not "kk-latn-alalc97"; the
bulk-loader path also redefines that function to accept any well-formed tag.

After loading, ``verify`` counts each graph's triples through the store's SPARQL
endpoint and compares them with the release. Nothing here imports the web layer.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from pyoxigraph import Literal, NamedNode, Quad, QuerySolutions, RdfFormat, Triple, parse, serialize

from .backends import BackendUnavailable, RemoteBackend
from .errors import InputError, KGError
from .release import DUMPS_DIR, MANIFEST

N_QUADS = "application/n-quads"
N_TRIPLES = "application/n-triples"

XSD = "http://www.w3.org/2001/XMLSchema#"
#: Datatypes whose literals Virtuoso 7.2 does not keep as written (its bug reports #224, #936).
VIRTUOSO_REWRITTEN = frozenset(f"{XSD}{name}" for name in ("duration", "yearMonthDuration", "dayTimeDuration"))
_DURATION = re.compile(r"-?P[0-9YMDTHS.]+")

Progress = Callable[[str], None]

#: Virtuoso 7.2's own DB.DBA.rdf_strlang_impl with a language-tag check that accepts every
#: well-formed BCP 47 tag (its own accepts only "xx", "xx-XX" and "x-..."); \044 is "$" in Virtuoso SQL.
VIRTUOSO_STRLANG = r"""
create function DB.DBA.rdf_strlang_impl (in str varchar, in lang any)
{
  declare t integer;
  lang := cast (lang as varchar);
  if ((lang is null) or (regexp_match ('^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*\044', lang) is null))
    signal ('22007', 'Function rdf_strlang_impl needs a valid language ID as its second argument');
  if (is_rdf_box (str))
    str := rdf_box_data (str, 1);
  t := __tag (str);
  if (__tag of nvarchar = t)
    str := charset_recode (str, '_WIDE_', 'UTF-8');
  else if (__tag of varchar <> t)
    {
      if (str is null)
        signal ('22007', 'Function rdf_strlang_impl needs a bound value as its first argument, not a NULL');
      str := cast (str as varchar);
    }
  return rdf_box (str, 257, DB.DBA.RDF_TWOBYTE_OF_LANGUAGE (lang), 0, 1);
}
;
grant execute on DB.DBA.rdf_strlang_impl to public;
"""


class LoadError(KGError):
    """The store refused the data, or holds something else than the release after loading."""


@dataclass(frozen=True)
class LoadedGraph:
    """One named graph of the release, and how many triples the store holds in it."""

    graph: str
    triples: int


# --- the release's quads ---------------------------------------------------------------------


def release_nquads(release: Path) -> Path:
    """The release's gzipped N-Quads dump (every named graph), as its manifest lists it."""
    try:
        manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{release / MANIFEST}: cannot read the release's manifest: {exc}") from exc
    for dump in manifest.get("dumps", []):
        if dump.get("media_type") == N_QUADS:
            path = release / DUMPS_DIR / dump["filename"]
            if path.is_file():
                return path
    raise InputError(f"{release}: the release has no N-Quads dump")


def release_quads(release: Path) -> list[Quad]:
    """Every quad of the release, from its N-Quads dump."""
    path = release_nquads(release)
    quads = list(parse(gzip.decompress(path.read_bytes()), format=RdfFormat.N_QUADS))
    if any(not isinstance(q.graph_name, NamedNode) for q in quads):
        raise InputError(f"{path}: every quad of a release sits in a named graph")
    return quads


def by_graph(quads: Sequence[Quad]) -> dict[str, list[Triple]]:
    """The triples of each named graph, graphs in order of their IRIs."""
    graphs: dict[str, list[Triple]] = defaultdict(list)
    for quad in quads:
        assert isinstance(quad.graph_name, NamedNode)
        graphs[quad.graph_name.value].append(quad.triple)
    return {graph: graphs[graph] for graph in sorted(graphs)}


# --- the Graph Store HTTP Protocol -----------------------------------------------------------


def store_url_for(endpoint: str) -> str:
    """The Graph Store Protocol URL beside a SPARQL endpoint, as the Oxigraph server lays them out
    (``/query`` or ``/sparql`` → ``/store``). Other stores: give ``--store-url``."""
    parts = urlsplit(endpoint)
    path = re.sub(r"/(query|sparql)/?$", "/store", parts.path)
    if path == parts.path:
        raise InputError(f"cannot guess the Graph Store Protocol URL beside {endpoint}: give --store-url")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def graph_url(store_url: str, graph: str) -> str:
    """``store_url?graph=<iri>`` (the protocol's indirect graph identification)."""
    separator = "&" if urlsplit(store_url).query else "?"
    return f"{store_url}{separator}graph={quote(graph, safe='')}"


def put_graph(store_url: str, graph: str, triples: Sequence[Triple], timeout: float = 60.0) -> None:
    """Replace one named graph of the store with ``triples`` (HTTP PUT of N-Triples)."""
    body = serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""
    request = urllib.request.Request(
        graph_url(store_url, graph), data=body, method="PUT", headers={"Content-Type": N_TRIPLES}
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        message = exc.read().decode("utf-8", errors="replace").strip()[:500]
        raise LoadError(f"PUT {graph} into {store_url}: the store answered {exc.code}: {message}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise BackendUnavailable(f"PUT {graph} into {store_url}: the store is unreachable: {exc}") from exc


def load_gsp(quads: Sequence[Quad], store_url: str, timeout: float = 60.0, progress: Progress | None = None) -> list[LoadedGraph]:
    """Put every named graph of ``quads`` into the store at ``store_url``; what was sent, graph by graph."""
    loaded = []
    for graph, triples in by_graph(quads).items():
        put_graph(store_url, graph, triples, timeout)
        loaded.append(LoadedGraph(graph, len(set(triples))))
        if progress:
            progress(f"  PUT {len(triples):6} triples  {graph}")
    return loaded


# --- Virtuoso's bulk loader ------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    """A Virtuoso SQL string literal (quotes doubled). IRIs and durations hold no backslash; a
    folder name with one is refused rather than guessed at."""
    if "\\" in text or "\n" in text:
        raise InputError(f"cannot write {text!r} into an isql script")
    return "'" + text.replace("'", "''") + "'"


def _rewritten_by_virtuoso(quad: Quad) -> bool:
    obj = quad.object
    return (
        isinstance(obj, Literal)
        and obj.datatype.value in VIRTUOSO_REWRITTEN
        and isinstance(quad.subject, NamedNode)
        and bool(_DURATION.fullmatch(obj.value))
    )


def virtuoso_script(quads: Sequence[Quad], folder: Path, name: str = "release") -> str:
    """Write the quads for Virtuoso's bulk loader into ``folder`` and give the isql script that loads them.

    ``folder`` must be readable by the server and listed in its ``DirsAllowed``. Each of
    the release's graphs is cleared first; literals Virtuoso would rewrite are inserted
    with ``RDF_MAKE_OBJ_OF_TYPEDSQLVAL``, which keeps their lexical form; STRLANG is made
    to accept the language tags the release uses.
    """
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    bulk = [q for q in quads if not _rewritten_by_virtuoso(q)]
    kept = [q for q in quads if _rewritten_by_virtuoso(q)]
    filename = f"{name}.nq"
    (folder / filename).write_bytes(serialize(bulk, format=RdfFormat.N_QUADS) or b"")
    graphs = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, NamedNode)})
    lines = [VIRTUOSO_STRLANG.strip(), "log_enable(3, 1);"]
    lines += [f"SPARQL CLEAR GRAPH <{graph}>;" for graph in graphs]
    lines += [
        f"DELETE FROM DB.DBA.load_list WHERE ll_file = {_sql_string(str(folder / filename))};",
        f"ld_dir({_sql_string(str(folder))}, {_sql_string(filename)}, 'urn:kg:default-graph-unused');",
        "rdf_loader_run();",
    ]
    for quad in kept:
        assert isinstance(quad.object, Literal) and isinstance(quad.graph_name, NamedNode) and isinstance(quad.subject, NamedNode)
        lines.append(
            "INSERT SOFT DB.DBA.RDF_QUAD (G, S, P, O) VALUES ("
            f"iri_to_id({_sql_string(quad.graph_name.value)}), iri_to_id({_sql_string(quad.subject.value)}), "
            f"iri_to_id({_sql_string(quad.predicate.value)}), DB.DBA.RDF_MAKE_OBJ_OF_TYPEDSQLVAL("
            f"{_sql_string(quad.object.value)}, iri_to_id({_sql_string(quad.object.datatype.value)}), NULL));"
        )
    lines += [
        "checkpoint;",
        (
            f"SELECT 'KG-LOAD-ERROR', ll_error FROM DB.DBA.load_list WHERE ll_file = {_sql_string(str(folder / filename))} "
            "AND (ll_error IS NOT NULL OR ll_state <> 2);"
        ),
    ]
    return "\n".join(lines) + "\n"


def run_isql(isql: Sequence[str], script: str, timeout: float = 300.0) -> str:
    """Run an isql script (``isql`` is the command: program, host:port, user, password); its output.

    isql goes on after a failed statement, so its output is read for errors.
    """
    try:
        done = subprocess.run([*isql], input=script, capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise LoadError(f"cannot run {isql[0]}: install Virtuoso's isql (Debian: virtuoso-opensource)") from exc
    except subprocess.TimeoutExpired as exc:
        raise LoadError(f"{isql[0]} did not finish within {timeout:g} s") from exc
    output = done.stdout + done.stderr
    errors = [
        line for line in output.splitlines() if "*** Error" in line or ("KG-LOAD-ERROR" in line and "'KG-LOAD-ERROR'" not in line)
    ]
    if done.returncode != 0 or errors:
        raise LoadError(f"{isql[0]} failed (exit {done.returncode}): " + ("\n".join(errors) or output.strip()[-2000:]))
    return output


def load_virtuoso(
    quads: Sequence[Quad], isql: Sequence[str], folder: Path, progress: Progress | None = None
) -> list[LoadedGraph]:
    """Load the quads into Virtuoso with its bulk loader, through ``isql``."""
    script = virtuoso_script(quads, folder)
    run_isql(isql, script)
    loaded = [LoadedGraph(graph, len(set(triples))) for graph, triples in by_graph(quads).items()]
    if progress:
        for item in loaded:
            progress(f"  loaded {item.triples:6} triples  {item.graph}")
    return loaded


# --- checking what the store holds -------------------------------------------------------------


def store_counts(endpoint: str, graphs: Sequence[str], timeout: float = 60.0) -> dict[str, int]:
    """How many distinct triples the store at ``endpoint`` holds in each of ``graphs``."""
    backend = RemoteBackend(endpoint, timeout=timeout, graphs=graphs)
    result = backend.query("SELECT ?g (COUNT(*) AS ?n) { SELECT DISTINCT ?g ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g")
    assert isinstance(result, QuerySolutions)
    counts = {graph: 0 for graph in graphs}
    for row in result:
        graph, number = row["g"], row["n"]
        if isinstance(graph, NamedNode) and isinstance(number, Literal):
            counts[graph.value] = int(number.value)
    return counts


def verify(endpoint: str, loaded: Sequence[LoadedGraph], timeout: float = 60.0) -> None:
    """Raise LoadError unless the store holds, in each graph, as many triples as the release."""
    counts = store_counts(endpoint, [item.graph for item in loaded], timeout)
    wrong = [f"{item.graph}: {counts.get(item.graph, 0)} in the store, {item.triples} in the release"
             for item in loaded if counts.get(item.graph, 0) != item.triples]
    if wrong:
        raise LoadError("the store does not hold the release after loading:\n  " + "\n  ".join(wrong))


def wait_for(endpoint: str, seconds: float = 30.0) -> None:
    """Wait until the store at ``endpoint`` answers a query (raise BackendUnavailable after ``seconds``)."""
    backend = RemoteBackend(endpoint, timeout=min(5.0, seconds))
    deadline = time.monotonic() + seconds
    while True:
        try:
            backend.query("ASK {}")
            return
        except BackendUnavailable:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
