"""Benchmark confgraph side by side with bare pyoxigraph, rdflib-endpoint and Virtuoso 7.

Usage: .venv/bin/python bench/compare.py [--sizes 10k,100k,1M] [--runs 20] [--budget 30]

For each size: generate a corpus (`confgraph generate`), time `confgraph build` (from
scratch, with nothing changed, after one programme changed; wall and peak memory with
children), then start each contender on the same data and time the six researcher
queries cold (a query text new to the release) and warm (the same text repeated).
Fails (exit 1) when the contenders' answers differ. Writes bench/results/compare.md,
compare.png and compare.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import builds
import report
from queries import Query, researcher_queries
from remote import ConfgraphRemote
from servers import BareOxigraph, BenchError, Confgraph, Contender, RdflibEndpoint, Virtuoso

RESULTS = Path(__file__).resolve().parent / "results"
CONTENDERS = (
    "confgraph", "confgraph+oxigraph-server", "confgraph+virtuoso",
    "pyoxigraph", "rdflib-endpoint", "virtuoso",
)  # fmt: skip


def parse_size(text: str) -> int:
    """Return '10k' -> 10000, '1M' -> 1000000, '2500' -> 2500."""
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1].lower(), 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def series(contender: Contender, query: Query, texts: list[str], budget: float) -> list[float]:
    """Time the texts in turn, stopping early once the series has used up BUDGET seconds."""
    times: list[float] = []
    for text in texts:
        seconds, _, _ = contender.run(query, text)
        times.append(seconds)
        if sum(times) >= budget:
            break
    return times


def measure_queries(
    contender: Contender, queries: tuple[Query, ...], runs: int, budget: float
) -> dict[str, dict]:
    """Time every query cold then warm; keep each query's answer for the cross-check."""
    found: dict[str, dict] = {}
    for query in queries:  # the first run of each query is the first query of the release
        seconds, answer, _ = contender.run(query, query.variant(0))
        found[query.name] = {"first": seconds, "answer": answer}
    for query in queries:
        cold = [found[query.name]["first"]]
        cold += series(contender, query, [query.variant(i) for i in range(1, runs)], budget)
        _, answer, _ = contender.run(query, query.text)  # warm-up of the exact text
        warm = series(contender, query, [query.text] * runs, budget)
        if answer != found[query.name]["answer"]:
            raise BenchError(f"{contender.name}: {query.name} answers differently when repeated")
        found[query.name].update(cold=cold, warm=warm, answer=str(answer))
    return found


def measure_pages(server: Confgraph, pages: dict[str, str], runs: int) -> dict[str, dict]:
    """Time each page's first request after start, then warm requests."""
    result = {}
    for name, path in pages.items():
        first = server.time_page(path)
        warm = [server.time_page(path) for _ in range(runs)]
        result[name] = {"first": first, "warm": warm}
    return result


def run_contender(contender: Contender, context: dict, args: argparse.Namespace) -> dict:
    """Start one contender, measure it and stop it."""
    print(f"  {contender.name}: starting", file=sys.stderr, flush=True)
    try:
        measured: dict = {"startup": contender.start()}
        if isinstance(contender, Confgraph):
            measured["pages"] = measure_pages(contender, context["pages"], args.runs)
        measured["queries"] = measure_queries(contender, context["queries"], args.runs, args.budget)
        measured["memory"] = contender.peak_memory()
    finally:
        contender.stop()
    if isinstance(contender, Virtuoso):
        measured["load"] = contender.load_seconds
    if isinstance(contender, ConfgraphRemote):
        measured["publish"] = contender.publish_seconds
    print(f"  {contender.name}: started in {measured['startup']:.2f} s", file=sys.stderr)
    return measured


def make_contenders(names: list[str], work: Path, release: Path, nt: Path, port: int) -> list:
    """Return the contenders to run, in order, each on its own loopback port."""
    made = {
        "confgraph": lambda: Confgraph(release, port, work / "confgraph-serve.log"),
        "pyoxigraph": lambda: BareOxigraph(nt),
        "rdflib-endpoint": lambda: RdflibEndpoint(nt, port + 1, work / "rdflib-endpoint.log"),
        "virtuoso": lambda: Virtuoso(nt, work / "virtuoso", port + 3, port + 2),
        "confgraph+oxigraph-server": lambda: ConfgraphRemote("oxigraph-server", release, port + 4,
                                                             work),
        "confgraph+virtuoso": lambda: ConfgraphRemote("virtuoso", release, port + 5, work),
    }
    return [made[name]() for name in names]


