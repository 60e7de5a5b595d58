"""Turn the benchmark's measurements into a Markdown report (with the targets) and a plot."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

MIB = 1024 * 1024
REMOTE = ("confgraph+oxigraph-server", "confgraph+virtuoso")
ORDER = ("confgraph", *REMOTE, "pyoxigraph", "rdflib-endpoint", "virtuoso")


def median(times: list[float]) -> float:
    """Return the median of a series."""
    return statistics.median(times)


def p95(times: list[float]) -> float:
    """Return the 95th percentile (nearest rank) of a series."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def geomean(values: list[float]) -> float:
    """Return the geometric mean of positive values."""
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def ms(seconds: float | None) -> str:
    """Return seconds as milliseconds for a table cell."""
    if seconds is None:
        return "-"
    if seconds < 0.001:
        return f"{seconds * 1000:.2f}"
    return f"{seconds * 1000:.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"


def spread(times: list[float] | None) -> str:
    """Return 'median / p95' in milliseconds."""
    return f"{ms(median(times))} / {ms(p95(times))}" if times else "-"


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Return a Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def markdown(results: list[dict]) -> str:
    """Return the whole report."""
    lines = ["# confgraph benchmark", "",
             "Cold: a query text new to the release (the first run is the first query after "
             "start); warm: the same text repeated. Times in ms, median / p95.", ""]  # fmt: skip
    for result in results:
        lines += size_section(result)
    return "\n".join(lines) + "\n"


def size_section(result: dict) -> list[str]:
    """Return the report of one corpus size."""
    contenders = result["contenders"]
    lines = [f"## {result['triples']:,} triples ({result['meetings']} meetings)", ""]
    if result["mismatches"]:
        lines += ["**FAILED: the contenders' answers differ:**", ""]
        lines += [f"- {line}" for line in result["mismatches"]] + [""]
    lines += ["### Build (`confgraph build`)", "", *build_table(result["builds"]), ""]
    lines += ["### Serving", "", *serving_table(contenders), ""]
    for name in (n for n in ("confgraph", *REMOTE) if "pages" in contenders.get(n, {})):
        lines += [f"### Pages ({name})", "", *pages_table(contenders[name]["pages"]), ""]
    lines += ["### Queries (ms, median / p95)", "", *query_table(contenders), ""]
    lines += ["### Ratios (medians)", "", *ratio_table(contenders), ""]
    lines += ["### Targets (issues 6 and 8; they are set at 1M triples)", ""]
    lines += [f"- {line}" for line in targets(result)] + [""]
    return lines


def build_table(runs: dict[str, dict]) -> list[str]:
    """Return the build runs with their phases."""
    rows = []
    for name, run in runs.items():
        phases = ", ".join(f"{k} {v:.1f}" for k, v in run["phases"].items())
        rows.append([name, f"{run['seconds']:.1f}", f"{run['peak'] / MIB:,.0f}", phases])
    return table(["build", "wall s", "peak MiB (with children)", "phases s"], rows)


def serving_table(contenders: dict[str, dict]) -> list[str]:
    """Return start-up time and peak memory per contender."""
    rows = []
    for name in present(contenders):
        found = contenders[name]
        memory = f"{found['memory'] / MIB:,.0f}" if found.get("memory") else "(in this process)"
        load = f"{found['load']:.1f}" if "load" in found else ""
        publish = f"{found['publish']:.1f}" if "publish" in found else ""
        rows.append([name, f"{found['startup']:.2f}", memory, load, publish])
    header = ["contender", "start-up to first answer s", "peak memory MiB (with children)"]
    return table([*header, "bulk load s", "`confgraph publish` s"], rows)


def pages_table(pages: dict[str, dict]) -> list[str]:
    """Return first and warm latency of each page."""
    rows = [[name, ms(p["first"]), spread(p["warm"])] for name, p in pages.items()]
    return table(["page", "first ms", "warm ms"], rows)


def present(contenders: dict[str, dict]) -> list[str]:
    """Return the contenders measured, in the report's order."""
    return [name for name in ORDER if name in contenders]


def query_table(contenders: dict[str, dict]) -> list[str]:
    """Return cold and warm latency per query and contender."""
    names = present(contenders)
    header = ["query", "answer"] + [f"{n} {mode}" for n in names for mode in ("cold", "warm")]
    rows = []
    for query, found in contenders["confgraph"]["queries"].items():
        row = [query, found["answer"]]
        for name in names:
            row += [spread(contenders[name]["queries"][query][m]) for m in ("cold", "warm")]
        rows.append(row)
    return table(header, rows)


def ratios(contenders: dict[str, dict], other: str, mode: str) -> dict[str, float]:
    """Return confgraph's median over OTHER's median, per query, in one mode."""
    if other not in contenders:
        return {}
    ours = contenders["confgraph"]["queries"]
    theirs = contenders[other]["queries"]
    return {q: median(ours[q][mode]) / median(theirs[q][mode]) for q in ours}


def ratio_table(contenders: dict[str, dict]) -> list[str]:
    """Return confgraph against each other contender, per query and by geometric mean."""
    columns = {
        "confgraph / pyoxigraph warm": ratios(contenders, "pyoxigraph", "warm"),
        "speedup over rdflib-endpoint cold": invert(ratios(contenders, "rdflib-endpoint", "cold")),
        "speedup over rdflib-endpoint warm": invert(ratios(contenders, "rdflib-endpoint", "warm")),
        "confgraph / virtuoso cold": ratios(contenders, "virtuoso", "cold"),
        "confgraph / virtuoso warm": ratios(contenders, "virtuoso", "warm"),
    }
    columns = {k: v for k, v in columns.items() if v}
    queries = list(contenders["confgraph"]["queries"])
    rows = [[q] + [f"{c[q]:.2f}x" for c in columns.values()] for q in queries]
    rows.append(
        ["**geometric mean**"] + [f"{geomean(list(c.values())):.2f}x" for c in columns.values()]
    )
    return table(["query", *columns], rows)


