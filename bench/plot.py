"""results.png: ingest throughput and latency against corpus size, log-log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.measure import SYSTEMS


def plot(rs: list[dict[str, Any]], results: list[dict[str, Any]], path: Path) -> None:
    if not results:  # a --waits-only run with no scale sizes: nothing to draw
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 6))
    for (system, _, _), (style, colour) in zip(
        SYSTEMS, (("o-", "C0"), ("s--", "C1"), ("^-", "C2")), strict=True
    ):
        pts = [r for r in rs if r["system"] == system]
        measured = [r for r in pts if not r["extrapolated"]]
        projected = [r for r in pts if r["extrapolated"]]
        for ax, key, alpha, what in (
            (left, "para_per_s", 1.0, ""),
            (right, "retrieve_p50", 1.0, ": retrieve p50"),
            (right, "ask_p50", 0.5, ": ask p50"),
        ):
            xs, ys = [r["size"] for r in measured], [r[key] for r in measured]
            ax.plot(xs, ys, style, color=colour, alpha=alpha, label=f"{system}{what}")
            if projected:  # open markers on a dotted line from the last measurement
                px = xs[-1:] + [r["size"] for r in projected]
                py = ys[-1:] + [r[key] for r in projected]
                ax.plot(px, py, ":", color=colour, alpha=alpha)
                ax.plot(
                    px[len(xs[-1:]) :],
                    py[len(xs[-1:]) :],
                    style[0],
                    color=colour,
                    alpha=alpha,
                    markerfacecolor="none",
                )
    with_raw = [r for r in results if "raw" in r]
    for label, style, value in (
        ("raw model (ONNX), paragraphs only", ":", lambda r: r["raw"]["paragraph_texts_per_s"]),
        (
            "raw model (ONNX), ingest's texts (para + sentences)",
            "-.",
            lambda r: r["corpus"]["paragraphs"] / r["raw"]["projected_embed_s"],
        ),
        (
            "raw torch (sentence-transformers), ingest's texts: reference",
            "--",
            lambda r: r["corpus"]["paragraphs"] / r["raw"]["projected_torch_s"],
        ),
    ):
        raw_pts = [
            (r["corpus"]["paragraphs"], value(r))
            for r in with_raw
            if "projected_torch_s" in r["raw"]
        ]
        if raw_pts:
            left.plot(
                *zip(*raw_pts, strict=True),
                style,
                color="grey" if style == "--" else "k",
                label=label,
            )
    left.set(
        xscale="log",
        yscale="log",
        xlabel="paragraphs",
        ylabel="paragraphs / s",
        title="Ingest throughput (open markers: extrapolated)",
    )
    right.set(
        xscale="log",
        yscale="log",
        xlabel="paragraphs",
        ylabel="ms",
        title="Latency (open markers: extrapolated)",
    )
    for ax in (left, right):
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
