"""Every article file format, read into the plain text that `parse_article` reads.

This module owns the files: which ones in a folder are articles (`article_files`,
regular files only, hidden and editor temporary files skipped with a warning), how
bytes are read without ever hanging on a FIFO (`read_bytes`), and one reader per
format. .txt/.md are UTF-8 text already; .html/.htm and .pdf are rendered as the
.txt/.md export would look: a "# Title" line,
one line per block, "## Heading" lines, so the numbering, caption and section rules
stay in one place (rag/corpus.py). What text cannot say, the reader says beside it:
which lines are figure captions. bs4 and pypdf are imported only when such a file
is read.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import os
import re
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rag.errors import CorpusError

if TYPE_CHECKING:
    from bs4 import Tag

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
_TEXT_SUFFIXES = (".txt", ".md")
# Editor backups, swap and lock files ("x.txt~", "x.txt.swp", ".#x.txt") are never articles.
_TEMP_ENDINGS = ("~", ".swp", ".swo", ".swx", ".tmp")


@dataclass(frozen=True)
class Document:
    """An article file rendered as plain text, with the hash of the file's bytes."""

    text: str
    content_hash: str
    caption_lines: frozenset[int] = frozenset()  # indices into text.splitlines()


def read_document(path: Path) -> Document:
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        text = read_text(path)
        return Document(text, _digest(text.encode("utf-8")))
    if suffix in (".html", ".htm"):
        return read_html(path)
    if suffix == ".pdf":
        return read_pdf(path)
    raise CorpusError(f"{path}: unsupported file type {suffix!r}")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- files and bytes ------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    """The bytes of a regular file. Opened non-blocking and checked before reading, so
    a FIFO or device that took the file's place never hangs the caller."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise CorpusError(
                f"{path}: is {_kind(mode)}, not a regular file; replace it with a file or remove it"
            )
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    finally:
        if fd >= 0:
            os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_text(path: Path) -> str:
    """Read a UTF-8 file, turning every failure into a CorpusError that names it."""
    data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: not valid UTF-8 (byte {exc.start}); re-save it as UTF-8 "
            "(e.g. `iconv -f latin1 -t utf-8`)"
        ) from exc
    if not text.strip():
        raise CorpusError(f"{path}: the file is empty; add text or remove it")
    return text


def _skipped_name(name: str) -> bool:
    """Hidden files and editor backup, swap and lock files."""
    return name.startswith((".", "~")) or name.lower().endswith(_TEMP_ENDINGS)


def _looks_like_article(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(SUPPORTED_SUFFIXES):
        return True
    # an editor's file for an article ("x.txt~", ".x.txt.swp") is worth a warning
    return _skipped_name(name) and any(s in lower for s in SUPPORTED_SUFFIXES)


def _article_file(path: Path) -> bool:
    """Whether `path` is an article file to read; warns about (and skips) hidden and
    editor temporary files, dangling symlinks and anything that isn't a regular file.
    Nothing here opens the file, so a FIFO can never hang the caller."""
    if _skipped_name(path.name):
        log.warning("%s: skipped (a hidden or editor temporary/lock file)", path)
        return False
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            mode = os.stat(path).st_mode  # the target; a symlink to a regular file is fine
    except OSError as exc:
        if os.path.islink(path):
            log.warning("%s: skipped (a symbolic link to a missing file)", path)
        else:
            log.warning("%s: skipped (cannot be examined: %s)", path, exc.strerror or exc)
        return False
    if not stat.S_ISREG(mode):
        log.warning("%s: skipped (%s, not a regular file)", path, _kind(mode))
        return False
    return True


def article_files(folder: Path) -> list[Path]:
    """The article files under `folder` (hidden folders excluded), regular files only."""
    if not folder.is_dir():
        raise CorpusError(f"{folder}: no such folder of articles (set RAG_SEEDS_DIR)")
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for name in files:
            if _looks_like_article(name) and _article_file(base / name):
                found.append(base / name)
        for name in dirs:
            if name.lower().endswith(SUPPORTED_SUFFIXES):
                log.warning(
                    "%s: a folder, not an article file; only the files inside it are read",
                    base / name,
                )
    return sorted(found)


# --- HTML -------------------------------------------------------------------------

# Page furniture, never article text. A <header> inside <article>/<main> holds the
# headline and byline, so only the page's own header is dropped.
_DROP = (
    "script", "style", "noscript", "template", "nav", "aside", "footer", "form",
    "button", "select", "textarea", "iframe", "object", "svg", "canvas", "audio", "video",
)  # fmt: skip
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
_BLOCKS = _HEADINGS | {
    "address", "article", "blockquote", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "header", "hgroup", "hr", "li", "main", "ol", "p",
    "pre", "section", "summary", "table", "tr", "ul",
}  # fmt: skip


def _decode_html(path: Path, data: bytes) -> str:
    """Use a byte-order mark, else the declared charset, else UTF-8; never a guess.

    bs4's statistical fallback reads a Latin-1 "Café" as windows-1250 and binary
    noise as mac_iceland, so an undeclared non-UTF-8 file is refused like a .txt one.
    """
    from bs4.dammit import EncodingDetector

    data, bom = EncodingDetector.strip_byte_order_mark(data)
    label = bom or EncodingDetector.find_declared_encoding(data, is_html=True)
    if label is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CorpusError(
                f"{path}: not valid UTF-8 (byte {exc.start}) and no charset is declared; "
                'add <meta charset="..."> naming its encoding or re-save it as UTF-8 '
                "(e.g. `iconv -f latin1 -t utf-8`)"
            ) from exc
    try:
        codec = codecs.lookup(label).name
    except LookupError as exc:
        raise CorpusError(
            f"{path}: declares an unknown charset {label!r}; fix its <meta charset> "
            "or re-save it as UTF-8"
        ) from exc
    if codec == "iso8859-1":
        codec = "cp1252"  # as browsers read it (WHATWG Encoding): curly quotes live here
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path}: not valid {label} as it declares (byte {exc.start}); fix its "
            "<meta charset> or re-save it as UTF-8"
        ) from exc


class _Lines:
    """Collects rendered lines; text between two block boundaries is one line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.captions: set[int] = set()
        self._buffer: list[str] = []
        self._mode = "body"

    def text(self, text: str, mode: str) -> None:
        self._buffer.append(text)
        self._mode = mode

    def flush(self) -> None:
        line = " ".join("".join(self._buffer).split())
        self._buffer.clear()
        if not line:
            return
        if self._mode == "heading":
            line = f"## {line}"
        elif self._mode == "note":
            line = f"*{line}*"
        elif self._mode == "caption":
            self.captions.add(len(self.lines))
        self.lines.extend((line, ""))


