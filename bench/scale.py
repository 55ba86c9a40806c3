"""1M and 10M paragraphs, on paper: projections from this run's measured curves.

Nothing here is measured at these sizes; every figure is labelled as projected in
results.md. Rules, each from the two largest sizes this run measured (a and b, b > a):

* disk: linear in paragraphs from b (each paragraph writes the same records);
* RAM of a process: a straight line through a and b (a fixed part, the model and the
  libraries, plus a per-paragraph part: BM25, paragraph texts, HNSW), extended;
* HNSW in memory: Chroma loads a collection's whole HNSW graph into RAM; its files at b,
  per record, times the records per paragraph;
* BM25 in memory: at least its saved size (the matrix and the paragraphs it carries);
* ingest: linear in paragraphs from b, model time apart from the rest, so embedding
  spread over W workers divides only the model part;
* query latency p50: along the log-log slope between a and b.
"""

from __future__ import annotations

import math
from typing import Any

MACHINE_RAM_GIB = 24  # every machine of this project (and CI)
DIM = 384  # all-MiniLM-L6-v2's vectors
TARGETS = (1_000_000, 10_000_000)
WORKERS = (1, 8, 32)  # embedding workers behind an OpenAI-compatible embedding server


def _pair(results: list[dict[str, Any]], key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    have = [
        r
        for r in results
        if key in r
        and not r.get("extrapolated")
        and not r.get("earlier_run")
        and not r[key].get("extrapolated")
    ]
    return (have[-2], have[-1]) if len(have) >= 2 else None


def _line(xa: float, ya: float, xb: float, yb: float, x: float) -> float:
    return ya + (yb - ya) * (x - xa) / (xb - xa)


def _loglog(xa: float, ya: float, xb: float, yb: float, x: float) -> float:
    """Along the log-log slope, never below the larger size's figure (a smaller size
    measured under more load would otherwise give a falling curve)."""
    if ya <= 0 or yb <= 0:
        return yb
    return max(yb, yb * (yb / ya) ** (math.log(x / xb) / math.log(xb / xa)))


def _gib(mib: float) -> str:
    return f"{mib / 1024:,.1f} GiB"


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:,.1f} h" if hours < 48 else f"{hours / 24:,.1f} days"