def invert(values: dict[str, float]) -> dict[str, float]:
    """Return 1/x for each ratio."""
    return {k: 1 / v for k, v in values.items()}


def targets(result: dict) -> list[str]:
    """Return each target of the issues with the measured value and whether it is met."""
    found: list[tuple[bool, str]] = []
    found += build_targets(result)
    found += serving_targets(result["contenders"])
    found += query_targets(result["contenders"])
    return [f"{'met' if ok else 'MISSED'}: {text}" for ok, text in found]


def build_targets(result: dict) -> list[tuple[bool, str]]:
    """Return the build targets of issue 8."""
    runs = result["builds"]
    full = runs["from scratch"]
    limit, scale = (8, "100k") if result["triples"] < 300_000 else (60, "1M")
    return [
        (full["seconds"] < limit,
         f"full build under {limit} s (the {scale} target): {full['seconds']:.1f} s"),
        (full["peak"] < 2048 * MIB, f"build peak under 2 GiB: {full['peak'] / MIB:,.0f} MiB"),
        (runs["nothing changed"]["seconds"] < 10,
         f"rebuild with nothing changed under 10 s: {runs['nothing changed']['seconds']:.1f} s"),
        (runs["one programme changed"]["seconds"] < 15,
         f"rebuild after one programme changed under 15 s: "
         f"{runs['one programme changed']['seconds']:.1f} s"),
    ]  # fmt: skip


def serving_targets(contenders: dict[str, dict]) -> list[tuple[bool, str]]:
    """Return the start-up, memory and page targets of issue 6."""
    ours = contenders["confgraph"]
    found = [
        (ours["startup"] < 3, f"first answer within 3 s of start: {ours['startup']:.2f} s"),
        (ours["memory"] < 1536 * MIB,
         f"server with workers under 1.5 GiB: {ours['memory'] / MIB:,.0f} MiB"),
    ]  # fmt: skip
    for name, page in ours.get("pages", {}).items():
        first, warm = page["first"], median(page["warm"])
        found.append((first < 1, f"{name} first request under 1 s: {ms(first)} ms"))
        found.append((warm < 0.1, f"{name} warm under 100 ms: {ms(warm)} ms"))
    return found


def query_targets(contenders: dict[str, dict]) -> list[tuple[bool, str]]:
    """Return the query targets of issue 6 against the contenders that were measured."""
    found = []
    ours = contenders["confgraph"]["queries"]
    if "pyoxigraph" in contenders:
        bare = contenders["pyoxigraph"]["queries"]
        slow = [q for q in ours if median(ours[q]["warm"]) > 1.5 * median(bare[q]["warm"]) + 0.005]
        found.append((not slow, "every query within 1.5x bare pyoxigraph + 5 ms (warm)"
                      + (f"; not: {', '.join(slow)}" if slow else "")))  # fmt: skip
    speedup = invert(ratios(contenders, "rdflib-endpoint", "warm"))
    if speedup:
        mean = geomean(list(speedup.values()))
        slower = [q for q, s in speedup.items() if s < 1]
        found.append((mean >= 10, f"at least 10x faster than rdflib-endpoint: {mean:.1f}x"))
        found.append((not slower, "never slower than rdflib-endpoint"
                      + (f"; slower on: {', '.join(slower)}" if slower else "")))  # fmt: skip
    found += virtuoso_targets(contenders)
    return found


def virtuoso_targets(contenders: dict[str, dict]) -> list[tuple[bool, str]]:
    """Return the targets against Virtuoso: cold geometric mean, warm on every query."""
    cold, warm = ratios(contenders, "virtuoso", "cold"), ratios(contenders, "virtuoso", "warm")
    if not cold:
        return []
    slower = [q for q, r in warm.items() if r >= 1]
    mean = geomean(list(cold.values()))
    return [
        (mean <= 1, f"cold geometric mean no slower than Virtuoso: {mean:.2f}x Virtuoso's"),
        (not slower, "warm faster than Virtuoso on every query"
         + (f"; not on: {', '.join(slower)}" if slower else "")),
    ]  # fmt: skip


def plot(results: list[dict], path: Path) -> None:
    """Draw cold and warm medians per query and contender, one column per size (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(results), figsize=(7 * len(results), 8), squeeze=False)
    for column, result in enumerate(results):
        for row, mode in enumerate(("cold", "warm")):
            draw_bars(axes[row][column], result, mode)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def draw_bars(axis, result: dict, mode: str) -> None:
    """Draw one panel: grouped bars of median milliseconds."""
    contenders = result["contenders"]
    names = present(contenders)
    queries = list(contenders["confgraph"]["queries"])
    width = 0.8 / len(names)
    for offset, name in enumerate(names):
        values = [median(contenders[name]["queries"][q][mode]) * 1000 for q in queries]
        positions = [i + offset * width for i in range(len(queries))]
        axis.bar(positions, values, width, label=name)
    axis.set_yscale("log")
    axis.set_ylabel(f"{mode} median, ms (log)")
    axis.set_title(f"{result['triples']:,} triples, {mode}")
    axis.set_xticks([i + 0.4 - width / 2 for i in range(len(queries))])
    axis.set_xticklabels(queries, rotation=30, ha="right", fontsize=8)
    axis.legend(fontsize=8)
