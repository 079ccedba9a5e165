"""The PDF step's own logic, without a browser: stable bytes, the manifest's PDF entries,
what a skipped PDF step does, the running head's CSS string and the landing page's sizes.
(The PDFs themselves, printed by Chromium, are checked in test_browser.py.)"""

from __future__ import annotations

import io
import json
import re

from report_utils import pdf
from report_utils.cache import Manifest
from report_utils.export import css_string
from report_utils.landing import file_size
from report_utils.settings import Settings

CHROMIUM_LIKE = (
    b"%PDF-1.4\n1 0 obj\n<</Title (T)\n/Producer (Skia/PDF m156)\n"
    b"/CreationDate (D:20261123183054+00'00')\n/ModDate (D:20261123183054+00'00')>>\nendobj\n"
    b"2 0 obj\n<</Type /StructElem\n/S /H2\n/ID (node00004099)>>\nendobj\n"
    b"3 0 obj\n<</Type /StructElem\n/S /P\n/ID (node00004083)>>\nendobj\n"
    b"4 0 obj\n<</Length 20>> stream\n(node00000042) x y z\nendstream\nendobj\n"
    b"5 0 obj\n<</Names [(node00004083) 3 0 R (node00004099) 2 0 R]>>\nendobj\n"
)


def test_stabilise_blanks_the_dates_and_renumbers_node_ids_in_order_keeping_every_offset():
    out = pdf.stabilise(CHROMIUM_LIKE)
    assert len(out) == len(CHROMIUM_LIKE)  # the cross-reference table stays valid
    assert b"CreationDate" not in out and b"ModDate" not in out and b"D:2026" not in out
    assert b"/S /H2\n/ID (node00000001)" in out and b"/S /P\n/ID (node00000000)" in out
    assert b"[(node00000000) 3 0 R (node00000001) 2 0 R]" in out  # the ID tree stays sorted
    assert b"stream\n(node00000042) x y z\nendstream" in out  # stream data is never touched
    later = CHROMIUM_LIKE.replace(b"4099", b"5123").replace(b"4083", b"5107")
    later = later.replace(b"183054", b"190211")  # printed again, in another browser session
    assert pdf.stabilise(later) == out


def test_deduplicate_leaves_a_pdf_without_repeated_images_as_it_is():
    assert pdf.deduplicate(CHROMIUM_LIKE) is CHROMIUM_LIKE


def test_manifest_keeps_a_pdf_fresh_for_its_key_and_matching_for_its_html(tmp_path):
    path = tmp_path / "SOF.pdf"
    path.write_bytes(b"%PDF 1")
    manifest = Manifest(tmp_path / "manifest.json")
    manifest.record_pdf("SOF", 2026, "key-1", "html-1", path)
    manifest.save()
    again = Manifest(tmp_path / "manifest.json")
    assert again.pdf_is_fresh("SOF", 2026, "key-1", path)
    assert not again.pdf_is_fresh("SOF", 2026, "key-2", path)  # new printer or new HTML
    assert again.pdf_matches("SOF", 2026, "html-1", path)
    assert not again.pdf_matches("SOF", 2026, "html-2", path)
    path.write_bytes(b"%PDF cut")  # replaced by something else: neither
    assert not again.pdf_is_fresh("SOF", 2026, "key-1", path)
    assert not again.pdf_matches("SOF", 2026, "html-1", path)


def test_a_forgotten_pdf_is_neither_fresh_nor_matching_and_the_others_stay(tmp_path):
    """``forget_pdf`` (a PDF removed or failed) drops that report's entry and only that one,
    in memory and in the saved manifest; entries a newer program cannot read are ignored."""
    sof, vof = tmp_path / "SOF.pdf", tmp_path / "VOF.pdf"
    for path in (sof, vof):
        path.write_bytes(b"%PDF 1")
    manifest = Manifest(tmp_path / "manifest.json")
    manifest.record_pdf("SOF", 2026, "key", "html", sof)
    manifest.record_pdf("VOF", 2026, "key", "html", vof)
    manifest.forget_pdf("SOF", 2026)
    manifest.forget_pdf("AMF", 2019)  # never printed: nothing to forget, no error
    manifest.save()
    for m in (manifest, Manifest(tmp_path / "manifest.json")):
        assert not m.pdf_is_fresh("SOF", 2026, "key", sof)
        assert not m.pdf_matches("SOF", 2026, "html", sof)
        assert m.pdf_is_fresh("VOF", 2026, "key", vof) and m.pdf_matches("VOF", 2026, "html", vof)
    stored = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert list(stored["pdfs"]) == ["2026/VOF"]
    stored["pdfs"]["2026/VOF"] = {"key": "key"}  # a broken entry: no html, no size
    (tmp_path / "manifest.json").write_text(json.dumps(stored), "utf-8")
    assert not Manifest(tmp_path / "manifest.json").pdf_is_fresh("VOF", 2026, "key", vof)


def test_with_pdfs_off_an_outdated_pdf_is_removed_and_a_matching_one_kept(tmp_path):
    settings = Settings(out_dir=tmp_path, pdf=False)
    jobs = pdf.plan(settings, [("AMF", 2018), ("VOF", 2018)])
    manifest = Manifest(tmp_path / "manifest.json")
    for job in jobs:
        job.html.parent.mkdir(parents=True, exist_ok=True)
        job.html.write_text(f"<p>{job.department}</p>", "utf-8")
        job.pdf.parent.mkdir(parents=True, exist_ok=True)
        job.pdf.write_bytes(b"%PDF")
        manifest.record_pdf(job.department, job.year, "old", pdf.html_digest(job), job.pdf)
    jobs[0].html.write_text("<p>AMF, ändrad</p>", "utf-8")  # its PDF shows the old text
    stream = io.StringIO()
    result = pdf.run(settings, jobs, manifest, False, stream)
    assert result.skipped == "--no-pdf" and not result.outcomes
    assert not jobs[0].pdf.exists() and jobs[1].pdf.exists()
    assert stream.getvalue() == ""  # --no-pdf is the user's choice: nothing to explain


def test_the_running_head_is_a_safe_css_string():
    assert css_string("Socialförvaltningen – uppföljning 2026") == (
        "Socialförvaltningen – uppföljning 2026"
    )
    escaped = css_string('a"b\\c</style><script>\n')
    assert '"' not in escaped.replace('\\"', "") and "<" not in escaped
    assert escaped == 'a\\"b\\\\c\\3c /style>\\3c script>\\a '


def test_landing_page_sizes_read_as_swedish_readers_expect():
    nbsp = "\u00a0"
    assert file_size(640_000) == f"640{nbsp}kB"
    assert file_size(93_622) == f"94{nbsp}kB"
    assert file_size(400) == f"1{nbsp}kB"
    assert file_size(1_234_567) == f"1,2{nbsp}MB"
    assert re.fullmatch(r"\d+(,\d)?\xa0(kB|MB)", file_size(999_700))
