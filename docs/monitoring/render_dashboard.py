#!/usr/bin/env python3
"""Renders deploy/monitoring/dashboard.json as a PNG with synthetic data, for docs/metrics.md.

No Grafana runs where this project is built, so this is a stand-in for a screenshot: every panel of the dashboard
is drawn at its gridPos with its title and type, filled with numbers from a made-up cluster (below). The numbers
are consistent with each other (what the controller would export for that cluster), not taken from a real one.

    python3 docs/monitoring/render_dashboard.py   # writes docs/monitoring/dashboard.png (needs matplotlib)
"""
import json
import math
import pathlib
import random

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Wedge  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "monitoring" / "dashboard.json"
OUT = pathlib.Path(__file__).resolve().parent / "dashboard.png"

# The made-up cluster: 32 nodes with 8 H100 each, 8 nodes with an A100 split into 7 MIG devices (1g.10gb).
H100, A100 = "NVIDIA H100 80GB HBM3", "NVIDIA A100-SXM4-80GB"
NODES = [(f"gpu-h100-{i:02d}", H100, "gpu", 8, 80) for i in range(32)] + \
        [(f"gpu-a100-{i:02d}", A100, "mig", 7, 10) for i in range(8)]
random.seed(7)
ALLOCATED = {name: min(count, max(0, count - random.choice([0, 0, 1, 1, 2, 3, 8]))) for name, _, _, count, _ in NODES}
PUBLISHED = sum(n[3] for n in NODES)
TAKEN = sum(ALLOCATED.values())
PENDING = {"ml-training": 14, "inference": 3, "research": 6}
HOURS = [h / 12 for h in range(0, 73)]  # 6 h in 5 min steps

BG, PANEL, TEXT, DIM, GRID = "#111217", "#181b1f", "#ccccdc", "#8e8e9e", "#2c3235"
COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff9830", "#f2495c", "#b877d9", "#8ab8ff"]


def walk(start, end, noise, seed):
    rnd = random.Random(seed)
    values, v = [], start
    for i, _ in enumerate(HOURS):
        target = start + (end - start) * i / (len(HOURS) - 1)
        v = 0.7 * v + 0.3 * target + rnd.uniform(-noise, noise)
        values.append(max(0, v))
    return values


def stat(ax, value, color="#73bf69", sub=None):
    ax.text(0.5, 0.45, value, color=color, ha="center", va="center", fontsize=26, weight="bold", transform=ax.transAxes)
    if sub:
        ax.text(0.5, 0.12, sub, color=DIM, ha="center", va="center", fontsize=8, transform=ax.transAxes)


def gauge(ax, ratio):
    ax.set_xlim(-1.2, 1.2)
    ax.set_ylim(-0.3, 1.2)
    ax.add_patch(Wedge((0, 0), 1, 0, 180, width=0.25, color=GRID))
    color = "#73bf69" if ratio < 0.75 else "#ff9830" if ratio < 0.9 else "#f2495c"
    ax.add_patch(Wedge((0, 0), 1, 180 - 180 * ratio, 180, width=0.25, color=color))
    ax.text(0, 0.15, f"{ratio:.1%}", color=color, ha="center", fontsize=20, weight="bold")


def bars(ax, labels, values, unit="%"):
    y = range(len(labels))
    ax.barh(list(y), [1] * len(labels), color=GRID, height=0.6)
    for i, v in enumerate(values):
        color = "#73bf69" if unit != "%" or v < 0.75 else "#ff9830" if v < 0.9 else "#f2495c"
        ax.barh(i, v if unit == "%" else v / max(values), color=color, height=0.6)
        ax.text(1.01, i, f"{v:.0%}" if unit == "%" else f"{v:.0f}", color=TEXT, va="center", fontsize=8)
    ax.set_yticks(list(y))
    ax.set_yticklabels(labels, color=TEXT, fontsize=8)
    ax.set_xlim(0, 1.15)
    ax.invert_yaxis()
    ax.set_xticks([])


def lines(ax, series, unit=""):
    for i, (label, values) in enumerate(series):
        ax.plot(HOURS, values, color=COLORS[i % len(COLORS)], linewidth=1.2, label=label)
    ax.tick_params(colors=DIM, labelsize=7)
    ax.grid(color=GRID, linewidth=0.5)
    ax.set_xticks([0, 2, 4, 6])
    ax.set_xticklabels(["-6h", "-4h", "-2h", "now"])
    ax.legend(fontsize=7, facecolor=PANEL, edgecolor=PANEL, labelcolor=TEXT, loc="upper left")
    if unit:
        ax.set_ylabel(unit, color=DIM, fontsize=7)


def table(ax):
    rows = []
    for name, product, kind, count, mem in NODES[:5] + NODES[-3:]:
        taken = ALLOCATED[name]
        rows.append([name, product, kind, str(count), str(taken), f"{count * mem} GiB", f"{taken * mem} GiB"])
    t = ax.table(cellText=rows, colLabels=["Node", "Product", "Type", "Devices", "Allocated", "Memory", "Memory allocated"],
                 loc="upper center", cellLoc="left", colLoc="left")
    t.auto_set_font_size(False)
    t.set_fontsize(7.5)
    for cell in t.get_celld().values():
        cell.set_facecolor(PANEL)
        cell.set_edgecolor(GRID)
        cell.get_text().set_color(TEXT)
    t.scale(1, 1.25)


