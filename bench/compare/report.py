"""Writes bench/results.md, bench/results.csv and bench/results.png from bench/compare/run's runs."""

import csv
import re
import statistics
from pathlib import Path

TOOL_LABEL = {
    "kcat": "kcat -P",
    "perf-test": "kafka-producer-perf-test",
    "bare": "bare librdkafka loop",
    "bare-system": "bare loop, system's librdkafka",
    "kbatch-cli": "kbatch-cli send, row per message",
    "kbatch-cli-gen": "kbatch-cli send, generate row",
    "gui": "GUI path",
}
BROKER_LABEL = {"sandbox": "sandbox (separate process)", "kafka": "Kafka broker"}


def case_name(count, size):
    return f"{count // 1000:,}k × {size} B" if count < 1_000_000 else f"{count // 1_000_000}M × {size} B"


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_rate(x):
    return "–" if x is None else f"{x / 1000:,.0f} k"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.2f}×"


def verdict(ok):
    return "–" if ok is None else ("**met**" if ok else "**missed**")


def main_seconds(r):
    """The process's wall clock; for the GUI, opening the file in the window plus Send until every row shows its
    result (the window's own start-up and the benchmark's set-up are left out)."""
    if r["tool"] == "gui":
        if r["extra"].get("load_s") is None or not r["inner_s"]:
            return None
        return r["extra"]["load_s"] + r["inner_s"]
    return r["wall_s"]


class Stats:
    def __init__(self, runs):
        self.runs = runs

    def pick(self, broker, count, size, tool):
        return [r for r in self.runs if r["broker"] == broker and r["count"] == count and r["size"] == size
                and r["tool"] == tool]

    def wall_rates(self, *key):
        return [r["count"] / main_seconds(r) for r in self.pick(*key) if main_seconds(r)]

    def inner_rates(self, *key):
        return [r["count"] / r["inner_s"] for r in self.pick(*key) if r["inner_s"]]


PREVIOUS = "results-librdkafka-2.0.2.csv"


def previous_medians(path):
    """(broker, messages, value_bytes, tool) -> median wall msg/s of an earlier run's results.csv."""
    rows = {}
    if not path.exists():
        return rows
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["kind"] == "median" and r["wall_msg_per_s"]:
                rows[(r["broker"], int(r["messages"]), int(r["value_bytes"]), r["tool"])] = float(r["wall_msg_per_s"])
    return rows


def before_and_after(a, st, brokers, cases, tools, out):
    """The librdkafka change: the same loop on both libraries in this run, and each tool against the last run on
    the old library (bench/results-librdkafka-2.0.2.csv: librdkafka 2.0.2, Kafka 3.9.2)."""
    a("## Before and after the librdkafka change")
    a("")
    if "bare-system" in tools:
        a("In this run, the bare loop built twice, once on each library, alternating like every other tool:")
        a("")
        a("| broker | case | bare loop, system's librdkafka | bare loop, KBatch's librdkafka | ratio | CPU s, system's / KBatch's |")
        a("|---|---|---:|---:|---:|---:|")
        for b in brokers:
            for c, s in cases:
                old, new = med(st.wall_rates(b, c, s, "bare-system")), med(st.wall_rates(b, c, s, "bare"))
                if old is None or new is None:
                    continue
                co = med([r.get("cpu_s") for r in st.pick(b, c, s, "bare-system")])
                cn = med([r.get("cpu_s") for r in st.pick(b, c, s, "bare")])
                a(f"| {BROKER_LABEL[b]} | {case_name(c, s)} | {fmt_rate(old)} | {fmt_rate(new)} | {fmt_ratio(new / old)} | "
                  f"{'–' if co is None else f'{co:.2f}'} / {'–' if cn is None else f'{cn:.2f}'} |")
        a("")
    prev = previous_medians(Path(out) / PREVIOUS)
    if prev:
        a(f"Against the last run on the old library (`{PREVIOUS}`: librdkafka 2.0.2; its Kafka broker was 3.9.2, "
          "this one is the fixture's current Kafka; another day's load), median wall-clock msg/s:")
        a("")
        a("| broker | case | tool | before | now | ratio |")
        a("|---|---|---|---:|---:|---:|")
        for b in brokers:
            for c, s in cases:
                for t in tools:
                    old, new = prev.get((b, c, s, t)), med(st.wall_rates(b, c, s, t))
                    if old is None or new is None:
                        continue
                    a(f"| {BROKER_LABEL[b]} | {case_name(c, s)} | {TOOL_LABEL[t]} | {fmt_rate(old)} | {fmt_rate(new)} | "
                      f"{fmt_ratio(new / old)} |")
        a("")