def _mode(tag: Tag, mode: str) -> str:
    from bs4 import NavigableString

    if tag.name in _HEADINGS:
        return "heading"
    if tag.name == "figcaption":
        return "caption"
    if tag.name == "p" and mode == "body":
        # A paragraph set wholly in italics is markdown's *note* (an author bio).
        parts = [c for c in tag.contents if not (isinstance(c, NavigableString) and not c.strip())]
        if len(parts) == 1 and getattr(parts[0], "name", None) in ("em", "i"):
            return "note"
    return mode


def _render(root: Tag, out: _Lines) -> None:
    """Walk the tree without recursion (deeply nested markup is common in exports)."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    stack: list[tuple[object, str]] = [(child, "body") for child in reversed(root.contents)]
    while stack:
        node, mode = stack.pop()
        if node is None:  # the end of a block
            out.flush()
        elif isinstance(node, Tag):
            if node.name == "br":  # a line break, except inside a heading
                if mode == "heading":
                    out.text(" ", mode)
                else:
                    out.flush()
                continue
            inner = _mode(node, mode)
            if node.name in _BLOCKS:
                out.flush()
                stack.append((None, inner))
            elif node.name in ("td", "th"):
                out.text(" ", mode)
            stack.extend((child, inner) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            out.text(str(node), mode)  # comments, doctypes and CDATA are PreformattedString


def read_html(path: Path) -> Document:
    from bs4 import BeautifulSoup

    data = read_bytes(path)
    soup = BeautifulSoup(_decode_html(path, data), "html.parser")
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all("header"):
        if tag.find_parent(("article", "main")) is None:
            tag.decompose()

    # One <article> (or <main>) is the story; the rest of the page is related links.
    articles, mains = soup.find_all("article"), soup.find_all("main")
    root = articles[0] if len(articles) == 1 else mains[0] if len(mains) == 1 else None
    root = root or soup.body or soup

    title = None
    if heading := (root.find("h1") or soup.find("h1")):
        title = " ".join(heading.get_text().split())
        heading.decompose()
    if not title and soup.title:
        title = " ".join(soup.title.get_text().split())

    out = _Lines()
    if title:
        out.lines.extend((f"# {title}", ""))
    _render(root, out)
    out.flush()
    return Document("\n".join(out.lines), _digest(data), frozenset(out.captions))


# --- PDF --------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
# A word split at a line end: "rela-\ntions". Only letters + lower case lose the
# hyphen; "Pakistan-\nUS" and "2019-\n2020" keep it and just lose the break.
_LINE_END_HYPHEN = re.compile(r"(\S)-\n(?=(\w))")
_EDGE = 2  # running headers/footers sit in the first or last two lines of a page


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _strip_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines that open or close at least half of the pages."""
    counts: Counter[str] = Counter()
    if len(pages) > 1:
        for lines in pages:
            counts.update({_key(line) for line in lines[:_EDGE] + lines[-_EDGE:]})
    running = {k for k, n in counts.items() if n >= max(2, (len(pages) + 1) // 2)}

    def furniture(i: int, line: str, n: int) -> bool:
        at_edge = i < _EDGE or i >= n - _EDGE
        return at_edge and (_key(line) in running or bool(_PAGE_NUMBER.match(line)))

    return [
        [line for i, line in enumerate(lines) if not furniture(i, line, len(lines))]
        for lines in pages
    ]


def _dehyphenate(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    return before if before.isalpha() and after.islower() else f"{before}-"


def read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    data = read_bytes(path)
    encrypted = (
        f"{path}: the PDF is encrypted; save an unencrypted copy "
        "(e.g. `qpdf --decrypt in.pdf out.pdf`) or the article's text as .txt"
    )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise CorpusError(encrypted)
        texts = [page.extract_text() or "" for page in reader.pages]
    except CorpusError:
        raise
    except (DependencyError, FileNotDecryptedError) as exc:
        raise CorpusError(f"{encrypted} ({exc})") from exc
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise CorpusError(
            f"{path}: not a readable PDF ({type(exc).__name__}: {exc}); "
            "re-download or re-export it, or save the article's text as .txt"
        ) from exc
    if not any(text.strip() for text in texts):
        raise CorpusError(
            f"{path}: the PDF has no text layer (scanned pages or images); run OCR "
            "(e.g. `ocrmypdf in.pdf out.pdf`) or save the article's text as .txt"
        )
    pages = [[s for line in text.splitlines() if (s := line.strip())] for text in texts]
    text = "\n".join(line for lines in _strip_running_lines(pages) for line in lines)
    text = text.replace("\u00ad\n", "").replace("\u00ad", "")  # soft hyphens
    return Document(_LINE_END_HYPHEN.sub(_dehyphenate, text), _digest(data))