def draw(title, kind, ax):
    h100_taken = sum(ALLOCATED[n[0]] for n in NODES if n[1] == H100)
    a100_taken = TAKEN - h100_taken
    if title == "Devices allocated":
        stat(ax, str(TAKEN))
    elif title == "Devices published":
        stat(ax, str(PUBLISHED), "#5794f2")
    elif title == "Allocated":
        gauge(ax, TAKEN / PUBLISHED)
    elif title == "Pending claims":
        stat(ax, str(sum(PENDING.values())), "#f2cc0c")
    elif title == "Allocated by product and device type":
        bars(ax, [f"{H100} gpu", f"{A100} mig"], [h100_taken / 256, a100_taken / 56])
    elif title == "Devices by product":
        lines(ax, [(f"{H100} allocated", walk(170, h100_taken, 6, 1)), (f"{H100} published", [256] * len(HOURS)),
                   (f"{A100} allocated", walk(20, a100_taken, 2, 2)), (f"{A100} published", [56] * len(HOURS))])
    elif title == "Per node":
        table(ax)
    elif title == "Claims by state":
        allocated = walk(190, TAKEN, 5, 3)
        pending = walk(5, sum(PENDING.values()), 3, 4)
        ax.stackplot(HOURS, allocated, pending, colors=["#73bf69", "#f2cc0c"], alpha=0.6, labels=["allocated", "pending"])
        lines(ax, [])
        ax.legend(fontsize=7, facecolor=PANEL, edgecolor=PANEL, labelcolor=TEXT, loc="upper left")
    elif title == "Pending claims by namespace":
        bars(ax, list(PENDING), list(PENDING.values()), unit="")
    elif title == "Prepare and unprepare latency":
        lines(ax, [("p50 prepare", walk(0.12, 0.14, 0.02, 5)), ("p95 prepare", walk(0.6, 0.8, 0.1, 6)),
                   ("p99 prepare", walk(1.4, 1.7, 0.3, 7)), ("p95 unprepare", walk(0.09, 0.1, 0.01, 8))], "seconds")
    elif title == "Requests":
        lines(ax, [("prepare", walk(0.4, 0.6, 0.15, 9)), ("unprepare", walk(0.35, 0.55, 0.15, 10))], "req/s")
    elif title == "Errors (per 5 min)":
        errors = [0] * len(HOURS)
        errors[50:54] = [1, 3, 2, 1]
        ax.bar(HOURS, errors, width=0.07, color="#f2495c", label="prepare prepare_devices")
        lines(ax, [])
        ax.legend(fontsize=7, facecolor=PANEL, edgecolor=PANEL, labelcolor=TEXT, loc="upper left")
    elif title == "Plugins registered":
        stat(ax, f"{len(NODES)} / {len(NODES)}", sub="registered / running")
    elif title == "Selected nodes without a slice":
        stat(ax, "0")
    elif title == "Stale slices deleted (24 h)":
        stat(ax, "2", "#5794f2")
    elif title == "NvidiaDraDriver Ready":
        stat(ax, "Ready")
    elif title == "Requests in flight":
        lines(ax, [("prepare", [max(0, round(v)) for v in walk(0.5, 0.8, 0.8, 11)]),
                   ("unprepare", [max(0, round(v)) for v in walk(0.3, 0.4, 0.6, 12)])])
    elif title == "Memory by product":
        lines(ax, [(f"{H100} allocated", [v * 80 for v in walk(170, h100_taken, 6, 1)]),
                   (f"{H100} published", [256 * 80] * len(HOURS)),
                   (f"{A100} allocated", [v * 10 for v in walk(20, a100_taken, 2, 2)])], "GiB")
    else:
        ax.text(0.5, 0.5, kind, color=DIM, ha="center", transform=ax.transAxes)


def main():
    dashboard = json.loads(DASHBOARD.read_text())
    panels = dashboard["panels"]
    rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)
    unit_w, unit_h = 0.75, 0.32
    fig = plt.figure(figsize=(24 * unit_w, rows * unit_h + 0.9), facecolor=BG)
    top = 1 - 0.9 / (rows * unit_h + 0.9)
    fig.text(0.01, 1 - 0.35 / (rows * unit_h + 0.9), dashboard["title"], color=TEXT, fontsize=15, weight="bold", va="center")
    fig.text(0.99, 1 - 0.35 / (rows * unit_h + 0.9), "synthetic data: docs/monitoring/render_dashboard.py (not a Grafana screenshot)",
             color=DIM, fontsize=9, ha="right", va="center")
    for p in panels:
        g = p["gridPos"]
        left, width = g["x"] / 24, g["w"] / 24
        bottom = top - (g["y"] + g["h"]) / rows * top
        height = g["h"] / rows * top
        if p["type"] == "row":
            fig.text(left + 0.005, bottom + height / 2, p["title"], color=TEXT, fontsize=11, weight="bold", va="center")
            continue
        frame = fig.add_axes([left + 0.002, bottom + 0.002, width - 0.004, height - 0.004])
        frame.set_facecolor(PANEL)
        frame.set_xticks([])
        frame.set_yticks([])
        for spine in frame.spines.values():
            spine.set_color(GRID)
        frame.text(0.01, 0.97, p["title"], color=TEXT, fontsize=9, weight="bold", va="top", transform=frame.transAxes)
        inner_h = height - 0.004 - 0.32 / (rows * unit_h + 0.9)
        lift = 0.014 if p["type"] == "timeseries" else 0.006
        ax = fig.add_axes([left + 0.002 + (0.03 if p["type"] == "timeseries" else 0.004), bottom + lift,
                           width - 0.004 - (0.04 if p["type"] == "timeseries" else 0.008), inner_h - lift])
        ax.set_facecolor(PANEL)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if p["type"] in ("stat", "gauge", "table"):
            ax.set_xticks([])
            ax.set_yticks([])
        if p["type"] == "bargauge":
            ax.set_position([left + width * 0.32, bottom + 0.006, width * 0.6, inner_h - 0.006])
        draw(p["title"], p["type"], ax)
    fig.savefig(OUT, dpi=80, facecolor=BG)
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
