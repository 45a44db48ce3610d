"""`cchc pdf`: the printed documents, checked on the PDFs themselves.

The embedded content is printed once per test session (``cchc pdf`` through the
CLI) and every geometric, textual and metadata check reads those files with
poppler (word boxes, fonts, rasters) and pypdf (metadata, images, text runs).
Other contents (QR code, hostile or oversized workbooks) are small copies made
in temporary folders. Units: PDF points, 1 mm = 72/25.4 pt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import stat
import time
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator import commands
from generator.cli import main
from generator.pdf import PdfError, PrintSettings, chromium_path, print_documents, render_html

from . import pdf_tools as pt
from .workbooks import CLEAN_ROWS, appendix

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
TODAY = dt.date(2022, 11, 1)
VN = dt.timezone(dt.timedelta(hours=7))
GOLDEN = Path(__file__).resolve().parent / "golden" / "pdf" / "chi-so-cchc-p1-40dpi.pgm"

PLAN = "ke-hoach-quang-dien-2022-phan-cong.pdf"
UNIT = "don-vi-phong-noi-vu.pdf"
SCORES = "chi-so-cchc.pdf"
TTHC = "tien-do-tthc.pdf"
PLAN_TITLE = ("Phân công triển khai các nhiệm vụ và chuẩn bị các tài liệu kiểm chứng phục vụ công tác chấm điểm "
              "Chỉ số Cải cách hành chính năm 2022")
ISSUER = "UBND huyện Quảng Điền"
SITE_URL = "https://congkhai-caicachhanhchinh.quangdien.thuathienhue.gov.vn/cong-khai/"  # long: a big code
PLAN_HEADER = "TT Lĩnh vực/Tiêu chí/Tiêu chí thành Sản phẩm đầu ra Cơ quan chủ trì"  # its first line at 13 pt
FOOTER = re.compile(r"Bản in từ dữ liệu cập nhật ngày (\d\d/\d\d/\d{4} \d\d:\d\d) · SHA-256 ([0-9a-f]{12})")
SMALL_SITE = f'site_name: "Thử in"\nissuer: "{ISSUER}"\nplace: "Quảng Điền"\nunits: units.yml\nsheets: sheets\n'
HOSTILE_TITLE = "<script>alert(1)</script> {{ 7*7 }}: 0,5đ"


# --- helpers -----------------------------------------------------------------------------------------------

def cli(*args: str):
    return CliRunner().invoke(main, list(args))


def render(content: Path, out: Path, what: str = "all") -> dict[str, Path]:
    written = commands.pdf(content, out, what=what, today=TODAY)
    return {p.name: p for p in written}


@cache
def pages_of(pdf: Path) -> tuple[pt.Page, ...]:
    return tuple(pt.pages(pdf))


def all_text(pdf: Path) -> str:
    return " ".join(p.text() for p in pages_of(pdf))


def column_centre(page: pt.Page) -> float:
    return pt.LEFT + (page.width - pt.LEFT - pt.RIGHT) / 2


def small_content(folder: Path, rows, **kwargs) -> Path:
    """A content folder without sources: site.yml, the embedded units.yml, one workbook in sheets/."""
    (folder / "sheets").mkdir(parents=True)
    shutil.copy(CONTENT / "units.yml", folder / "units.yml")
    (folder / "site.yml").write_text(SMALL_SITE, encoding="utf-8")
    appendix(folder / "sheets" / "phu-luc.xlsx", rows, **kwargs)
    return folder


def workbook_digest(files: dict[str, bytes]) -> str:
    """SHA-256 over (name, SHA-256 of the bytes) of each workbook, independently of generator.pdf."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return digest.hexdigest()