def projections(results: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The projected figures per size and store, from this run's two largest sizes."""
    emb = _pair(results, "latency_embedded")
    if not emb:
        return None
    a, b = emb
    na, nb = a["corpus"]["paragraphs"], b["corpus"]["paragraphs"]
    ia, ib = a["ingest_embedded"], b["ingest_embedded"]
    la, lb = a["latency_embedded"], b["latency_embedded"]
    parts = ib.get("disk", {})
    records = parts.get("records") or ib["texts"]
    # Chroma's HNSW files at b, per record; at least the float32 vector itself (records not
    # yet flushed from Chroma's write-ahead log into the graph are not in the files yet)
    hnsw_per_record = max(parts.get("HNSW vector folders", 0.0) * 2**20 / records, 4 * DIM)
    bm25_per_paragraph = ib.get("bm25_disk_mb", 0.0) * 2**20 / nb
    srv = _pair(results, "latency_server")
    # spaCy's entity pass (rag ingest), per paragraph, from the largest size that timed it
    timed = [
        r
        for r in results
        if r.get("ingest_embedded", {}).get("entities_s") is not None
        and not r.get("extrapolated")
        and not r.get("earlier_run")
    ]
    entities_per_paragraph = (
        timed[-1]["ingest_embedded"]["entities_s"] / timed[-1]["corpus"]["paragraphs"]
        if timed
        else None
    )
    server_base = [r["server_peak_rss_mb"] for r in results if r.get("server_peak_rss_mb")]
    out: dict[str, Any] = {
        "entities_from": timed[-1]["corpus"]["paragraphs"] if timed else None,
        "server_derived": not srv,
        "from": (na, nb),
        "records_per_paragraph": records / nb,
        "hnsw_bytes_per_record": hnsw_per_record,
        "seconds_per_paragraph": ib["seconds"] / nb,
        "embed_seconds_per_paragraph": ib["embed_s"] / nb,
        "sizes": {},
    }
    for n in TARGETS:
        row: dict[str, Any] = {
            "disk_embedded_mib": ib["disk_mb"] * n / nb,
            "query_rss_embedded_mib": _line(na, la["peak_rss_mb"], nb, lb["peak_rss_mb"], n),
            "ingest_rss_mib": _line(na, ia["peak_rss_mb"], nb, ib["peak_rss_mb"], n),
            "hnsw_ram_mib": hnsw_per_record * records / nb * n / 2**20,
            "bm25_ram_mib": bm25_per_paragraph * n / 2**20,
            "retrieve_p50_embedded_ms": _loglog(
                na, la["retrieve"]["p50_ms"], nb, lb["retrieve"]["p50_ms"], n
            ),
            "ask_p50_embedded_ms": _loglog(na, la["ask"]["p50_ms"], nb, lb["ask"]["p50_ms"], n),
            "ingest_s": {
                w: (ib["embed_s"] / w + ib["seconds"] - ib["embed_s"]) * n / nb for w in WORKERS
            },
            "entities_s": entities_per_paragraph * n if entities_per_paragraph else None,
        }
        if not srv:  # no server curve: the embedded figures with the HNSW graph moved out
            row.update(
                disk_server_mib=row["disk_embedded_mib"],
                query_rss_server_app_mib=row["query_rss_embedded_mib"] - row["hnsw_ram_mib"],
                server_rss_mib=row["hnsw_ram_mib"] + (server_base[-1] if server_base else 0),
            )
        if srv:
            sa, sb = srv
            row.update(
                disk_server_mib=sb["ingest_server"]["disk_mb"] * n / nb,
                query_rss_server_app_mib=_line(
                    na,
                    sa["latency_server"]["peak_rss_mb"],
                    nb,
                    sb["latency_server"]["peak_rss_mb"],
                    n,
                ),
                server_rss_mib=_line(na, sa["server_peak_rss_mb"], nb, sb["server_peak_rss_mb"], n),
                retrieve_p50_server_ms=_loglog(
                    na,
                    sa["latency_server"]["retrieve"]["p50_ms"],
                    nb,
                    sb["latency_server"]["retrieve"]["p50_ms"],
                    n,
                ),
                ask_p50_server_ms=_loglog(
                    na,
                    sa["latency_server"]["ask"]["p50_ms"],
                    nb,
                    sb["latency_server"]["ask"]["p50_ms"],
                    n,
                ),
            )
        out["sizes"][n] = row
    return out


def crossings(results: list[dict[str, Any]], p: dict[str, Any]) -> dict[str, float]:
    """Paragraph counts at which each limit is reached on the projected curves."""
    emb = _pair(results, "latency_embedded")
    assert emb is not None
    a, b = emb
    na, nb = a["corpus"]["paragraphs"], b["corpus"]["paragraphs"]
    ram = MACHINE_RAM_GIB * 1024
    ya, yb = a["latency_embedded"]["peak_rss_mb"], b["latency_embedded"]["peak_rss_mb"]
    slope = (yb - ya) / (nb - na)
    out = {}
    if slope > 0:
        out[f"embedded query process RAM > {MACHINE_RAM_GIB} GiB"] = nb + (ram - yb) / slope
    one = p["sizes"][TARGETS[0]]
    per_paragraph = one["hnsw_ram_mib"] / TARGETS[0]
    if per_paragraph > 0:
        out[f"HNSW graph alone > {MACHINE_RAM_GIB} GiB"] = ram / per_paragraph
    bm25 = one["bm25_ram_mib"] / TARGETS[0]
    if bm25 > 0:
        out[f"BM25 alone > {MACHINE_RAM_GIB} GiB"] = ram / bm25
    per_second = p["seconds_per_paragraph"]
    out["single-writer first ingest > 24 h"] = 24 * 3600 / per_second
    srv = _pair(results, "latency_server")
    if srv:
        sa, sb = srv
        ya, yb = sa["server_peak_rss_mb"], sb["server_peak_rss_mb"]
        slope = (yb - ya) / (nb - na)
        if slope > 0:
            out[f"Chroma server RAM > {MACHINE_RAM_GIB} GiB"] = nb + (ram - yb) / slope
    return out


def scale_section(results: list[dict[str, Any]]) -> list[str]:
    p = projections(results)
    if not p:
        return ["Needs two measured sizes with the embedded store in this run."]
    na, nb = p["from"]
    md = [
        f"**Projected, not measured.** Every figure below comes from this run's {na:,} and "
        f"{nb:,}-paragraph measurements by the rules in `bench/scale.py` (disk and ingest "
        "linear in paragraphs; process RAM on the straight line through the two sizes; "
        "latency along their log-log slope, never below the larger size's); the earlier "
        "run's measured 100k (†, above) is "
        "the only check on how far the curves hold, and it grew faster than projected in "
        "BM25 build time and memory. Read them as orders of magnitude.",
        "",
        f"Per paragraph at {nb:,}: {p['records_per_paragraph']:.2f} Chroma records (the "
        f"paragraph and its sentences), {p['hnsw_bytes_per_record']:,.0f} bytes of HNSW per "
        f"record, {p['seconds_per_paragraph'] * 1000:.1f} ms of single-writer ingest of which "
        f"{p['embed_seconds_per_paragraph'] * 1000:.1f} ms is the embedding model."
        + (
            f" The spaCy row is timed at {p['entities_from']:,} paragraphs."
            if p["entities_from"]
            else ""
        )
        + (
            " This run measured the Chroma server at one size only, so its columns are "
            "derived, not fitted: disk as embedded, the app's RAM as embedded less the HNSW "
            "graph, the server's as that graph plus the server's measured base; no latency."
            if p["server_derived"]
            else ""
        ),
        "",
        "| | 1M, embedded | 1M, Chroma server | 10M, embedded | 10M, Chroma server |",
        "|---|---:|---:|---:|---:|",
    ]

    def cells(fn: Any) -> str:
        out = []
        for n in TARGETS:
            row = p["sizes"][n]
            for store in ("embedded", "server"):
                try:
                    out.append(fn(row, store))
                except KeyError:
                    out.append("–")
        return " | ".join(out)

    md += [
        "| disk | " + cells(lambda r, s: _gib(r[f"disk_{s}_mib"])) + " |",
        "| query process RAM (app) | "
        + cells(
            lambda r, s: _gib(
                r["query_rss_embedded_mib"] if s == "embedded" else r["query_rss_server_app_mib"]
            )
        )
        + " |",
        "| Chroma server RAM | "
        + cells(lambda r, s: "in the app" if s == "embedded" else _gib(r["server_rss_mib"]))
        + " |",
        "| of which HNSW graph in RAM | " + cells(lambda r, s: _gib(r["hnsw_ram_mib"])) + " |",
        "| of which BM25 in RAM (at least) | "
        + cells(lambda r, s: _gib(r["bm25_ram_mib"]) + (" (app)" if s == "server" else ""))
        + " |",
        "| ingest, one writer, model in-process | "
        + cells(lambda r, s: _hours(r["ingest_s"][1]))
        + " |",
        "| ingest, embeddings on 8 / 32 workers | "
        + cells(lambda r, s: f"{_hours(r['ingest_s'][8])} / {_hours(r['ingest_s'][32])}")
        + " |",
        "| + spaCy entities (rag ingest), one process | "
        + cells(lambda r, s: _hours(r["entities_s"]) if r["entities_s"] else "–")
        + " |",
        "| retrieve p50 | " + cells(lambda r, s: f"{r[f'retrieve_p50_{s}_ms']:,.0f} ms") + " |",
        "| ask p50 | " + cells(lambda r, s: f"{r[f'ask_p50_{s}_ms']:,.0f} ms") + " |",
    ]
    one, ten = p["sizes"][TARGETS[0]], p["sizes"][TARGETS[1]]
    limits = sorted(crossings(results, p).items(), key=lambda kv: kv[1])
    md += [
        "",
        "**What breaks first**, as the paragraph count where each limit is crossed on "
        f"these curves (this machine: {MACHINE_RAM_GIB} GiB, 2 cores):",
        "",
        "| limit | crossed at about |",
        "|---|---:|",
    ]
    md += [f"| {name} | {n:,.0f} paragraphs |" for name, n in limits]
    md += [
        "",
        "* *Single-writer ingest* is model-bound (the embedding model is most of every "
        "paragraph's ingest time) and one process writes at a time: 1M paragraphs is "
        f"{_hours(one['ingest_s'][1])} of wall time on 2 cores and 10M "
        f"{_hours(ten['ingest_s'][1])}, before a question can be asked of a new corpus "
        "(later ingests are incremental: only changed articles are embedded).",
        "* *RAM of the query process*: the embedded store keeps the HNSW graph of every "
        "record (paragraph and sentences) in the app's memory, and every query process "
        "loads the BM25 matrix with the paragraphs it carries; the app's own slope gives "
        f"{_gib(one['query_rss_embedded_mib'])} at 1M and "
        f"{_gib(ten['query_rss_embedded_mib'])} at 10M. The HNSW graph alone is "
        f"{_gib(one['hnsw_ram_mib'])} and {_gib(ten['hnsw_ram_mib'])}; BM25 at least "
        f"{_gib(one['bm25_ram_mib'])} and {_gib(ten['bm25_ram_mib'])}, and its build, one "
        "piece at the end of ingest, grew faster than linear at the earlier 100k run (2.3× "
        "its linear projection).",
        f"* *Latency* on these curves: retrieve p50 {one['retrieve_p50_embedded_ms']:,.0f} ms "
        f"at 1M and {ten['retrieve_p50_embedded_ms']:,.0f} ms at 10M (embedded), valid only "
        "while the index fits in RAM; past that the machine pages and latency is on no "
        "curve.",
        "",
        "**How the design handles it.**",
        "",
        "* *Chroma as a server or cluster* (`RAG_STORE=server`, already a first-class mode "
        "tested over the same suite): the HNSW graph and the metadata live in Chroma's own "
        "process, on its own machine, so the app's memory stops growing with the vectors "
        "(what is left in the app is BM25, below). One Chroma node holds what its RAM "
        "holds (the server RAM row above). Past one node, the design (not built yet) "
        "splits the corpus into several collections, by "
        "article range or source, on Chroma's distributed deployment or several servers, "
        "queries them in parallel and fuses the lists with the reciprocal-rank fusion that "
        "already merges dense and BM25 results.",
        "* *BM25 moves to a persistent or served index*: today `rag/lexical.py` saves one "
        "bm25s index per generation and every query process loads it whole. At 1M the step "
        "is loading it memory-mapped (bm25s' `load(..., mmap=True)`), so processes share one "
        "copy through the page cache and start without reading it all; at 10M, a served "
        "full-text index (a search server such as OpenSearch) queried where "
        "`HybridRetriever` queries BM25 now, updated per article by incremental ingest "
        "instead of rebuilt whole at its end.",
        "* *Embeddings through an OpenAI-compatible embedding server* "
        "(text-embeddings-inference or vLLM; `RAG_EMBED_PROVIDER=openai` with "
        "`OPENAI_BASE_URL` already points ingest's embedding calls at one): ingest's "
        "length-sorted windows are independent batches, so several ingest workers, each "
        "embedding its share of the articles through the server, divide the model time. The "
        "8 / 32 worker row divides only that part: the store writes stay one writer per "
        "collection, which is why the rows stop shrinking, and collections per article range "
        "(above) then give each writer its own.",
        "",
        "Not measured here, and what would check these projections: a fresh 100k run on the "
        "current code (the † row predates the lean records; this run projects it), and one "
        "ingest with embeddings served by a separate local process to show the split works "
        "end to end.",
    ]
    return md
