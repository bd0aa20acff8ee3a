"""``make bench``: one table of pledgekg's costs, each row a ratio against a baseline measured
in the same run (bare spaCy, Oxigraph's own loader, server and dump), with medians over
repeats. ``--large`` adds the 100x growth point; ``--quick`` is a small smoke run.

Run as ``python -m bench.run [--large] [--quick]``; see ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.claims import measure_claims
from bench.corpus import write_corpus
from bench.export import measure_export
from bench.growth import measure_growth
from bench.ingest import load_extractions, measure_ingest
from bench.loading import measure_loading
from bench.measure import Row, format_table
from bench.serving import load_queries, measure_serving
from kg.config import Settings

OUT_DIR = Path(__file__).resolve().parent / "out"
BLOCKS = 20  # row 1's paired blocks; the first tenth of the corpus is the 1x growth corpus


@dataclass(frozen=True)
class Config:
    """How big and how often; ``--quick`` and ``--large`` pick other defaults."""

    articles: int
    repeats: int
    runs2: int
    rounds: int
    clients: int
    query_runs: int
    deadline: float
    large: bool
    seed: int

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Config:
        quick = bool(args.quick)
        return cls(
            articles=args.articles or (300 if quick else 2000),
            repeats=args.repeats or (1 if quick else 3),
            runs2=args.runs2 or (1 if quick or not args.large else 3),
            rounds=1 if quick else 2,
            clients=16,
            query_runs=1 if quick else 3,
            deadline=20.0,
            large=bool(args.large),
            seed=args.seed,
        )


def machine() -> str:
    """Cores, processor model and memory of this machine, in one line."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as handle:
            total_kb = int(handle.readline().split()[1])
        memory = f"{total_kb / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        memory = "RAM unknown"
    return f"{os.cpu_count()} cores ({model}), {memory}, Python {platform.python_version()}"


