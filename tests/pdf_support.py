"""Reading a printed report back with pypdf: what a PDF reader and a screen reader get.

:func:`inspect` gathers, for one PDF, what the tests assert on: page count and size, the
catalogue (tagged, structure tree, language, title), the bookmarks, the running head and
foot of every page, and — from the structure tree — the pages that end with a heading and
the table rows that run over two pages.

How a page's layout is read from the structure tree: every piece of tagged content is a
marked-content sequence (a page and an MCID) hanging under a structure element (``/H2``,
``/TR``, ``/TD`` …). Walked in document order, the last sequence on a page is the last
thing a reader sees there; if it belongs to a heading, the heading was left at the foot of
the page. A row whose sequences lie on two pages was split.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MM_PER_PT = 25.4 / 72
HEADINGS = {f"/H{n}" for n in range(1, 7)} | {"/H"}


@dataclass
class PdfFacts:
    path: Path
    size: int  # bytes
    pages: int
    page_sizes_mm: list[tuple[float, float]]
    marked: bool  # /MarkInfo /Marked true
    struct_tree: bool
    lang: str | None
    title: str | None
    outline: list[str]  # bookmark titles, depth first
    furniture: list[str]  # each page's running head and foot, as text
    uris: list[str] = field(default_factory=list)  # every link that leaves the document
    tags: Counter = field(default_factory=Counter)  # structure element types
    stranded: list[tuple[int, str]] = field(default_factory=list)  # (page, heading type)
    split_rows: list[tuple[int, int]] = field(default_factory=list)  # (first page, last page)


def inspect(path: Path) -> PdfFacts:
    from pypdf import PdfReader

    reader = PdfReader(path)
    root = reader.trailer["/Root"]
    info = reader.metadata or {}
    sizes = [
        (round(float(p.mediabox.width) * MM_PER_PT, 1), round(float(p.mediabox.height) * MM_PER_PT))
        for p in reader.pages
    ]
    mark = root.get("/MarkInfo")
    facts = PdfFacts(
        path=Path(path),
        size=Path(path).stat().st_size,
        pages=len(reader.pages),
        page_sizes_mm=sizes,
        marked=bool(mark and mark.get_object().get("/Marked")),
        struct_tree="/StructTreeRoot" in root,
        lang=str(root["/Lang"]) if "/Lang" in root else None,
        title=str(info.get("/Title")) if info.get("/Title") else None,
        outline=_outline_titles(reader.outline),
        furniture=[_furniture(reader, page) for page in reader.pages],
        uris=[
            str(action["/URI"])
            for page in reader.pages
            for annot in page.get("/Annots") or []
            if (action := annot.get_object().get("/A")) is not None and "/URI" in action
        ],
    )
    if facts.struct_tree:
        _layout_from_structure(reader, root["/StructTreeRoot"].get_object(), facts)
    return facts


def _outline_titles(items) -> list[str]:
    titles = []
    for item in items:
        if isinstance(item, list):
            titles += _outline_titles(item)
        else:
            titles.append(str(item.title))
    return titles


def _furniture(reader, page) -> str:
    """The page's untagged text: what is drawn before its first and after its last tagged
    content — the running head and foot (CSS page-margin boxes, or Chromium's header and
    footer), which are not part of the structure tree. Reading only those parts of the
    content stream takes a hundredth of the time of extracting the whole page's text.
    Falls back to the whole page's text if the page has no tagged content."""
    contents = page.get_contents()
    data = contents.get_data() if contents is not None else b""
    first, last = _MARKED.search(data), data.rfind(b"EMC")
    if first is None or last < 0:
        return re.sub(r"\s+", " ", page.extract_text()).strip()
    parts = [_text(reader, page, data[: first.start()]), _text(reader, page, data[last + 3 :])]
    return " ".join(p for p in parts if p)


_MARKED = re.compile(rb"/[A-Za-z0-9]+\s*<<[^>]*>>\s*BDC")  # "/NonStruct <</MCID 0 >>BDC"


def _text(reader, page, content: bytes) -> str:
    from pypdf import PageObject
    from pypdf.generic import DecodedStreamObject, NameObject

    part = PageObject(pdf=reader)
    part[NameObject("/Resources")] = page["/Resources"]
    part[NameObject("/MediaBox")] = page["/MediaBox"]
    stream = DecodedStreamObject()
    stream.set_data(content)
    part.replace_contents(stream)
    return re.sub(r"\s+", " ", part.extract_text()).strip()


def _layout_from_structure(reader, tree, facts: PdfFacts) -> None:
    from pypdf.generic import ArrayObject, DictionaryObject

    page_no = {page.indirect_reference.idnum: i + 1 for i, page in enumerate(reader.pages)}
    order: list[tuple[int, tuple, dict | None]] = []  # (page, ancestors, row) per sequence
    rows: list[dict] = []  # per /TR: its table, place in it, pages, whether all cells are TH
    tables = [0]

    def walk(node, page, ancestors, row) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, int) or (
            isinstance(node, DictionaryObject) and node.get("/Type") == "/MCR"
        ):
            if isinstance(node, DictionaryObject) and "/Pg" in node:
                page = page_no.get(node.raw_get("/Pg").idnum, page)
            order.append((page, ancestors, row))
            if row is not None:
                row["pages"].add(page)
            return
        if not isinstance(node, DictionaryObject) or node.get("/Type") == "/OBJR":
            return
        if "/Pg" in node:
            page = page_no.get(node.raw_get("/Pg").idnum, page)
        tag = str(node.get("/S", ""))
        facts.tags[tag] += 1
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids if isinstance(kids, ArrayObject) else [kids]
        if tag == "/Table":
            tables[0] += 1
        if tag == "/TR":
            cells = [k.get_object() for k in kids if hasattr(k, "get_object")]
            row = {
                "table": tables[0],
                "index": sum(r["table"] == tables[0] for r in rows),
                "header": bool(cells)
                and all(isinstance(c, DictionaryObject) and c.get("/S") == "/TH" for c in cells),
                "pages": set(),
            }
            rows.append(row)
        for kid in kids:
            walk(kid, page, (*ancestors, tag), row)

    walk(tree.get("/K"), None, (), None)
    last_row = {}
    for r in rows:
        last_row[r["table"]] = max(last_row.get(r["table"], 0), r["index"])
    last_on_page: dict[int, tuple] = {}
    for page, ancestors, row in order:
        if page is not None and not _table_decoration(ancestors):
            last_on_page[page] = (ancestors, row)
    for page, (ancestors, row) in sorted(last_on_page.items()):
        if page >= facts.pages:
            continue
        heading = next((t for t in ancestors if t in HEADINGS or t == "/Caption"), None)
        if heading:
            facts.stranded.append((page, heading))
        elif row is not None and row["header"] and row["index"] < last_row[row["table"]]:
            # a header row, or a group's heading row, whose rows follow on the next page
            facts.stranded.append((page, "/TR of /TH"))
    for r in rows:
        # a table's header row is repeated at the top of every page it runs over
        if len(r["pages"]) > 1 and not (r["header"] and r["index"] == 0):
            facts.split_rows.append((min(r["pages"]), max(r["pages"])))


def _table_decoration(ancestors: tuple) -> bool:
    """Content of a table outside its rows and caption (the row group's own painting):
    not what a reader sees last on a page."""
    if "/Table" not in ancestors:
        return False
    inner = ancestors[len(ancestors) - 1 - ancestors[::-1].index("/Table") :]
    return "/TR" not in inner and "/Caption" not in inner
