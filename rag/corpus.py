"""Parse article files into titled articles with numbered paragraphs.

A paragraph is the unit a citation points to. Real exports are messy, so parsing
handles: lines broken mid-sentence (also across runs of blank lines), markdown
links, a title/"By"/author block, photo descriptions and credit captions (kept,
but numbered apart from the body so they don't shift body numbers), and section
headings that attach to the paragraphs below them.

Reading files is rag/readers.py's job (every format, .txt/.md included, and which
files in a folder are articles); .html/.htm and .pdf are rendered there as that same
kind of text, so every format goes through the rules here.
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rag.errors import CorpusError
from rag.readers import (  # noqa: F401  (kept importable from rag.corpus)
    SUPPORTED_SUFFIXES,
    article_files,
    read_bytes,
    read_document,
    read_text,
)
from rag.schema import paragraph_label

ParagraphKind = Literal["body", "caption", "note"]

CATALOG_NAME = "catalog.toml"
# Catalog fields: name -> (type, what to write).
_CATALOG_FIELDS: dict[str, tuple[type, str]] = {
    "file": (str, 'a file name in quotes, e.g. file = "001_example.txt"'),
    "id": (str, 'text in quotes, e.g. id = "001"'),
    "title": (str, "text in quotes"),
    "author": (str, "text in quotes"),
    "outlet": (str, "text in quotes"),
    "genre": (str, 'text in quotes, e.g. genre = "explainer"'),
    "title_assigned": (bool, "true or false, without quotes"),
}

_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BYLINE = re.compile(r"^by(?:\s+(?P<name>.+))?$", re.IGNORECASE)
# A photo credit closes a caption line: "... Farooq Naeem/AFP via Getty Images",
# "...Sept. 25.White House photographer", "... Debajyoti Chakraborty/Getty Images".
_CREDIT = re.compile(
    r"(?:via Getty Images|/Getty Images|Getty Images|photographer|/AFP|/Reuters|"
    r"/AP|AP Photo|Photo:.*|Image:.*)\s*$",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?:;]['\"”’)\]*]*$")


def photo_credit(caption: str) -> str | None:
    """The credit line that ends a photo caption ("… Farooq Naeem/AFP via Getty Images")."""
    from rag.text import split_sentences

    last = (split_sentences(caption) or [caption])[-1].strip()
    return last if _CREDIT.search(last) and len(last.split()) <= 12 else None


@dataclass(frozen=True)
class Paragraph:
    """One citable paragraph. Body paragraphs are numbered 1..N for readers;
    captions and notes have their own numbering so they never shift the body's."""

    number: int
    text: str
    kind: ParagraphKind = "body"
    section: str | None = None

    @property
    def label(self) -> str:
        return paragraph_label(self.kind, self.number)


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    paragraphs: list[Paragraph]
    title_assigned: bool = False
    author: str | None = None
    outlet: str | None = None
    genre: str | None = None  # what kind of piece the catalog calls it ("explainer")
    source: str = ""
    content_hash: str = ""
    metadata: dict[str, str] = field(default_factory=dict)

    def paragraph(self, number: int, kind: ParagraphKind = "body") -> Paragraph:
        for p in self.paragraphs:
            if p.number == number and p.kind == kind:
                return p
        raise KeyError(f"article {self.id} has no {kind} paragraph {number}")

    @property
    def body(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.kind == "body"]

    @property
    def fingerprint(self) -> str:
        """What ingest compares to tell a changed article: its text and its catalog
        entry, so that a corrected title or a new genre reaches the index too."""
        entry = (self.title, self.title_assigned, self.author, self.outlet, self.genre)
        return hashlib.sha256(f"{self.content_hash}\n{entry!r}".encode()).hexdigest()


@dataclass
class _Block:
    text: str
    kind: ParagraphKind = "body"
    heading: bool = False


def strip_links(text: str) -> str:
    """`text` with each Markdown link `[words](url)` reduced to its words."""
    return _MD_LINK.sub(r"\1", text)


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", strip_links(line)).strip()