def embedded_data_time(*stems: str) -> dt.datetime:
    """When the embedded data was last changed, from the sync metadata (content/sheets/*.meta.json):
    of the workbooks named by ``stems``, or of all of them."""
    times = []
    for meta in (CONTENT / "sheets").glob("*.meta.json"):
        if stems and meta.name.removesuffix(".meta.json") not in stems:
            continue
        data = json.loads(meta.read_text(encoding="utf-8"))
        value = data.get("modified_time") or data.get("fetched_at")
        times.append(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
    assert times, "the embedded content has no sync metadata"
    return max(times)


class machine_time_zone:
    """Run a block as if the machine's local time zone were ``tz`` (a POSIX TZ string)."""

    def __init__(self, tz: str):
        self.tz = tz

    def __enter__(self):
        self.old = os.environ.get("TZ")
        os.environ["TZ"] = self.tz
        time.tzset()

    def __exit__(self, *exc):
        if self.old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = self.old
        time.tzset()


# --- fixtures ----------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def embedded(tmp_path_factory) -> dict[str, Path]:
    """Every PDF of the embedded content, printed once through `cchc pdf`."""
    out = tmp_path_factory.mktemp("pdf-embedded")
    result = cli("pdf", "--content", str(CONTENT), "--out", str(out), "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    files = {p.name: p for p in out.glob("*.pdf")}
    assert len(files) == 54 and "kiem-tra-cchc.pdf" in files, sorted(files)  # with the inspection report
    return files


@pytest.fixture(scope="session")
def with_qr(tmp_path_factory) -> dict[str, Path]:
    """The scores (portrait) and TTHC (landscape) reports of a copy of the content that has a site_url."""
    root = tmp_path_factory.mktemp("pdf-qr")
    content = root / "content"
    shutil.copytree(CONTENT, content)
    site = content / "site.yml"
    text = site.read_text(encoding="utf-8")
    assert not re.search(r"^site_url\s*:", text, re.M), "content/site.yml already has a site_url"
    site.write_text(text.rstrip("\n") + f"\nsite_url: {SITE_URL}\n", encoding="utf-8")
    files = render(content, root / "out", "scores")
    files.update(render(content, root / "out", "tthc"))
    return files


OLD_DATA = dt.datetime(2022, 3, 10, 10, 30, tzinfo=VN)
LONG_TOKENS = [f"k{i:04d}" for i in range(500)]


def oversized_rows() -> list[tuple]:
    """300 rows (sections of 9 tasks); task 3.2 has a 3000-character title."""
    rows: list[tuple] = []
    section = 0
    while len(rows) < 300:
        section += 1
        rows.append((str(section), f"Lĩnh vực số {section}: 10đ", None, None, None, None))
        for i in range(1, 10):
            if len(rows) >= 300:
                break
            title = f"Nhiệm vụ {section}.{i}: 1đ"
            if (section, i) == (3, 2):
                title = (" ".join(LONG_TOKENS) + " x")[:3000 - len(": 1đ")] + ": 1đ"
            rows.append((f"{section}.{i}", title, "Báo cáo", "Phòng Nội vụ" if i % 2 else "Phòng Tư pháp",
                         "UBND các xã, thị trấn", "Quý IV/2022"))
    return rows


@pytest.fixture(scope="session")
def oversized(tmp_path_factory) -> dict[str, Path]:
    """A workbook with no title block, 300 rows and a 3000-character cell, last changed on OLD_DATA."""
    root = tmp_path_factory.mktemp("pdf-oversized")
    content = small_content(root / "content", oversized_rows(), title=[])
    book = content / "sheets" / "phu-luc.xlsx"
    os.utime(book, (OLD_DATA.timestamp(), OLD_DATA.timestamp()))
    files = render(content, root / "out")
    files["_content"] = content
    return files


@pytest.fixture(scope="session")
def clean_and_hostile(tmp_path_factory) -> dict[str, Path]:
    """The same small appendix twice: as written, and with one cell rewritten to hostile text."""
    root = tmp_path_factory.mktemp("pdf-small")
    clean = small_content(root / "clean", CLEAN_ROWS)
    hostile = root / "hostile"
    shutil.copytree(clean, hostile)
    book = hostile / "sheets" / "phu-luc.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb.active
    cells = [c for row in ws.iter_rows() for c in row if c.value == "Ban hành kế hoạch CCHC: 0,5đ"]
    assert len(cells) == 1
    cells[0].value = HOSTILE_TITLE
    wb.save(book)
    return {"clean_content": clean, "hostile_content": hostile,
            "clean": render(clean, root / "clean-out", "plan")["ke-hoach-phu-luc.pdf"],
            "hostile": render(hostile, root / "hostile-out", "plan")["ke-hoach-phu-luc.pdf"]}


# --- 1. page size and orientation --------------------------------------------------------------------------

@pytest.mark.parametrize("name, landscape", [(PLAN, True), (TTHC, True), (UNIT, False), (SCORES, False),
                                             ("don-vi-xa-quang-an.pdf", False)])
def test_a4_and_orientation(embedded, name, landscape):
    reader = PdfReader(str(embedded[name]))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert page.get("/Rotate", 0) == 0
        expected = (pt.A4_LONG, pt.A4_SHORT) if landscape else (pt.A4_SHORT, pt.A4_LONG)
        assert width == pytest.approx(expected[0], abs=1) and height == pytest.approx(expected[1], abs=1), \
            (name, width, height)


def test_every_document_is_a4(embedded):
    for name, path in embedded.items():
        for page in PdfReader(str(path)).pages:
            short, long = sorted((float(page.mediabox.width), float(page.mediabox.height)))
            assert short == pytest.approx(pt.A4_SHORT, abs=1) and long == pytest.approx(pt.A4_LONG, abs=1), name


# --- 2. margins --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [PLAN, TTHC, UNIT, SCORES])
def test_text_sits_inside_the_decree_margins(embedded, name):
    pages = pages_of(embedded[name])
    body_left = []
    for page in pages:
        for w in page.words:
            # no word straddles a margin line: it is in the top margin, the bottom margin or the body
            assert w.y1 <= pt.TOP or w.y0 >= page.height - pt.BOTTOM or \
                (w.y0 >= pt.TOP - 0.5 and w.y1 <= page.height - pt.BOTTOM + 0.5), (page.number, w)
            assert w.x0 >= pt.LEFT - 1, (page.number, w)
            assert w.x1 <= page.width - pt.RIGHT + 1, (page.number, w)
            assert 0 <= w.y0 and w.y1 <= page.height
        body = page.body()
        assert body, f"page {page.number} has no body text"
        body_left.append(min(w.x0 for w in body))
        # the page number in the top 20 mm, the footer in the bottom 20 mm
        if page.number > 1:
            assert page.in_top_margin(), page.number
        assert page.in_bottom_margin(), page.number
    # the body starts at the 30 mm line (headings and paragraphs are flush with it)
    assert min(body_left) == pytest.approx(pt.LEFT, abs=1)


@pytest.mark.parametrize("name", [PLAN, TTHC, SCORES])
def test_ink_stays_inside_the_side_margins(embedded, name):
    """Rasterised at 72 dpi (1 px = 1 pt): table borders start at the 30 mm line and nothing reaches the
    right 15 mm; page 1 has nothing in the top margin."""
    rasters = pt.rasterize(embedded[name], 72)
    assert len(rasters) == len(pages_of(embedded[name]))
    lefts = []
    for index, gray in enumerate(rasters):
        x0, y0, x1, y1 = gray.ink_box()
        lefts.append(x0)
        assert x0 >= pt.LEFT - 1.5, (index + 1, x0)
        assert x1 <= gray.width - pt.RIGHT + 1, (index + 1, x1)
        if index == 0:
            assert y0 >= pt.TOP - 1, "page 1 has something in the top margin"
    # the data table's left border is on the 30 mm line
    assert min(lefts) == pytest.approx(pt.LEFT, abs=1.5)


# --- 3. page numbers ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [PLAN, UNIT])
def test_page_numbers_from_page_two_centred_in_the_top_margin(embedded, name):
    pages = pages_of(embedded[name])
    assert len(pages) >= 3
    assert pages[0].in_top_margin() == [], "page 1 must not show its number"
    for page in pages[1:]:
        top = page.in_top_margin()
        assert [w.text for w in top] == [str(page.number)], page.number
        number = top[0]
        # centred horizontally over the text column (CSS @top-center, like a centred Word header)
        assert number.cx == pytest.approx(column_centre(page), abs=1.5), (page.number, number)
        assert abs(number.cx - page.width / 2) < 25
        assert number.y0 >= 0 and number.y1 <= pt.TOP
        # 13 pt Liberation Serif: the box is ascent + descent = 1.107 em high
        assert number.y1 - number.y0 == pytest.approx(13 * 1.107, abs=0.3)


def test_page_two_and_three_numbers(embedded):
    pages = pages_of(embedded[PLAN])
    assert [w.text for w in pages[1].in_top_margin()] == ["2"]
    assert [w.text for w in pages[2].in_top_margin()] == ["3"]


# --- 4. repeated table header ------------------------------------------------------------------------------

def test_plan_table_header_repeats_on_every_page(embedded):
    pages = pages_of(embedded[PLAN])
    assert len(pages) > 2
    for page in pages[1:]:
        first = pt.lines(page.body())[0]
        assert first.startswith(PLAN_HEADER), (page.number, first)
    page2 = pt.lines(pages[1].body())
    assert "Lĩnh vực/Tiêu chí/Tiêu chí thành" in page2[0] and "Cơ quan chủ trì" in page2[0]
    assert page2[1].startswith("phần")  # the header's second line
    # the header band is a header, not a data row repeated: it appears once per page
    assert sum(line.startswith(PLAN_HEADER) for line in page2) == 1


# --- 5. Vietnamese text ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    (SCORES, ["UBND HUYỆN QUẢNG ĐIỀN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
              "Quảng Điền, ngày 01 tháng 11 năm 2022", "Kết quả Chỉ số cải cách hành chính",
              "Công tác chỉ đạo, điều hành CCHC"]),
    (UNIT, ["UBND HUYỆN QUẢNG ĐIỀN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Phòng Nội vụ",
            "DANH SÁCH NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH", "Ban hành kế hoạch CCHC"]),
    (PLAN, ["UBND HUYỆN QUẢNG ĐIỀN", "Độc lập - Tự do - Hạnh phúc", "Quảng Điền, ngày 01 tháng 11 năm 2022",
            "PHỤ LỤC", "Mức độ hoàn thành kế hoạch CCHC (1 điểm)",
            "Đảm bảo hoàn thành trên 90% các nhiệm vụ đã được đề ra tại Kế hoạch CCHC (Sản phẩm 1).",
            "Phòng Nội vụ"]),
])
def test_vietnamese_text_extracts_exactly_in_nfc(embedded, name, expected):
    pdf = embedded[name]
    poppler = pages_of(pdf)[0].text()
    pypdf_text = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    for text in (poppler, pypdf_text):
        assert text == pt.nfc(text)
        for phrase in expected:
            phrase = pt.nfc(phrase)
            assert phrase in text, (name, phrase)
    # text-transform: uppercase is applied by the browser, so the PDF holds the capitals themselves
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" not in poppler
    assert "UBND huyện Quảng Điền" not in poppler