def load_average() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def binary(name: str) -> str:
    """A console script of this environment (``kg``, ``oxigraph``), else from PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"bench: `{name}` is not installed; run `make install`")
    return found


def section(name: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {name}", file=sys.stderr, flush=True)


def run(config: Config, work: Path) -> tuple[list[Row], list[str]]:
    """Every section in order; the rows, and the lines to print under the table."""
    settings = Settings(store="unused")
    kg, oxigraph = binary("kg"), binary("oxigraph")
    notes: list[str] = []
    rows: list[Row] = []

    section(f"corpus: {config.articles} articles (seed {config.seed})")
    corpus = work / "corpus"
    write_corpus(corpus, config.articles, config.seed)

    section("1 ingest vs bare nlp.pipe")
    load_before = load_average()
    ingest = measure_ingest(
        corpus,
        work,
        model=settings.model,
        batch_size=settings.batch_size,
        blocks=BLOCKS,
        runs2=config.runs2,
    )
    ingest.load_before = load_before
    rows += ingest.rows()
    notes.append(ingest.describe())
    errors = ingest.ours1.counts().get("errors", 0)
    if errors:
        notes.append(f"{errors} of {ingest.articles} articles failed to ingest")
    extractions = load_extractions(ingest.extractions)

    section("1 claim layer")
    claims = measure_claims(corpus, ingest.store, ingest.ours1.seconds, work, config.repeats)
    rows += claims.rows()
    notes.append(claims.describe())

    section("2 write path vs oxigraph load")
    loading = measure_loading(oxigraph, ingest.store, extractions, work, config.repeats)
    rows += loading.rows()
    notes.append(loading.describe())

    section("5 export vs oxigraph dump")
    export = measure_export(kg, oxigraph, ingest.store, work, config.repeats)
    rows += export.rows()
    notes.append(export.describe())

    section("6 growth")
    queries = load_queries()
    growth = measure_growth(
        ingest,
        extractions,
        work,
        queries,
        large=config.large,
        runs=config.query_runs,
        deadline=config.deadline,
    )
    rows += growth.rows()
    notes.append(growth.describe())

    section("3-4 /sparql vs oxigraph serve, REST")
    # The 10x growth store holds the same quads as the one served: its in-process timings
    # tell which queries are too slow at this size to be sent over and over.
    try:
        serving = measure_serving(
            kg,
            oxigraph,
            ingest.store,
            loading.oxigraph_store,
            work,
            growth.points[1].queries,
            repeats=config.repeats,
            rounds=config.rounds,
            clients=config.clients,
        )
        rows += serving.rows()
        notes.append(serving.describe())
        notes += [f"result rows differ: {m}" for m in serving.mismatches]
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[0]
        notes.append(f"rows 3-4 not measured: {first}")
    rows.sort(key=lambda r: r.section)
    return rows, notes


def run_export(config: Config, work: Path) -> tuple[list[Row], list[str]]:
    """Row 5 alone, on a store of the corpus written by ``kg ingest`` (the one a kept work
    folder already holds, when there is one)."""
    kg, oxigraph = binary("kg"), binary("oxigraph")
    store = work / f"store-export-{config.articles}-{config.seed}"
    if not (store / "CURRENT").is_file():
        section(f"corpus: {config.articles} articles (seed {config.seed})")
        corpus = work / "corpus"
        write_corpus(corpus, config.articles, config.seed)
        section("kg ingest")
        subprocess.run([kg, "ingest", str(corpus), "--store", str(store), "--quiet"], check=True)
    section("5 export vs oxigraph dump")
    export = measure_export(kg, oxigraph, store, work, config.repeats)
    return export.rows(), [export.describe()]


def report(rows: Sequence[Row], notes: Sequence[str], config: Config, started: float) -> str:
    """The table with the lines that say what it was measured on."""
    minutes = (time.perf_counter() - started) / 60
    lines = [
        f"Machine: {machine()}; load average (1, 5, 15 min) at the end {load_average()}",
        f"Run: {config.articles} articles, {config.repeats} repeats, "
        f"{'with' if config.large else 'without'} the 100x point, {minutes:.1f} min",
        "",
        format_table(rows),
        "",
        "Ratio: ours relative to the baseline, higher is better (throughput: ours ÷ baseline; "
        "latency, time, memory: baseline ÷ ours; growth: cost per unit at the smaller scale ÷ "
        "at the larger, 1.0 = linear).",
    ]
    lines += [f"- {n}" for n in notes]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--large", action="store_true", help="Add the 100x growth point.")
    parser.add_argument("--quick", action="store_true", help="A small smoke run (300 articles).")
    parser.add_argument("--articles", type=int, help="Corpus size. Default: 2000 (quick: 300).")
    parser.add_argument("--repeats", type=int, help="Repeats per measure. Default: 3 (quick: 1).")
    parser.add_argument(
        "--runs2", type=int, help="Whole-corpus runs with 2 workers. Default: 1 (large: 3)."
    )
    parser.add_argument("--seed", type=int, default=0, help="Corpus seed. Default: 0.")
    parser.add_argument(
        "--only",
        choices=("export",),
        help="Only this row: `export` (row 5) on a store written by `kg ingest`, which a "
        "--workdir keeps for the next run. Default: every row.",
    )
    parser.add_argument(
        "--workdir", type=Path, help="Keep stores and corpus here. Default: a temporary folder."
    )
    parser.add_argument(
        "--out", type=Path, default=OUT_DIR, help="Where results.md/.json go. Default: bench/out."
    )
    args = parser.parse_args(argv)
    config = Config.from_args(args)
    started = time.perf_counter()
    sections = run_export if args.only == "export" else run
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        rows, notes = sections(config, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="pledgekg-bench-") as work:
            rows, notes = sections(config, Path(work))
    text = report(rows, notes, config, started)
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.md").write_text(text + "\n", "utf-8")
    data = {"config": asdict(config), "machine": machine(), "rows": [asdict(r) for r in rows]}
    (args.out / "results.json").write_text(json.dumps(data, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