def _is_heading(line: str) -> bool:
    """Short lines with no sentence-ending period, such as "What's Happening?"."""
    if _MD_HEADING.match(line):
        return True
    words = line.split()
    return 0 < len(words) <= 8 and not line.endswith((".", "”", '"', ",")) and line[0].isupper()


def _continues(previous: str, line: str) -> bool:
    """A line continues the previous paragraph when that one stopped mid-sentence."""
    if not previous or _TERMINAL.search(previous):
        return False
    # A long unterminated line is a sentence cut off by the export, and so is any
    # line that starts in lower case.
    return len(previous.split()) > 8 or line[:1].islower()


def _blocks(lines: list[str], captions: Collection[int] = ()) -> list[_Block]:
    """`captions`: indices of lines a reader knows are captions (an HTML <figcaption>)."""
    blocks: list[_Block] = []
    for n, raw in enumerate(lines):
        line = _clean(raw)
        if not line:
            continue  # blank lines never end a paragraph that stopped mid-sentence
        if n in captions:
            blocks.append(_Block(line, "caption"))
            continue
        last = blocks[-1] if blocks else None
        if last and not last.heading and last.kind == "body" and _continues(last.text, line):
            last.text = f"{last.text} {line}"
            continue
        if _CREDIT.search(line):
            # The photo description exported just before a credit line is part of it.
            # Alt text is short; a long line before a credit stays body text.
            if last and last.kind == "body" and not last.heading and len(last.text) < 300:
                last.kind = "caption"
            blocks.append(_Block(line, "caption"))
            continue
        if line.startswith("*") and line.endswith("*") and len(line) > 2:
            blocks.append(_Block(line.strip("*").strip(), "note"))
            continue
        blocks.append(_Block(line, heading=_is_heading(line)))
    return blocks