def test_whole_documents_are_nfc(embedded):
    for name in (PLAN, UNIT, SCORES, TTHC):
        text = all_text(embedded[name])
        assert text == pt.nfc(text), name


def test_header_block_layout(embedded):
    """Issuer top-left, national title and motto top-right, place and date under them."""
    page = pages_of(embedded[SCORES])[0]
    width = page.width - pt.LEFT - pt.RIGHT
    split = pt.LEFT + 0.4 * width
    head = [w for w in page.body() if w.y0 < 130]
    left = " ".join(w.text for w in head if w.x1 <= split)
    right = pt.lines([w for w in head if w.x0 >= split])
    assert left == "UBND HUYỆN QUẢNG ĐIỀN"
    assert right[:3] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                         "Quảng Điền, ngày 01 tháng 11 năm 2022"]


# --- 6. fonts ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", [PLAN, TTHC, UNIT, SCORES])
def test_fonts_are_embedded_liberation_serif(embedded, name):
    rows = pt.fonts(embedded[name])
    assert rows
    for row in rows:
        assert row["emb"] == "yes", row
        assert re.fullmatch(r"[A-Z]{6}\+LiberationSerif(-Bold|-Italic|-BoldItalic)?", row["name"]), row
    reader = PdfReader(str(embedded[name]))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font