def run_size(size: int, work: Path, args: argparse.Namespace) -> dict:
    """Generate, build and measure one corpus size."""
    meetings = builds.meetings_for(size)
    print(f"size {size:,}: {meetings} meetings in {work}", file=sys.stderr, flush=True)
    data, out = work / "data", work / "build"
    builds.generate(data, meetings, args.seed)
    build_runs = builds.three_builds(data, out, work)
    release = (out / "current").resolve()
    nt = work / "dump" / "data.nt"
    nt.parent.mkdir()
    triples = builds.release_ntriples(release, nt)
    base = builds.base_of(release)
    person = f"{base}/id/person/{builds.well_known_person(data)}"
    pages = {"home page": "/", "meeting page": f"/id/meeting/{builds.first_meeting(data)}.html"}
    context = {"queries": researcher_queries(person), "pages": pages}
    result = {"size": size, "meetings": meetings, "triples": triples,
              "builds": {k: vars(v) for k, v in build_runs.items()}, "contenders": {}}  # fmt: skip
    for contender in make_contenders(args.contenders, work, release, nt, args.port):
        if isinstance(contender, Virtuoso):
            print("  virtuoso: bulk-loading", file=sys.stderr, flush=True)
            contender.prepare()
        if isinstance(contender, ConfgraphRemote):
            print(f"  {contender.name}: starting the engine, publishing", file=sys.stderr)
            try:
                contender.prepare()
            except BaseException:
                contender.stop()
                raise
        result["contenders"][contender.name] = run_contender(contender, context, args)
    result["mismatches"] = mismatches(result["contenders"])
    return result


def mismatches(contenders: dict[str, dict]) -> list[str]:
    """Return one line per query whose answer is not the same on every contender."""
    lines = []
    names = next(iter(contenders.values()), {}).get("queries", {})
    for query in names:
        answers = {name: c["queries"][query]["answer"] for name, c in contenders.items()}
        if len(set(answers.values())) > 1:
            shown = "; ".join(f"{name}: {answer}" for name, answer in answers.items())
            lines.append(f"{query}: {shown}")
    return lines


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k", help="comma-separated triples: 10k,100k,1M")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query and mode")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per series at most")
    parser.add_argument("--contenders", default=",".join(CONTENDERS))
    parser.add_argument("--port", type=int, default=18100, help="first of six loopback ports")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None, help="kept; default a temp dir")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    unknown = set(args.contenders) - set(CONTENDERS)
    if unknown or "confgraph" not in args.contenders:
        parser.error(f"--contenders must include confgraph and name only {', '.join(CONTENDERS)}")
    args.sizes = [parse_size(s) for s in args.sizes.split(",")]
    return args


def main() -> int:
    """Run every size, write the report, and fail when answers differ."""
    args = parse_args()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="confgraph-bench-"))
    results = []
    try:
        for size in args.sizes:
            work = root / f"size-{size}"
            if work.exists():
                shutil.rmtree(work)
            work.mkdir(parents=True)
            results.append(run_size(size, work, args))
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "compare.json").write_text(json.dumps(results, indent=1, default=str))
    (args.out / "compare.md").write_text(report.markdown(results), encoding="utf-8")
    report.plot(results, args.out / "compare.png")
    print(f"wrote {args.out / 'compare.md'} and compare.png", file=sys.stderr)
    return fail_on_mismatch(results)


def fail_on_mismatch(results: list[dict]) -> int:
    """Print every query whose answers differ between contenders; return the exit code."""
    lines = [f"{r['size']:,} triples, {line}" for r in results for line in r["mismatches"]]
    if not lines:
        return 0
    print("FAILED: the contenders do not give the same answers:", file=sys.stderr)
    for line in lines:
        print(f"  {line}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        sys.exit(1)
