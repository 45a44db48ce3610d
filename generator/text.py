"""Text helpers shared by the readers and parsers: NFC normalisation, trimming,
diacritic folding for matching, list splitting and points in titles.

Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata

#: Vietnam's time (UTC+7, no daylight saving): every time the site and the PDFs show.
VN = dt.timezone(dt.timedelta(hours=7), "ICT")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_TAGS = re.compile(r"<\s*(br|/p|p|/div|div|li|/li)\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>")


_LINE_BREAK = re.compile(r" ?\n[\n ]*")
_ODD_SPACES = re.compile(r"[\r\u00a0\u2000-\u200b\u2028\u202f\u205f\u3000]")


@functools.lru_cache(maxsize=65536)  # unit names, deadlines and products repeat down a sheet
def normalize(value: str) -> str:
    """NFC, non-breaking and odd spaces to one space, lines trimmed,
    blank lines dropped, Windows line endings unified."""
    if (
        value
        and "\n" not in value
        and "  " not in value
        and not value[0].isspace()
        and not value[-1].isspace()
        and (value.isascii() or (unicodedata.is_normalized("NFC", value) and not _ODD_SPACES.search(value)))
        and "\t" not in value
        and "\r" not in value
    ):
        return value  # the common case: nothing to do
    text = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if "\r" in text or "\u2028" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _SPACES.sub(" ", text)
    # trim every line and drop blank ones in one pass
    return _LINE_BREAK.sub("\n", text).strip()


def strip_html(value: str) -> str:
    """Turn HTML remnants pasted from web pages into plain lines.

    Only called on text that looks like markup; the result is still untrusted
    text that every output escapes."""
    if "<" not in value and "&" not in value:
        return value
    text = _TAGS.sub("\n", value)
    text = _ANY_TAG.sub("", text)
    return html.unescape(text)


def looks_like_html(value: str) -> bool:
    return bool(_TAGS.search(value)) or "&nbsp;" in value or "&amp;" in value


_NOT_WORD = re.compile(r"[^0-9a-z&]+")


@functools.lru_cache(maxsize=65536)  # headers, unit names and statuses repeat across rows and sheets
def fold(value: str) -> str:
    """Lower-case, no diacritics, đ→d, punctuation to spaces: for matching only."""
    text = unicodedata.normalize("NFD", value.lower().replace("đ", "d").replace("Đ", "d"))
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _NOT_WORD.sub(" ", text).strip()


_BULLET = re.compile(r"^\s*(?:[-–—•*+·∙◦▪]|\d{1,2}[.)](?=\s+\D|[^\d\s]))\s*")


def split_items(value: str) -> list[str]:
    """Split a multi-line cell into items: "- " bullets, one item per line,
    ";"-separated lists. A line that continues the previous item (no bullet)
    under a bulleted list is joined to it ("Yêu cầu: …" notes)."""
    if not value:
        return []
    text = strip_html(value) if ("<" in value or "&" in value) and looks_like_html(value) else value
    if "\n" not in text:
        body = _BULLET.sub("", text.strip(), count=1).strip()
        if ";" in body:
            return [part.strip() for part in body.split(";") if part.strip()]
        return [body] if body else []
    parsed = []
    bulleted = False
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        match = _BULLET.match(line)
        if match:
            bulleted = True
            parsed.append((True, line[match.end():].strip()))
        else:
            parsed.append((False, line))
    items: list[str] = []
    for has_bullet, body in parsed:
        if items and not has_bullet and (bulleted or body[:1].islower()):
            # a note under a bullet, or a wrapped line continuing the one above
            sep = "\n" if bulleted else " "
            items[-1] = f"{items[-1]}{sep}{body}"
        else:
            items.append(body)
    if len(items) == 1 and ";" in items[0]:
        return [part.strip() for part in items[0].split(";") if part.strip()]
    items = [item.rstrip(";").strip() for item in items]
    return [item for item in items if item]


_POINTS = re.compile(
    r"[:(\-–]?\s*(\d+(?:[,.]\d+)?)\s*(?:đ|điểm|đểm|d)\s*\)?\s*\.?\s*$",
    re.IGNORECASE,
)


def parse_points(title: str) -> tuple[str, float | None]:
    """Points at the end of a title: "Kế hoạch CCHC: 1,5đ" -> ("Kế hoạch CCHC", 1.5).

    Accepts "0,5đ", "1,5 điểm", "20đ", "(2 điểm)", "1.5đ". Returns the title
    without the points and the points, or the title unchanged and None."""
    match = _POINTS.search(title)
    if not match:
        return title, None
    number = match.group(1).replace(",", ".")
    head = title[: match.start()].rstrip(" :-–(")
    if not head:
        return title, None
    return head, float(number)


def format_number(value: float | int | None, digits: int = 2) -> str:
    """Vietnamese decimal comma: 1.5 -> "1,5", 8.0 -> "8"."""
    if value is None:
        return ""
    text = f"{value:.{digits}f}"
    if "." in text:  # trailing zeros of the decimals only: 140 stays 140
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


_PRODUCT_TAG = re.compile(r"\(\s*s[ảa]n\s+ph[ẩa]m\s+(\d+)\s*\)", re.IGNORECASE)


def product_tags(text: str) -> list[int]:
    """Numbers N of every "(Sản phẩm N)" tag in the text (case-insensitive)."""
    if "(" not in text:
        return []
    return [int(n) for n in _PRODUCT_TAG.findall(text)]


def strip_product_tags(text: str) -> str:
    return _PRODUCT_TAG.sub("", text).strip().rstrip(".;,").strip()


_NUMBER_UNITS = re.compile(r"\s*(điểm|đểm|đ|hồ sơ|hs|thư)\s*\.?$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+$")
_BLANK_MARKS = {"", "-", "–", "—", "...", "…", "/"}


class NumberError(ValueError):
    """A cell meant to hold a number holds something else; the message is Vietnamese."""


def parse_number(value, *, count: bool = False, percent: bool = False) -> float | None:
    """A number as clerks type it: 1.5, "1,5", "0,75đ", "6.690" (a count with
    a thousands dot), "98,63%" (-> 0.9863 when ``percent``). None for an
    empty cell or a dash. ``count``: a lone dot groups thousands ("6.690" is
    6690); otherwise it is a decimal point ("0.75"). Raises NumberError."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError("ô chứa giá trị đúng/sai, không phải số")
    if isinstance(value, (int, float)):
        number = float(value)
        return number / 100 if percent and number > 1 else number
    if not isinstance(value, str):
        raise NumberError("ô chứa ngày tháng, không phải số")
    text = normalize(value).strip()
    is_percent = text.endswith("%")
    text = _SPACES.sub("", _NUMBER_UNITS.sub("", text.rstrip("%").strip()))
    if text in _BLANK_MARKS:
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(decimal, ".")
    elif "," in text:
        if text.count(",") > 1:
            raise NumberError("có nhiều dấu phẩy")
        text = text.replace(",", ".")
    elif "." in text and (count or text.count(".") > 1) and _THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        number = float(text)
    except ValueError:
        raise NumberError("không phải là số") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise NumberError("không phải là số")
    if percent and (is_percent or number > 1):
        return number / 100
    return number


def format_count(value: float | int | None) -> str:
    """A count with a thousands dot: 6690 -> "6.690"."""
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return format_number(value)


def format_percent(fraction: float | None, digits: int = 2) -> str:
    """0.2932 -> "29,32%"."""
    if fraction is None:
        return ""
    return f"{format_number(fraction * 100, digits)}%"
