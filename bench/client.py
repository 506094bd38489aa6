"""The load client: the same requests, the same way, against every server.

``wrk`` (Debian's package) when it is installed, driven by a Lua script that cycles
through the request list and reports p50/p95/p99; otherwise a bounded asyncio client
on httpx (one task per connection, each sending the next request when the last one
is answered). Which one ran is recorded with the results.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx


@dataclass(frozen=True)
class Request:
    path: str
    method: str = "GET"
    body: str | None = None


@dataclass
class Load:
    """What a run of requests gave."""

    requests: int
    seconds: float
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def uses_wrk(seconds: float) -> bool:
    """wrk runs for whole seconds; shorter runs (the harness's smoke test) use the asyncio client."""
    return shutil.which("wrk") is not None and seconds >= 1


def client_name(seconds: float) -> str:
    return "wrk" if uses_wrk(seconds) else "httpx (asyncio)"


def _lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


LUA = """
local requests = {{ {requests} }}
local headers = {{ {headers} }}
local i = 0
request = function()
  i = i + 1
  local r = requests[(i % #requests) + 1]
  return wrk.format(r[1], r[2], headers, r[3])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {{"requests": %d, "duration_us": %d, "errors": %d, "bad_status": %d, ' ..
    '"p50": %d, "p95": %d, "p99": %d}}\\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def run_wrk(base: str, requests: list[Request], headers: dict[str, str], connections: int, seconds: float) -> Load:
    items = ", ".join(
        "{" + ", ".join([_lua_string(r.method), _lua_string(r.path), _lua_string(r.body) if r.body is not None else "nil"]) + "}"
        for r in requests
    )
    head = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(requests=items, headers=head))
    try:
        threads = min(2, connections)
        done = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "30s", "-s", script.name, base],
            capture_output=True, text=True, timeout=seconds + 60, check=False,
        )
    finally:
        Path(script.name).unlink()
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")
    raw = json.loads(line[len("RESULT "):])
    return Load(
        requests=raw["requests"], seconds=raw["duration_us"] / 1e6, errors=raw["errors"] + raw["bad_status"],
        p50_ms=raw["p50"] / 1000, p95_ms=raw["p95"] / 1000, p99_ms=raw["p99"] / 1000,
    )


async def _run_httpx(base: str, requests: list[Request], headers: dict[str, str], connections: int, seconds: float) -> Load:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30.0, trust_env=False) as client:
        deadline = time.perf_counter() + seconds
        counter = iter(range(10**12))

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                r = requests[next(counter) % len(requests)]
                started = time.perf_counter()
                try:
                    response = await client.request(r.method, r.path, content=r.body)
                    await response.aread()
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if response.status_code >= 400:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0] if latencies else 0.0] * 99
    return Load(len(latencies), elapsed, errors, cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000, statuses)


def run(base: str, requests: list[Request], headers: dict[str, str], connections: int, seconds: float) -> Load:
    """``connections`` clients sending ``requests`` in turn for ``seconds``."""
    if uses_wrk(seconds):
        return run_wrk(base, requests, headers, connections, seconds)
    return asyncio.run(_run_httpx(base, requests, headers, connections, seconds))


def probe(base: str, request: Request, headers: dict[str, str]) -> tuple[int, int]:
    """One request: its status and body size (to check a route exists and answers sensibly)."""
    with httpx.Client(base_url=base, headers=headers, timeout=120.0, trust_env=False) as client:
        response = client.request(request.method, request.path, content=request.body)
        return response.status_code, len(response.content)