def write_all(out, info, runs, extras, cases, tools):
    out = Path(out)
    st = Stats(runs)
    brokers = [b for b in ("sandbox", "kafka") if any(r["broker"] == b for r in runs)]

    # ---- CSV: one row per run, plus the summary rows
    with open(out / "results.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["kind", "broker", "case", "messages", "value_bytes", "tool", "round", "exit_status", "ok",
                    "wall_s", "wall_msg_per_s", "tool_s", "tool_msg_per_s", "peak_rss_kb", "end_offsets_grew",
                    "tool_delivered", "load_avg_1min", "cpu_s"])
        for r in runs:
            w.writerow(["run", r["broker"], case_name(r["count"], r["size"]), r["count"], r["size"], r["tool"],
                        r["round"], r["status"], int(r["ok"]), f"{r['wall_s']:.3f}",
                        "" if not main_seconds(r) else f"{r['count'] / main_seconds(r):.0f}",
                        "" if r["inner_s"] is None else f"{r['inner_s']:.3f}",
                        "" if not r["inner_s"] else f"{r['count'] / r['inner_s']:.0f}", r["rss_kb"] or "",
                        r["offsets_grew"], "" if r["delivered_tool"] is None else r["delivered_tool"], r["loadavg"],
                        "" if r.get("cpu_s") is None else f"{r['cpu_s']:.2f}"])
        for b in brokers:
            for count, size in cases:
                for t in tools:
                    rs = st.pick(b, count, size, t)
                    if not rs:
                        continue
                    wr = st.wall_rates(b, count, size, t)
                    ir = st.inner_rates(b, count, size, t)
                    w.writerow(["median", b, case_name(count, size), count, size, t, len(rs), "",
                                int(all(r["ok"] for r in rs)), f"{(med([main_seconds(r) for r in rs]) or 0):.3f}",
                                f"{med(wr):.0f}", "" if not ir else f"{med([r['inner_s'] for r in rs]):.3f}",
                                "" if not ir else f"{med(ir):.0f}", med([r["rss_kb"] for r in rs]) or "", "", "", ""])
        for k, v in extras.items():
            if k.startswith("formats: "):
                w.writerow(["extra", "", k[9:], 1000000, "", "bench_formats", "", "", "", f"{v:.3f}"])

    # ---- PNG: grouped bars, median wall-clock msg/s with min–max whiskers
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        groups = [(b, c, s) for b in brokers for c, s in cases]
        fig, ax = plt.subplots(figsize=(12, 5.5), dpi=110)
        width = 0.8 / len(tools)
        for i, t in enumerate(tools):
            xs, ys, lo, hi = [], [], [], []
            for g, (b, c, s) in enumerate(groups):
                rates = st.wall_rates(b, c, s, t)
                if not rates:
                    continue
                m = med(rates)
                xs.append(g - 0.4 + width * (i + 0.5))
                ys.append(m / 1000)
                lo.append((m - min(rates)) / 1000)
                hi.append((max(rates) - m) / 1000)
            ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=TOOL_LABEL[t])
        ax.set_xticks(range(len(groups)))
        ax.set_xticklabels([f"{BROKER_LABEL[b]}\n{case_name(c, s)}" for b, c, s in groups])
        ax.set_ylabel("thousand messages per second\n(process wall clock; GUI: open file + send until all shown)")
        ax.set_title(f"Producing with acks=all, idempotence, linger.ms=5, no compression: median of "
                     f"{info['rounds']} rounds, min–max whiskers ({info['nproc']} cores)")
        ax.legend(fontsize=8, ncol=3)
        ax.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        fig.savefig(out / "results.png")
    except ImportError:
        print("bench: matplotlib missing (apt install python3-matplotlib): no results.png")

    # ---- Markdown
    L = []
    a = L.append
    a("# Benchmark results (issue 5)")
    a("")
    a(f"Made by `bench/compare/run` ({info['rounds']} rounds, every tool once per round, the order rotating from round to round; "
      f"{info['duration_s'] / 60:.0f} min in all, the incremental Release build included). Raw runs: `results.csv`; chart: `results.png`.")
    a("")
    a("![messages per second per tool and case](results.png)")
    a("")
    a("## Machine and versions")
    a("")
    a("| | |")
    a("|---|---|")
    for k, label in [("nproc", "nproc"), ("cpu", "CPU"), ("ram", "RAM"), ("os", "OS"), ("kernel", "kernel"),
                     ("librdkafka", "librdkafka (KBatch and the bare loop)"),
                     ("librdkafka (system)", "librdkafka (the system's: kcat and the baseline loop)"), ("qt", "Qt"), ("kcat", "kcat"), ("kafka", "Apache Kafka (broker and perf-test)"),
                     ("java", "Java"), ("compiler", "compiler"), ("kbatch", "KBatch commit (plus the working tree)")]:
        a(f"| {label} | {info.get(k, '?')} |")
    loads = [r["loadavg"] for r in runs]
    a(f"| load average (1 min) | {info['load_before']} before; during the runs {min(map(float, loads)):.2f}–"
      f"{max(map(float, loads)):.2f}; {info['load_after']} after |")
    a("")
    a("The machine is shared: other engineers were compiling on the same 2 cores during the run, so absolute figures "
      "move with their load (see the load average per run in `results.csv`). The tools alternate within every round, "
      "so a burst of load hits each of them alike, and their order rotates, so that none always runs first or after "
      "the same tool; the ratios are the figures to trust.")
    a("")
    a("## Settings")
    a("")
    a("Identical for every tool: acks=all, enable.idempotence=true, linger.ms=5, batch.size=1000000, compression none; "
      "4 partitions; a fresh topic for every run (deleted after it); values of exactly 100 or 1,024 bytes (a 12-digit sequence "
      "number, then filler), no key. Every other setting is the tool's default. The sandbox runs as its own process "
      "(`kbatch-cli sandbox --brokers 1`); the Kafka broker is `tests/broker/kafka` (one KRaft node, Java 17, -Xmx512m).")
    a("")
    a("Each run counts only if the process exited 0, the tool's own count (where it reports one) equals the number "
      "sent, and the topic's end offsets (kcat -Q) grew by exactly that number: no read-back, since the sandbox keeps "
      "only ~5 MB per partition.")
    a("")
    a("- **msg/s (wall)**: messages ÷ wall-clock time of the whole process, start to exit (the only figure kcat gives; "
      "includes reading the input, connecting and the JVM start for perf-test).")
    a("- For the **GUI path** the first column is not the process but opening the template in the window (worker "
      "thread, until every row is in the model) plus Send until every row shows its result; the window's start-up is "
      "measured apart (cold start, below).")
    a("- **CPU s**: user + system time of the tool's process (median; `/usr/bin/time`), which other people's load "
      "moves much less than the wall clock; the broker's own CPU is not in it. For the GUI it includes the window, "
      "the benchmark's set-up and reading the file twice (once to count the rows).")
    a("- **msg/s (tool)**: the tool's own clock: bare loop from first produce to end of flush; kbatch-cli the job time "
      "it prints (after the template is loaded); perf-test its records/sec; GUI from Send pressed until every row "
      "shows its result (after the rows are loaded).")
    a("")
    a("## Throughput")
    a("")
    a("| broker | case | tool | msg/s (wall), median | min–max | msg/s (tool) | wall s, median | CPU s | peak RSS | runs ok |")
    a("|---|---|---|---:|---:|---:|---:|---:|---:|---|")
    for b in brokers:
        for c, s in cases:
            for t in tools:
                rs = st.pick(b, c, s, t)
                if not rs:
                    continue
                wr = st.wall_rates(b, c, s, t)
                ir = st.inner_rates(b, c, s, t)
                rss = med([r["rss_kb"] for r in rs])
                cpu = med([r.get("cpu_s") for r in rs])
                a(f"| {BROKER_LABEL[b]} | {case_name(c, s)} | {TOOL_LABEL[t]} | {fmt_rate(med(wr))} | "
                  f"{fmt_rate(min(wr) if wr else None)}–{fmt_rate(max(wr) if wr else None)} | {fmt_rate(med(ir))} | {(med([main_seconds(r) for r in rs]) or 0):.2f} | "
                  f"{'–' if cpu is None else f'{cpu:.2f}'} | "
                  f"{'–' if rss is None else f'{rss / 1024:.0f} MB'} | {sum(r['ok'] for r in rs)}/{len(rs)} |")
    a("")
    a("Brokers' own peak RSS at the end: " + ", ".join(
        f"{BROKER_LABEL[k]} {v / 1024:.0f} MB" for k, v in info["broker_peak_rss_kb"].items() if v) + ".")
    a("")

    # ---- Targets
    a("## Targets")
    a("")
    a("| measure | target | figure | met? |")
    a("|---|---|---|---|")

    def ratio_rows(title, target, num, den, use_inner_num=False, use_inner_den=False, only=None):
        for b in brokers:
            if only and b != only:
                continue
            for c, s in cases:
                n = med(st.inner_rates(b, c, s, num) if use_inner_num else st.wall_rates(b, c, s, num))
                d = med(st.inner_rates(b, c, s, den) if use_inner_den else st.wall_rates(b, c, s, den))
                if n is None or d is None:
                    continue
                r = n / d
                a(f"| {title}, {BROKER_LABEL[b]}, {case_name(c, s)} | ≥ {target:.1f}× | {fmt_ratio(r)} "
                  f"({fmt_rate(n)} vs {fmt_rate(d)} msg/s) | {verdict(r >= target)} |")

    ratio_rows("kbatch-cli send vs kcat (wall)", 1.0, "kbatch-cli", "kcat")
    ratio_rows("kbatch-cli send vs bare librdkafka loop (wall)", 0.9, "kbatch-cli", "bare")
    ratio_rows("kbatch-cli send vs bare loop (each tool's own clock)", 0.9, "kbatch-cli", "bare", True, True)
    ratio_rows("GUI path vs kbatch-cli send (Send→all shown vs CLI job time)", 0.8, "gui", "kbatch-cli", True, True)
    ratio_rows("kbatch-cli send vs kafka-producer-perf-test (wall)", 1.0, "kbatch-cli", "perf-test", only="kafka")
    big = max(cases)
    for b in brokers:
        gr = st.pick(b, big[0], big[1], "gui")
        if not gr:
            continue
        worst = [r["extra"].get("stall_worst_ms") for r in gr]
        p99 = [r["extra"].get("stall_p99_ms") for r in gr]
        rep = [r["extra"].get("repaint_after_last_report_ms") for r in gr]
        upd = [r["extra"].get("final_update_after_last_report_ms", -1) for r in gr]
        if None not in worst:
            a(f"| worst UI-thread stall while {big[0]:,} results arrive, {BROKER_LABEL[b]} | ≤ 16 ms | median "
              f"{med(worst):.1f} ms (rounds {min(worst):.1f}–{max(worst):.1f}) | {verdict(med(worst) <= 16)} |")
            a(f"| p99 UI-thread stall, {BROKER_LABEL[b]} | ≤ 8 ms | median {med(p99):.1f} ms "
              f"({min(p99):.1f}–{max(p99):.1f}) | {verdict(med(p99) <= 8)} |")
            a(f"| last row painted after the last delivery report, {BROKER_LABEL[b]} | ≤ 100 ms | median "
              f"{med(rep):.1f} ms ({min(rep):.1f}–{max(rep):.1f}); last model update "
              f"{med(upd):.1f} ms ({min(upd):.1f}–{max(upd):.1f}) after it | {verdict(med(rep) <= 100)} |")
    fm = {k[9:]: v for k, v in extras.items() if k.startswith("formats: ")}
    for name, label, target in [("load template", "load a 1,000,000-row template (core, bench_formats)", 3.0),
                                ("import JSON Lines", "import 1,000,000 JSON Lines rows (core, bench_formats)", 2.0),
                                ("import CSV", "import 1,000,000 CSV rows (core, bench_formats)", 1.0)]:
        if name in fm:
            a(f"| {label} | ≤ {target:.0f} s | {fm[name]:.2f} s | {verdict(fm[name] <= target)} |")
    for b in brokers:
        gr = st.pick(b, big[0], big[1], "gui")
        if gr and "load_s" in gr[0]["extra"]:
            ls = [r["extra"]["load_s"] for r in gr]
            lw = [r["extra"].get("load_stall_worst_ms", 0) for r in gr]
            a(f"| open a {big[0]:,}-row template in the window (worker thread, until every row is in the model), "
              f"GUI runs on {BROKER_LABEL[b]} | ≤ 3 s, UI responsive (worst stall ≤ 16 ms, the send target) | {med(ls):.2f} s ({min(ls):.2f}–{max(ls):.2f}); "
              f"worst UI stall meanwhile {med(lw):.1f} ms ({min(lw):.1f}–{max(lw):.1f}) | "
              f"{verdict(med(ls) <= 3.0 and med(lw) <= 16)} |")
    mm = re.search(r"payload_per_row=([\d.]+) model_per_row=([\d.]+) overhead_per_row=([\d.]+)",
                   extras.get("model_memory_output", ""))
    if mm:
        over = float(mm.group(3))
        a(f"| memory per row in the batch model, 100-byte values (bench_model_memory) | ≤ payload + 64 B | payload "
          f"{float(mm.group(1)):.0f} B + {over:.0f} B | {verdict(over <= 64)} |")
    colds = extras.get("cold_start_ms") or []
    if colds:
        a(f"| cold start to the first painted window (bench_gui --cold-start, offscreen, {len(colds)} runs) | ≤ 1 s | "
          f"median {med(colds):.0f} ms ({min(colds):.0f}–{max(colds):.0f}) | {verdict(med(colds) <= 1000)} |")
    a("")
    before_and_after(a, st, brokers, cases, tools, out)
    a("## Other figures")
    a("")
    for k, v in extras.items():
        if k.startswith("formats: "):
            a(f"- bench_formats, 1,000,000 rows, {k[9:]}: {v:.2f} s")
    if extras.get("model_memory_output"):
        a(f"- bench_model_memory: `{extras['model_memory_output']}`")
    for b in brokers:
        for c, sz in cases:
            for t in ("kbatch-cli", "kbatch-cli-gen"):
                rs = [r for r in st.pick(b, c, sz, t) if r["inner_s"]]
                if rs:
                    outside = med([r["wall_s"] - r["inner_s"] for r in rs])
                    a(f"- {TOOL_LABEL[t]}, {BROKER_LABEL[b]}, {case_name(c, sz)}: wall minus job time (reading the "
                      f"template{' and expanding the row' if t.endswith('gen') else ''}, start-up, exit) median "
                      f"{outside:.2f} s of {med([r['wall_s'] for r in rs]):.2f} s")
    for b in brokers:
        gr = st.pick(b, big[0], big[1], "gui")
        if gr:
            lat = [r["extra"].get("latency_p99_ms") for r in gr]
            a(f"- GUI runs, {BROKER_LABEL[b]}, {case_name(*big)}: delivery latency p99 median "
              f"{med(lat):.0f} ms; heartbeats per run {med([r['extra'].get('heartbeats') for r in gr]):.0f}")
    a("")
    notes = Path(__file__).resolve().parent / "findings.md"
    if notes.exists():
        a(notes.read_text().rstrip())
        a("")
    (out / "results.md").write_text("\n".join(L) + "\n")
