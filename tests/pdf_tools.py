"""Small readers of generated PDFs for tests/test_pdf.py.

Geometry comes from poppler (``pdftotext -bbox``: word boxes in points, origin
at the top-left of the page; ``pdftoppm``: rasters) and from pypdf (the
transformation matrix at each image XObject). Units are PDF points
(1 mm = 72 / 25.4 pt)."""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
A4_SHORT, A4_LONG = 210 * MM, 297 * MM  # 595.28 × 841.89 pt
TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    words: list[Word]

    def in_top_margin(self) -> list[Word]:
        return [w for w in self.words if w.y1 <= TOP]

    def in_bottom_margin(self) -> list[Word]:
        return [w for w in self.words if w.y0 >= self.height - BOTTOM]

    def body(self) -> list[Word]:
        return [w for w in self.words if w.y1 > TOP and w.y0 < self.height - BOTTOM]

    def text(self, words: list[Word] | None = None) -> str:
        """Words joined by single spaces, in reading order of poppler."""
        return " ".join(w.text for w in (self.words if words is None else words))


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>', re.S)


def pages(pdf: Path, first: int | None = None, last: int | None = None) -> list[Page]:
    """Every page's words with their boxes (pdftotext -bbox)."""
    cmd = ["pdftotext", "-bbox", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run([*cmd, str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    result = []
    for number, m in enumerate(_PAGE.finditer(out), start=first or 1):
        words = [Word(html.unescape(t), float(a), float(b), float(c), float(d))
                 for a, b, c, d, t in _WORD.findall(m.group(3))]
        result.append(Page(number, float(m.group(1)), float(m.group(2)), words))
    return result


def fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts rows: name, type, encoding, emb, sub, uni."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name and type may hold spaces ("CID TrueType"): read from the right
        obj_gen = parts[-2:]
        emb, sub, uni = parts[-5:-2]
        encoding = parts[-6]
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "encoding": encoding,
                     "emb": emb, "sub": sub, "uni": uni, "object": " ".join(obj_gen)})
    return rows


@dataclass(frozen=True, slots=True)
class Placement:
    name: str
    x0: float  # PDF user space: origin bottom-left
    y0: float
    x1: float
    y1: float


def image_placements(pdf: Path) -> list[list[Placement]]:
    """For each page, where each image XObject is drawn (from the CTM at its Do operator)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    result = []
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get_object().get("/XObject") if resources else None
        xobjects = xobjects.get_object() if xobjects else {}
        found: list[Placement] = []

        def before(op, args, cm, tm, xobjects=xobjects, found=found):
            if op != b"Do" or not args:
                return
            obj = xobjects.get(args[0])
            if obj is None or obj.get_object().get("/Subtype") != "/Image":
                return
            a, b, c, d, e, f = (float(v) for v in cm)
            xs = [e, e + a, e + c, e + a + c]
            ys = [f, f + b, f + d, f + b + d]
            found.append(Placement(str(args[0]), min(xs), min(ys), max(xs), max(ys)))

        page.extract_text(visitor_operand_before=before)
        result.append(found)
    return result


# --- rasters (PGM, P5) ------------------------------------------------------------------------------------

@dataclass(slots=True)
class Gray:
    width: int
    height: int
    maxval: int
    data: bytes

    def ink_box(self, threshold: int = 160) -> tuple[int, int, int, int] | None:
        """(x0, y0, x1, y1) in pixels (inclusive) of every pixel darker than ``threshold``."""
        w, h, data = self.width, self.height, self.data
        rows = [y for y in range(h) if min(data[y * w:(y + 1) * w]) < threshold]
        if not rows:
            return None
        cols = [x for x in range(w) if min(data[x::w]) < threshold]
        return cols[0], rows[0], cols[-1], rows[-1]

    def to_bytes(self) -> bytes:
        return f"P5\n{self.width} {self.height}\n{self.maxval}\n".encode() + self.data


def read_pgm(data: bytes) -> Gray:
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        raise ValueError("not a binary PGM")
    w, h, maxval = int(m.group(1)), int(m.group(2)), int(m.group(3))
    pixels = data[m.end():m.end() + w * h]
    if len(pixels) != w * h:
        raise ValueError("truncated PGM")
    return Gray(w, h, maxval, pixels)


def rasterize(pdf: Path, dpi: int, first: int | None = None, last: int | None = None) -> list[Gray]:
    """Grey rasters of the pages (pdftoppm -gray), in page order."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pdftoppm", "-r", str(dpi), "-gray"]
        if first:
            cmd += ["-f", str(first)]
        if last:
            cmd += ["-l", str(last)]
        subprocess.run([*cmd, str(pdf), str(Path(tmp) / "p")], check=True, capture_output=True)
        files = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [read_pgm(f.read_bytes()) for f in files]


def compare(a: Gray, b: Gray, far: int = 64) -> tuple[float, float]:
    """(mean absolute difference in grey levels, share of pixels differing by more than ``far``)."""
    if (a.width, a.height) != (b.width, b.height):
        raise ValueError(f"sizes differ: {a.width}×{a.height} vs {b.width}×{b.height}")
    total = 0
    many = 0
    for p, q in zip(a.data, b.data):
        d = p - q if p > q else q - p
        total += d
        if d > far:
            many += 1
    n = len(a.data)
    return total / n, many / n


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def lines(words: list[Word], tolerance: float = 1.5) -> list[str]:
    """Words grouped into physical lines (same top within ``tolerance``), top to bottom, left to right."""
    out: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (w.y0, w.x0)):
        if out and abs(out[-1][0].y0 - w.y0) <= tolerance:
            out[-1].append(w)
        else:
            out.append([w])
    return [" ".join(w.text for w in sorted(line, key=lambda w: w.x0)) for line in out]


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    font: str  # BaseFont without the subset prefix: "LiberationSerif-Bold"
    size: float  # effective size in points


def text_runs(pdf: Path, page_index: int = 0) -> list[Run]:
    """The text runs of one page with their font and effective size (pypdf's text visitor)."""
    from pypdf import PdfReader

    runs: list[Run] = []

    def visit(text, cm, tm, font, size):
        if not text.strip() or font is None:
            return
        a = tm[0] * cm[0] + tm[1] * cm[2]
        b = tm[0] * cm[1] + tm[1] * cm[3]
        c = tm[2] * cm[0] + tm[3] * cm[2]
        d = tm[2] * cm[1] + tm[3] * cm[3]
        scale = abs(a * d - b * c) ** 0.5
        name = str(font.get("/BaseFont", "")).lstrip("/")
        runs.append(Run(text.strip(), name.split("+", 1)[-1], round(size * scale, 2)))

    PdfReader(str(pdf)).pages[page_index].extract_text(visitor_text=visit)
    return runs


def pdf_date(value: str):
    """A PDF date string (D:YYYYMMDDHHmmSS+HH'mm' or Z) as an aware datetime."""
    import datetime as dt

    m = re.fullmatch(r"D:(\d{14})(?:(Z)|([+-])(\d\d)'?(\d\d)'?)", value)
    if not m:
        raise ValueError(f"not a PDF date: {value!r}")
    moment = dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S")
    if m.group(2):
        return moment.replace(tzinfo=dt.timezone.utc)
    offset = dt.timedelta(hours=int(m.group(4)), minutes=int(m.group(5)))
    return moment.replace(tzinfo=dt.timezone(offset if m.group(3) == "+" else -offset))