def parse_article(
    text: str,
    article_id: str,
    *,
    title: str | None = None,
    title_assigned: bool = False,
    author: str | None = None,
    outlet: str | None = None,
    genre: str | None = None,
    source: str = "",
    caption_lines: Collection[int] = (),
    content_hash: str | None = None,
) -> Article:
    """Parse one article's text. Catalog values win over what the text says.

    `caption_lines` (indices into `text.splitlines()`) are captions whatever they say;
    `content_hash` replaces the hash of `text`, for files rendered from another format.
    """
    lines = text.splitlines()
    found_title, found_author, body_start = _front_matter(lines)
    blocks = _blocks(lines[body_start:], {n - body_start for n in caption_lines})

    paragraphs: list[Paragraph] = []
    counters = {"body": 0, "caption": 0, "note": 0}
    section: str | None = None
    for block in blocks:
        if block.heading:
            m = _MD_HEADING.match(block.text)
            section = m.group(1).strip() if m else block.text
            continue
        counters[block.kind] += 1
        paragraphs.append(Paragraph(counters[block.kind], block.text, block.kind, section))

    if not paragraphs:
        raise CorpusError(f"{source or article_id}: no paragraphs found; is the file empty?")
    if title is None:
        title = found_title
    if title is None:
        title, title_assigned = _title_from(paragraphs[0].text), True
    return Article(
        id=article_id,
        title=title,
        paragraphs=paragraphs,
        title_assigned=title_assigned,
        author=author or found_author,
        outlet=outlet,
        genre=genre,
        source=source,
        content_hash=content_hash or hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _front_matter(lines: list[str]) -> tuple[str | None, str | None, int]:
    """A leading markdown title and "By" / author block, as in an exported page."""
    title = author = None
    i = 0
    nonblank = [(n, _clean(s)) for n, s in enumerate(lines) if s.strip()]
    if nonblank and (m := _MD_HEADING.match(nonblank[0][1])):
        title, i = m.group(1).strip(), nonblank[0][0] + 1
        rest = [(n, s) for n, s in nonblank[1:3]]
        if rest and (b := _BYLINE.match(rest[0][1])):
            if b.group("name"):
                if _looks_like_name(b.group("name")):  # not "By the end of the year, ..."
                    author, i = b.group("name").strip(), rest[0][0] + 1
            elif len(rest) > 1 and len(rest[1][1].split()) <= 5:
                author, i = rest[1][1], rest[1][0] + 1
    return title, author, i


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 6 and words[0][:1].isupper() and not re.search(r"[.,;:!?]$", text)


def _title_from(text: str, words: int = 10) -> str:
    head = text.split(". ")[0].split()
    return " ".join(head[:words]) + ("…" if len(head) > words else "")


def load_catalog(folder: Path) -> dict[str, dict[str, object]]:
    """Catalog entries keyed by file name; a folder without a catalog is fine.

    Every [[article]] must be a table with a string `file`; `id`, `title`, `author`,
    `outlet` and `genre` are optional strings and `title_assigned` an optional boolean. Other keys
    are allowed (and ignored). Errors name the catalog, the entry (1-based) and the field.
    """
    path = folder / CATALOG_NAME
    if not os.path.lexists(path):
        return {}
    try:
        data = tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise CorpusError(f"{path}: invalid TOML ({exc})") from exc
    entries = data.get("article", [])
    if not isinstance(entries, list):
        raise CorpusError(
            f"{path}: `article` must be a list of [[article]] tables, not "
            f"{type(entries).__name__}; write each entry under its own [[article]] line"
        )
    catalog: dict[str, dict[str, object]] = {}
    first: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: [[article]] entry {number}"
        if not isinstance(entry, dict):
            raise CorpusError(
                f"{where} is {type(entry).__name__}, not a table; write it as an "
                "[[article]] line followed by key = value lines"
            )
        for key, (kind, how) in _CATALOG_FIELDS.items():
            if key not in entry:
                if key == "file":
                    raise CorpusError(
                        f"{where} has no `file` field; add the article's file name "
                        f"({how}) or delete the entry"
                    )
                continue
            value = entry[key]
            if not isinstance(value, kind):
                raise CorpusError(
                    f"{where}: field `{key}` is {type(value).__name__} {value!r}; it must be {how}"
                )
        name = entry["file"]
        assert isinstance(name, str)
        if not name.strip():
            raise CorpusError(
                f"{where}: field `file` is empty; give the article's file name "
                f"({_CATALOG_FIELDS['file'][1]}) or delete the entry"
            )
        if name in catalog:
            raise CorpusError(
                f"{where}: field `file` {name!r} is also used by entry {first[name]}; "
                "keep one entry per file and delete the other"
            )
        first[name] = number
        catalog[name] = entry
    return catalog


def load_article(path: Path, catalog: dict[str, dict[str, object]] | None = None) -> Article:
    entry = (catalog or {}).get(path.name, {})
    article_id = str(entry.get("id") or path.stem.split("_")[0])

    def opt(key: str) -> str | None:
        value = entry.get(key)
        return str(value) if value else None

    document = read_document(path)
    return parse_article(
        document.text,
        article_id,
        title=opt("title"),
        title_assigned=bool(entry.get("title_assigned", False)),
        author=opt("author"),
        outlet=opt("outlet"),
        genre=opt("genre"),
        source=str(path),
        caption_lines=document.caption_lines,
        content_hash=document.content_hash,
    )


def iter_articles(folder: Path) -> Iterator[Article]:
    """Articles one at a time, so a large folder is never held in memory at once."""
    catalog = load_catalog(folder)
    seen: dict[str, Path] = {}
    for path in article_files(folder):
        article = load_article(path, catalog)
        if article.id in seen:
            raise CorpusError(
                f"{path}: article id {article.id!r} is also used by {seen[article.id]}"
            )
        seen[article.id] = path
        yield article


def load_corpus(folder: Path) -> list[Article]:
    return list(iter_articles(folder))