def test_font_faces_and_sizes(embedded):
    runs = {r.text: r for r in pt.text_runs(embedded[SCORES], 0)}
    assert runs["UBND HUYỆN QUẢNG ĐIỀN"].font == "LiberationSerif-Bold"
    assert runs["UBND HUYỆN QUẢNG ĐIỀN"].size == pytest.approx(12.5, abs=0.05)
    assert runs["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"].font == "LiberationSerif-Bold"
    assert runs["Độc lập - Tự do - Hạnh phúc"].size == pytest.approx(13, abs=0.05)
    date = runs["Quảng Điền, ngày 01 tháng 11 năm 2022"]
    assert (date.font, date.size) == ("LiberationSerif-Italic", pytest.approx(13, abs=0.05))
    cell = runs["Công tác chỉ đạo, điều hành CCHC"]
    assert (cell.font, cell.size) == ("LiberationSerif", pytest.approx(13, abs=0.05))  # tables too: 13 pt
    footer = next(r for r in runs.values() if r.text.startswith("Bản in từ dữ liệu"))
    assert footer.font == "LiberationSerif-Italic"


# --- 7. metadata -------------------------------------------------------------------------------------------

def test_metadata_title_author_dates(embedded):
    expected = {PLAN: (PLAN_TITLE, "UBND HUYỆN QUẢNG ĐIỀN", "quang-dien-2022-phan-cong"),  # the plan's own issuer
                UNIT: ("Phòng Nội vụ", ISSUER, "quang-dien-2022-phan-cong"),
                SCORES: ("Chỉ số cải cách hành chính", ISSUER, "quang-dien-2021-chi-so"),
                TTHC: ("Tiến độ giải quyết hồ sơ thủ tục hành chính", ISSUER, "tien-do-tthc")}
    for name, (title, author, source) in expected.items():
        meta = PdfReader(str(embedded[name])).metadata
        assert meta.title == title
        assert meta.author == author  # as the header block names it
        assert meta["/CreationDate"] == meta["/ModDate"]
        assert pt.pdf_date(meta["/CreationDate"]) == embedded_data_time(source)
        # the footer shows when the document's own data changed, in Vietnam time
        footer = FOOTER.search(all_text(embedded[name])).group(1)
        assert footer == embedded_data_time(source).astimezone(VN).strftime("%d/%m/%Y %H:%M")


def test_pdf_dates_come_from_old_data_not_from_now(oversized):
    meta = PdfReader(str(oversized["ke-hoach-phu-luc.pdf"])).metadata
    assert meta["/CreationDate"] == meta["/ModDate"]
    created = pt.pdf_date(meta["/CreationDate"])
    assert created == OLD_DATA
    assert created.date() != dt.date.today()
    # no title block: the sheet name is the title
    assert meta.title == "Phụ lục" and meta.author == ISSUER


