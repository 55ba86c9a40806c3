"""The Markdown tables of results.md: one row per size and system, ours ÷ llama-index's,
and the ONNX-vs-torch section."""

from __future__ import annotations

import math
from typing import Any

from bench.measure import SYSTEMS


def rows(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in results:
        n = r["corpus"]["paragraphs"]
        raw = r.get("raw", {})
        raw_paragraph_s = n / raw["paragraph_texts_per_s"] if raw else None
        for label, ing, lat in SYSTEMS:
            if ing not in r or lat not in r:
                continue
            i, lt = r[ing], r[lat]
            seconds = i["seconds"]
            if ing == "ingest_server" and i.get("replayed"):
                seconds = i["seconds"] + r["ingest_embedded"]["embed_s"]  # + the model's time
            peak = max(i["peak_rss_mb"], lt.get("peak_rss_mb", 0))
            out.append(
                {
                    "size": n,
                    "group": "projected"
                    if r.get("extrapolated")
                    else ("earlier" if r.get("earlier_run") else "measured"),
                    "when": r.get("when"),
                    "commit": r.get("commit"),
                    "system": label,
                    "extrapolated": bool(
                        r.get("extrapolated") or i.get("extrapolated") or lt.get("extrapolated")
                    ),
                    "ingest_s": seconds,
                    "para_per_s": n / seconds,
                    "vs_raw_paragraphs": seconds / raw_paragraph_s if raw_paragraph_s else None,
                    "vs_raw_texts": seconds / raw["projected_embed_s"] if raw else None,
                    "retrieve_p50": lt["retrieve"]["p50_ms"],
                    "retrieve_p95": lt["retrieve"]["p95_ms"],
                    "ask_p50": lt["ask"]["p50_ms"],
                    "ask_p95": lt["ask"]["p95_ms"],
                    "cold_load_s": lt["cold_load_s"],
                    "peak_rss_mb": peak,
                    "disk_mb": i.get("disk_mb", float("nan")),
                    "server_rss_mb": r.get("server_peak_rss_mb")
                    if ing == "ingest_server"
                    else None,
                }
            )
    return out


def fmt(x: Any, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:,.{digits}f}"


def table(rs: list[dict[str, Any]]) -> str:
    head = (
        "| paragraphs | system | ingest s | para/s | ingest ÷ raw model (paragraphs only) "
        "| ingest ÷ raw model (same texts) | retrieve p50 / p95 ms | ask p50 / p95 ms "
        "| first-query load s | peak RSS MiB | disk MiB |\n" + "|---" * 11 + "|\n"
    )
    lines = []
    for r in rs:
        mark = "~" if r["extrapolated"] else ""
        size = f"{mark}{r['size']:,}" + (" †" if r["group"] == "earlier" else "")
        rss = fmt(r["peak_rss_mb"])
        if r["server_rss_mb"]:
            rss += f" (+ server {fmt(r['server_rss_mb'])})"
        lines.append(
            f"| {size} | {r['system']} | {mark}{fmt(r['ingest_s'], 1)} "
            f"| {mark}{fmt(r['para_per_s'], 1)} | {mark}{fmt(r['vs_raw_paragraphs'], 2)}× "
            f"| {mark}{fmt(r['vs_raw_texts'], 2)}× "
            f"| {mark}{fmt(r['retrieve_p50'])} / {fmt(r['retrieve_p95'])} "
            f"| {mark}{fmt(r['ask_p50'])} / {fmt(r['ask_p95'])} | {mark}{fmt(r['cold_load_s'], 2)} "
            f"| {mark}{rss} | {mark}{fmt(r['disk_mb'], 1)} |"
        )
    return head + "\n".join(lines) + "\n"


def ratio_table(rs: list[dict[str, Any]]) -> str:
    head = (
        "| paragraphs | store | ingest para/s | retrieve p50 | ask p50 | peak RSS | disk |\n"
        + "|---" * 7
        + "|\n"
    )
    lines = []
    anchors = {(r["size"], r["group"]): r for r in rs if r["system"] == "llama-index defaults"}
    for r in rs:
        a = anchors.get((r["size"], r["group"]))
        if a is None or r is a:
            continue
        mark = "~" if r["extrapolated"] or a["extrapolated"] else ""

        def q(x: float | None, y: float | None, mark: str = mark) -> str:
            if x is None or not y or (isinstance(x, float) and math.isnan(x)):
                return "–"
            return f"{mark}{x / y:.2f}×"

        lines.append(
            f"| {mark}{r['size']:,} | {r['system'].split(', ')[1]} "
            f"| {q(r['para_per_s'], a['para_per_s'])} | {q(r['retrieve_p50'], a['retrieve_p50'])} "
            f"| {q(r['ask_p50'], a['ask_p50'])} | {q(r['peak_rss_mb'], a['peak_rss_mb'])} "
            f"| {q(r['disk_mb'], a['disk_mb'])} |"
        )
    if not lines:
        return "No size has both llama-index and one of ours.\n"
    return head + "\n".join(lines) + "\n"


def onnx_section(onnx: dict[str, Any] | None, export: dict[str, Any] | None) -> str:
    if not onnx:
        return "Not measured in this run."
    run_size = onnx.get("run_size", 8)
    st_onnx = str(onnx.get("st_backend_onnx", "not tried")).split(". ")[0].rstrip(".")
    lines = [
        'ONNX Runtime is now the default embedding backend (`embed_backend="onnx"`, '
        "rag/onnx_embedding.py; `RAG_EMBED_BACKEND=torch` keeps the sentence-transformers "
        "path): the model is exported once with `torch.onnx.export` (mean pooling and L2 "
        "normalisation inside the graph), checked against torch, cached, and run by "
        f"onnxruntime in length-sorted runs of {run_size} texts per call, which a helper "
        "measured at ~2.7× torch on sorted input. This stage measures that class, "
        "`OnnxEmbedding`, on the shared cached export, against sentence-transformers' torch. "
        f'(sentence-transformers\' own `backend="onnx"`: {st_onnx}; it '
        "goes through optimum-onnx, whose releases pin transformers<4.58.)",
        "",
    ]
    if "skipped" in onnx:
        return "\n".join([*lines, f"Skipped: {onnx['skipped']}"])
    export_s = (export or {}).get("seconds")
    lines += [
        f"{onnx['texts']:,} texts sampled from ingest's texts and sorted by length, as ingest "
        f"hands them over; torch: `encode`, batch 64, {onnx['torch_threads']} threads; ONNX: "
        f"`get_text_embedding_batch`, batches of {onnx.get('batch_size', 64)}, runs of "
        f"{run_size}; best of {onnx.get('rounds', 1)} interleaved rounds"
        + (f"; export (once, before the stages) {export_s:.1f} s" if export_s else "")
        + (f"; load average {onnx['load']:.1f} at the end" if "load" in onnx else "")
        + ".",
        "",
        "| backend | texts/s | speed-up vs torch (wall) | speed-up (CPU time) "
        "| cosine min / mean vs torch | file MiB |",
        "|---|---|---|---|---|---|",
        f"| torch (sentence-transformers) | {onnx['torch_texts_per_s']:.0f} | 1.00× | 1.00× "
        "| – | – |",
    ]
    for name, label in (
        ("onnx_fp32", "onnx fp32 (OnnxEmbedding, default)"),
        ("onnx_int8", "onnx int8"),
    ):
        if name in onnx:
            o = onnx[name]
            lines.append(
                f"| {label} | {o['texts_per_s']:.0f} | {o['speedup']:.2f}× "
                f"| {o.get('cpu_speedup', float('nan')):.2f}× "
                f"| {o['cos_min']:.5f} / {o['cos_mean']:.5f} | {o['size_mb']:.0f} |"
            )
    fp = onnx.get("onnx_fp32", {})
    q8 = onnx.get("onnx_int8", {})
    verdict = []
    if fp:
        ok = fp["cos_min"] > 0.999
        verdict.append(
            f"fp32 ONNX {'matches' if ok else 'does NOT match'} torch (min cosine "
            f"{fp['cos_min']:.5f}) and is {fp['speedup']:.2f}× as fast here"
            + (
                ", in line with the ~2.7× measured before adoption."
                if 2.2 <= fp["speedup"] <= 3.2
                else " (the helper measured ~2.7× on sorted input; this run's load or "
                "sample differs)."
            )
        )
        verdict.append(
            "It is the default backend; the vectors are interchangeable, so the embedding id "
            "and existing indexes stay valid."
            if ok
            else "The default backend disagrees with torch: investigate before trusting it."
        )
    if q8:
        verdict.append(
            f"int8 dynamic quantisation of the same export: {q8['speedup']:.2f}× with min "
            f"cosine {q8['cos_min']:.4f} — {'within' if q8['cos_min'] > 0.999 else 'outside'} "
            "the 0.999 tolerance, so it would need its own embedding id (and a re-ingest)."
        )
    return "\n".join([*lines, "", " ".join(verdict)])
