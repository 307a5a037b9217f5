"""The benchmark's table, and its section of docs/BENCHMARKS.md (one section per scale, the others kept)."""

import os
import re
import subprocess
from datetime import date

from .scenarios import Row


def install_rows(bench):
    """The install of each addon on the generated data, as timed when the suite's database was built."""
    return [
        Row(
            f"Install {addon} on existing data",
            f"{bench.order_lines:,} order lines",
            seconds,
            None,
            "values right at once",
            note="one `odoo-bin -i` (includes Odoo's start, about 3 s)",
        )
        for addon, seconds in bench.installs.items()
    ]


def _seconds(value):
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(rows):
    lines = [
        "| Operation | Size | Stock Odoo | Suite | Bare SQL | Ratio | Queries (stock → suite) | Goal | Met | Notes |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        queries = (
            "—"
            if row.suite_queries is None
            else (
                f"{row.stock_queries:,} → {row.suite_queries:,}"
                if row.stock_queries is not None
                else f"{row.suite_queries:,}"
            )
        )
        ratio = f"{row.ratio:.2f}" if row.ratio else "—"
        met = {True: "yes", False: "**no**", None: "—"}[row.met]
        lines.append(
            f"| {row.operation} | {row.size} | {_seconds(row.stock_seconds)} | "
            f"{_seconds(row.suite_seconds)} | {_seconds(row.bare_seconds)} | {ratio} | {queries} | {row.goal} | "
            f"{met} | {row.note} |"
        )
    return "\n".join(lines)


def _machine():
    with open("/proc/meminfo") as meminfo:
        kib = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read()).group(1))
    return f"{os.cpu_count()} cores, {kib / 2**20:.0f} GiB"


def _commit():
    git = ["git", "-C", os.path.dirname(os.path.dirname(__file__))]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "addons", "bench"], capture_output=True, text=True).stdout
    return commit + (" with uncommitted changes" if dirty.strip() else "")


def write(path, bench, body, host):
    """Replace the scale's section of ``path`` with this run."""
    summary = ", ".join(
        f"{key} {value:,}" if isinstance(value, int) else f"{key} {value}" for key, value in bench.summary.items()
    )
    section = (
        f"## Scale: {bench.scale_name}\n\n"
        f"Run on {date.today()} on {host} ({_machine()}), commit {_commit()}; medians of {bench.repeat} runs "
        f"(confirmations: {bench.repeat * 5}).\n\nData: {summary}.\n\n{body}\n"
    )
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(rf"## Scale: {bench.scale_name}\n.*?(?=\n## Scale: |\Z)", re.S)
    text = pattern.sub(section.rstrip("\n"), text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    path.write_text(text.lstrip("\n"))