def test_pdf_dates_are_the_data_time_whatever_the_machine_time_zone(tmp_path):
    """The sync metadata says the workbooks changed at 09:19:49+07:00. The PDF dates must name that
    instant on any machine, and the file must not depend on the machine's time zone (CI runs in UTC,
    clerks in Asia/Ho_Chi_Minh)."""
    expected = embedded_data_time("quang-dien-2021-chi-so")  # the scores PDF: its own workbook time
    got = {}
    for tz in ("UTC0", "ICT-7"):
        with machine_time_zone(tz):
            path = render(CONTENT, tmp_path / tz, "scores")[SCORES]
        got[tz] = (PdfReader(str(path)).metadata["/CreationDate"], path.read_bytes())
    dates = {tz: value[0] for tz, value in got.items()}
    assert all(pt.pdf_date(d) == expected for d in dates.values()), \
        f"data changed at {expected.isoformat()}, PDF CreationDate by machine time zone: {dates}"
    assert got["UTC0"][1] == got["ICT-7"][1]


# --- 8. reproducible bytes ---------------------------------------------------------------------------------

def test_same_data_gives_byte_identical_pdf(embedded, tmp_path):
    result = cli("pdf", "--content", str(CONTENT), "--out", str(tmp_path), "--what", "plan",
                 "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == [PLAN]
    first, second = embedded[PLAN].read_bytes(), (tmp_path / PLAN).read_bytes()
    assert first == second
    ident = PdfReader(str(tmp_path / PLAN)).trailer["/ID"]
    first_id, second_id = (getattr(v, "original_bytes", v) for v in ident)
    assert first_id == second_id and len(first_id) == 16


# --- 9. footer and data hash -------------------------------------------------------------------------------

def test_footer_on_every_page_of_every_document(embedded):
    for name, path in embedded.items():
        hashes = set()
        for page in pages_of(path):
            bottom = page.text(page.in_bottom_margin())
            m = FOOTER.fullmatch(bottom)
            assert m, (name, page.number, bottom)
            hashes.add(m.group(2))
        assert len(hashes) == 1, name


def footer_hash(pdf: Path) -> str:
    return FOOTER.search(all_text(pdf)).group(2)


def test_footer_hash_is_the_sha256_of_the_workbooks(embedded):
    sheets = CONTENT / "sheets"
    plan_hash = footer_hash(embedded[PLAN])
    scores_hash = footer_hash(embedded[SCORES])
    tthc_hash = footer_hash(embedded[TTHC])
    name = "sheets/quang-dien-2022-phan-cong.xlsx"
    assert plan_hash == workbook_digest({name: (sheets / Path(name).name).read_bytes()})[:12]
    name = "sheets/quang-dien-2021-chi-so.xlsx"
    assert scores_hash == workbook_digest({name: (sheets / Path(name).name).read_bytes()})[:12]
    assert len({plan_hash, scores_hash, tthc_hash}) == 3
    # a unit's tasks come from the plan workbook
    assert footer_hash(embedded[UNIT]) == plan_hash


def test_footer_hash_changes_when_one_cell_changes(clean_and_hostile):
    clean, hostile = footer_hash(clean_and_hostile["clean"]), footer_hash(clean_and_hostile["hostile"])
    assert clean != hostile
    for key, value in (("clean", clean), ("hostile", hostile)):
        book = clean_and_hostile[f"{key}_content"] / "sheets" / "phu-luc.xlsx"
        assert value == workbook_digest({"sheets/phu-luc.xlsx": book.read_bytes()})[:12]


# --- 10. QR code -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, page_url", [(SCORES, "chi-so-cchc/"), (TTHC, "tien-do-tthc/")])
def test_qr_code_in_the_bottom_right_margin_of_every_page(with_qr, name, page_url):
    import segno

    pdf = with_qr[name]
    reader = PdfReader(str(pdf))
    placements = pt.image_placements(pdf)
    assert len(placements) == len(reader.pages) >= 2
    expected = segno.make(SITE_URL + page_url, error="m")
    for page, images in zip(reader.pages, placements):
        width = float(page.mediabox.width)
        assert len(images) == 1, images
        qr = images[0]
        # inside the bottom 20 mm, in the right part of the text column, not past the right margin
        assert qr.y0 >= -0.5 and qr.y1 <= pt.BOTTOM + 0.5, qr
        assert qr.x1 <= width - pt.RIGHT + 1 and qr.x0 >= width / 2, qr
        assert qr.x1 - qr.x0 == pytest.approx(qr.y1 - qr.y0, abs=0.1) and qr.x1 - qr.x0 > 20
        # the picture is the QR code of the page's address (modules compared with segno's matrix)
        image = page["/Resources"]["/XObject"][qr.name].get_object()
        scale, border = 4, 1  # generator.pdf.qr_data_uri
        size = expected.symbol_size(scale=scale, border=border)
        assert (image["/Width"], image["/Height"]) == size
        data = image.get_data()
        channels = len(data) // (size[0] * size[1])
        modules = [[data[((border + r) * scale * size[0] + (border + c) * scale) * channels] < 128
                    for c in range(size[0] // scale - 2 * border)] for r in range(size[1] // scale - 2 * border)]
        assert modules == [[bool(v) for v in row] for row in expected.matrix]
    # the footer text stays left of the code
    for page, images in zip(pages_of(pdf), placements):
        qr_left = images[0].x0
        assert all(w.x1 < qr_left for w in page.in_bottom_margin())


@pytest.mark.parametrize("name", [SCORES, TTHC, PLAN, UNIT])
def test_no_qr_code_without_site_url(embedded, name):
    assert all(images == [] for images in pt.image_placements(embedded[name]))
    assert "cchc.example" not in all_text(embedded[name])


# --- 11. oversized and degenerate input --------------------------------------------------------------------

def test_oversized_plan_keeps_every_row_inside_the_margins(oversized):
    pdf = oversized["ke-hoach-phu-luc.pdf"]
    pages = pages_of(pdf)
    assert len(pages) >= 15
    for page in pages:
        assert page.width == pytest.approx(pt.A4_LONG, abs=1)
        for w in page.words:
            assert w.x0 >= pt.LEFT - 1 and w.x1 <= page.width - pt.RIGHT + 1, (page.number, w)
            assert w.y1 <= pt.TOP or w.y0 >= page.height - pt.BOTTOM or \
                (w.y0 >= pt.TOP - 0.5 and w.y1 <= page.height - pt.BOTTOM + 0.5), (page.number, w)
        if page.number > 1:
            assert [w.text for w in page.in_top_margin()] == [str(page.number)]
            assert pt.lines(page.body())[0].startswith(PLAN_HEADER), page.number
    for gray in pt.rasterize(pdf, 72):
        x0, _, x1, _ = gray.ink_box()
        assert x0 >= pt.LEFT - 1.5 and x1 <= gray.width - pt.RIGHT + 1


def test_oversized_plan_loses_no_row_and_no_word(oversized):
    pdf = oversized["ke-hoach-phu-luc.pdf"]
    pages = pages_of(pdf)
    rows = oversized_rows()
    tt_right = pt.LEFT + 0.07 * (pages[0].width - pt.LEFT - pt.RIGHT)  # the TT column is 7 % wide
    labels = [w.text for p in pages for w in p.body() if w.x1 < tt_right and w.text != "TT"]
    labels = [t for t in labels if t != "Nguồn:"]  # the closing note starts at the margin
    assert labels == [r[0] for r in rows], "every TT exactly once, in order"
    # every word of the 3000-character cell is printed exactly once, though it spans pages
    words = [w.text.rstrip(":") for p in pages for w in p.words if re.fullmatch(r"k\d{4}:?", w.text)]
    long_title = rows[[r[0] for r in rows].index("3.2")][1]
    assert words == re.findall(r"k\d{4}", long_title)
    assert len({p.number for p in pages for w in p.words if re.fullmatch(r"k\d{4}:?", w.text)}) >= 2


def test_oversized_plan_rows_are_never_split(oversized):
    """Each page holds whole rows: its TT labels, titles, products, leads, supports and deadlines
    add up to the same rows. Only the 3000-character title (taller than a page) runs on."""
    pages = pages_of(oversized["ke-hoach-phu-luc.pdf"])
    tt_right = pt.LEFT + 0.07 * (pages[0].width - pt.LEFT - pt.RIGHT)
    long_pages = [p.number for p in pages for w in p.words if re.fullmatch(r"k\d{4}:?", w.text)]
    starts: dict[int, int] = {}
    titles: dict[int, int] = {}
    for page in pages:
        for w in page.body():
            if re.fullmatch(r"\d+\.\d", w.text):
                target = starts if w.x1 < tt_right else titles
                target[page.number] = target.get(page.number, 0) + 1
    tasks = [r[0] for r in oversized_rows() if "." in r[0]]
    assert sum(starts.values()) == len(tasks)
    for page in pages:
        text = page.text(page.body())
        n = starts.get(page.number, 0)
        long_starts_here = page.number == long_pages[0]
        # the long row's title has no "3.2" in it
        assert titles.get(page.number, 0) == n - long_starts_here, page.number
        assert text.count("Quý IV/2022") == n, page.number
        assert text.count("UBND các xã, thị trấn") == n, page.number
        assert text.count("Phòng Nội vụ") + text.count("Phòng Tư pháp") == n, page.number
        assert text.count("Báo cáo") == n, page.number
    # the long row itself is taller than a page: it starts where its TT is and runs on
    assert len(set(long_pages)) >= 2 and long_pages == sorted(long_pages)


def test_plan_without_title_block_still_names_the_issuer(oversized):
    """Nghị định 30: the issuing body's name is printed top-left. A workbook without a title block
    has no issuer of its own; site.yml's issuer must be printed rather than nothing."""
    page = pages_of(oversized["ke-hoach-phu-luc.pdf"])[0]
    split = pt.LEFT + 0.4 * (page.width - pt.LEFT - pt.RIGHT)
    issuer = " ".join(w.text for w in page.body() if w.y0 < 100 and w.x1 <= split)
    assert issuer == "UBND HUYỆN QUẢNG ĐIỀN"


def test_unit_without_tasks_gets_a_pdf(oversized):
    pdf = oversized["don-vi-so-y-te.pdf"]
    pages = pages_of(pdf)
    assert len(pages) == 1
    text = pages[0].text()
    assert "Sở Y tế" in text
    assert "Đơn vị không chủ trì nhiệm vụ nào." in text
    assert "Đơn vị không phối hợp nhiệm vụ nào." in text
    assert FOOTER.search(text)
    # the units that do hold tasks list them
    noi_vu = all_text(oversized["don-vi-phong-noi-vu.pdf"])
    assert "chủ trì 150 nhiệm vụ, phối hợp 0 nhiệm vụ" in noi_vu
    assert "1.1 Nhiệm vụ 1.1" in noi_vu and "Đơn vị không phối hợp nhiệm vụ nào." in noi_vu


# --- 12. no Chromium ---------------------------------------------------------------------------------------

@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("CCHC_CHROMIUM", str(tmp_path / "no-such-chromium"))
    monkeypatch.setenv("PATH", str(empty))
    return empty


def test_chromium_path_missing_raises_with_install_hint(no_chromium):
    with pytest.raises(PdfError) as info:
        chromium_path()
    assert "apt-get install chromium" in str(info.value)


def test_chromium_path_override_and_path_search(monkeypatch, no_chromium, tmp_path):
    fake = no_chromium / "chromium-browser"
    fake.write_text("#!/bin/sh\nexit 0\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    assert chromium_path() == str(fake)
    monkeypatch.setenv("CCHC_CHROMIUM", "/usr/bin/chromium")
    assert chromium_path() == "/usr/bin/chromium"


def test_cli_without_chromium_exits_2_without_traceback(no_chromium, tmp_path):
    content = small_content(tmp_path / "content", CLEAN_ROWS)
    out = tmp_path / "out"
    result = cli("pdf", "--content", str(content), "--out", str(out),
                 "--what", "plan", "--today", TODAY.isoformat())
    assert result.exit_code == 2, result.output
    assert "apt-get install chromium" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or not list(out.glob("*.pdf"))


# --- 13. golden image --------------------------------------------------------------------------------------

def test_scores_first_page_matches_golden_image(embedded):
    gray = pt.rasterize(embedded[SCORES], 40, 1, 1)[0]
    assert (gray.width, gray.height) == (331, 468)  # A4 portrait at 40 dpi
    if os.environ.get("CCHC_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(gray.to_bytes())
    if not GOLDEN.exists():
        pytest.fail(f"golden image {GOLDEN.relative_to(ROOT)} is missing: create it with "
                    "CCHC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_pdf.py -k golden, look at it, commit it")
    golden = pt.read_pgm(GOLDEN.read_bytes())
    mean, far = pt.compare(gray, golden)
    assert mean < 2 and far < 0.01, (
        f"page 1 of {SCORES} differs from {GOLDEN.name}: mean |Δ| {mean:.2f} grey levels, "
        f"{far:.2%} of pixels off by more than 64. If the change is intended, regenerate with "
        "CCHC_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_pdf.py -k golden")


# --- 14. escaping ------------------------------------------------------------------------------------------

def test_print_html_escapes_spreadsheet_text(clean_and_hostile):
    from generator.build import _read_content, workbook_bytes
    from generator.config import load_site_config

    content = clean_and_hostile["hostile_content"]
    run, model = _read_content(content, load_site_config(content), TODAY)
    docs = print_documents(model, workbook_bytes(run), ("plan",))
    assert len(docs) == 1
    settings = PrintSettings(issuer=ISSUER, place="Quảng Điền", site_url="", today=TODAY,
                             data_time=dt.datetime(2022, 3, 10, 10, 30))
    html = render_html(docs[0], settings)
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and ">49<" not in html


def test_pdf_prints_hostile_text_literally(clean_and_hostile):
    text = all_text(clean_and_hostile["hostile"])
    assert "<script>alert(1)</script> {{ 7*7 }} (0,5 điểm)" in text
    assert "<script>" not in all_text(clean_and_hostile["clean"])


def test_source_date_epoch_fixes_the_pdf_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1667438100")  # 03/11/2022 08:15 in Huế
    files = render(CONTENT, tmp_path / "out", "scores")
    meta = PdfReader(str(files[SCORES])).metadata
    assert pt.pdf_date(meta["/CreationDate"]) == dt.datetime(2022, 11, 3, 8, 15, tzinfo=VN)
    assert "Bản in từ dữ liệu cập nhật ngày 03/11/2022 08:15" in all_text(files[SCORES])


def test_a_long_word_in_a_title_wraps_inside_the_margins(tmp_path):
    word = "Kếhoạch" * 40  # 280 letters without a space
    content = small_content(tmp_path, CLEAN_ROWS, title=["UBND HUYỆN QUẢNG ĐIỀN", word])
    files = render(content, tmp_path / "out", "plan")
    (pdf,) = [p for name, p in files.items() if name.startswith("ke-hoach-")]
    pages = pages_of(pdf)
    assert any(word[:20] in w.text for page in pages for w in page.words)  # the word is printed
    for page in pages:
        assert all(w.x0 >= pt.LEFT - 1 and w.x1 <= page.width - pt.RIGHT + 1 for w in page.words), page.number


def test_build_without_chromium_publishes_no_pdf_links_and_strict_refuses(tmp_path, monkeypatch):
    from generator.build import BuildError, build_site

    monkeypatch.setenv("CCHC_CHROMIUM", str(tmp_path / "khong-co-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    content = small_content(tmp_path / "content", CLEAN_ROWS)
    result = build_site(content, tmp_path / "site", today=TODAY, work=tmp_path / "work")
    assert result.pdfs == 0 and not (tmp_path / "site" / "pdf").exists()
    assert "Tải bản PDF" not in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    plan = next((tmp_path / "site" / "ke-hoach").glob("*/index.html")).read_text(encoding="utf-8")
    assert "Tải bản PDF" not in plan
    with pytest.raises(BuildError) as info:
        build_site(content, tmp_path / "strict", today=TODAY, work=tmp_path / "work", strict=True)
    assert "apt-get install chromium" in str(info.value) and not (tmp_path / "strict").exists()


def test_unchanged_documents_come_from_the_pdf_cache_changed_ones_are_printed(tmp_path, monkeypatch):
    """An incremental build prints only the documents whose print HTML changed."""
    from generator.build import build_site

    content = small_content(tmp_path / "content", CLEAN_ROWS)
    other = [("1", "Tuyên truyền CCHC: 1đ", "Bài viết", "Trung tâm Phát triển quỹ đất huyện", None, "Tháng 5/2022")]
    appendix(content / "sheets" / "khac.xlsx", other, title=["UBND HUYỆN QUẢNG ĐIỀN", "PHỤ LỤC",
                                                               "Tuyên truyền cải cách hành chính năm 2022"])
    work = tmp_path / "work"
    first = build_site(content, tmp_path / "site", today=TODAY, work=work)
    assert first.pdfs >= 3 and len(list((work / "cache" / "pdf").glob("*.pdf"))) == first.pdfs
    before = {p.name: p.read_bytes() for p in (tmp_path / "site" / "pdf").glob("*.pdf")}

    # printing runs in a process of its own: what it printed is what it added to the cache
    cached = set((work / "cache" / "pdf").glob("*.pdf"))
    by_bytes = {p.read_bytes(): p.name for p in cached}

    def printed() -> list[str]:
        new = set((work / "cache" / "pdf").glob("*.pdf")) - cached
        site = {p.read_bytes(): p.name[:-4] for p in (tmp_path / "site" / "pdf").glob("*.pdf")}
        return sorted(site[p.read_bytes()] for p in new if p.read_bytes() in site)

    build_site(content, tmp_path / "site", today=TODAY, work=work)
    assert printed() == []  # nothing changed: nothing printed
    assert {p.name: p.read_bytes() for p in (tmp_path / "site" / "pdf").glob("*.pdf")} == before
    assert set((work / "cache" / "pdf").glob("*.pdf")) == cached and len(by_bytes) == len(cached)

    rows = [list(r) for r in CLEAN_ROWS]
    rows[-1][5] = "Tháng 9/2022"  # one deadline of one task
    appendix(content / "sheets" / "phu-luc.xlsx", [tuple(r) for r in rows])
    build_site(content, tmp_path / "site", today=TODAY, work=work)
    printed = printed()
    plans = [n for n in printed if n.startswith("ke-hoach-")]
    assert len(plans) == 1 and "don-vi-trung-tam-phat-trien-quy-dat" not in printed  # the other plan's documents are kept
    after = {p.name: p.read_bytes() for p in (tmp_path / "site" / "pdf").glob("*.pdf")}
    assert set(after) == set(before)
    assert {name for name in after if after[name] != before[name]} == {f"{n}.pdf" for n in printed}
