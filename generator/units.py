"""content/units.yml: the registry of units, and matching of lead / support cells.

``load_registry`` is the only function that reads a file. The YAML is validated
like mkdocs validates its config: every key is known (a wrong one gets a "did
you mean"), every error names the file and the line, in Vietnamese.

Matching (``UnitRegistry.match``) works on a *key*: the words of a name, folded
(lower case, no diacritics, đ→d), with "và" / "&" dropped and common
abbreviations expanded ("UBND" → "uy ban nhan dan", "TN&MT" → "tai nguyen moi
truong"). The same normalisation is applied to the registry's names and to the
cell text, so "HĐND và UBND" ≡ "HĐND-UBND" ≡ "HĐND&UBND". A cell is scanned
word by word, taking the longest known name at each position; commas inside
names ("Các phòng, ban cấp huyện") are therefore no problem.

Diacritics: a name typed entirely without diacritics ("Phong Tu phap") matches;
in a name written with diacritics, a word with different or missing ones ("Nôi"
for "Nội", "chinh" for "chính") is a typo: the mention is reported as unknown
with a suggestion. Tone-mark placement ("hoá" / "hóa") does not matter.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .model import Unit, UnitGroup, UnitRef
from .text import fold, normalize, product_tags

#: Unit kinds, with the Vietnamese description used in messages.
KINDS: dict[str, str] = {
    "phong-ban": "phòng, ban chuyên môn cấp huyện",
    "trung-tam": "trung tâm, đơn vị sự nghiệp cấp huyện",
    "xa-thi-tran": "UBND xã, thị trấn",
    "cap-huyen": "UBND huyện, HĐND huyện",
    "cap-tinh": "cơ quan cấp tỉnh",
}

_TOP_KEYS = {
    "district": "tên huyện, không có chữ “huyện” (ví dụ: Quảng Điền)",
    "units": "danh sách đơn vị",
    "groups": "danh sách nhóm đơn vị",
}
_UNIT_KEYS = {
    "id": "mã đơn vị, ví dụ: phong-noi-vu",
    "name": "tên chính thức",
    "kind": "loại đơn vị",
    "short_names": "tên ngắn",
    "aliases": "cách viết khác",
}
_GROUP_KEYS = {
    "id": "mã nhóm",
    "name": "tên nhóm",
    "aliases": "cách viết khác",
    "members": "danh sách mã đơn vị",
    "kinds": "danh sách loại đơn vị",
}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: Abbreviations: folded word sequence ("&" and "và" already dropped) → what it
#: stands for. Applied to registry names and cell text alike (one normalisation).
#: Expansions are matched folded; their diacritics are kept so that a misspelt
#: "Hành chinh" is not taken for "TTHCC".
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "vp": "Văn phòng",
    "cq": "cơ quan",
    "dv": "đơn vị",
    "cqcm": "cơ quan chuyên môn",
    "vh tt tt": "Văn hóa Thông tin Thể thao",
    "vh tt": "Văn hóa Thông tin",
    "vhtt": "Văn hóa Thông tin",
    "tt tt": "Thông tin Truyền thông",
    "tttt": "Thông tin Truyền thông",
    "kh cn": "Khoa học Công nghệ",
    "khcn": "Khoa học Công nghệ",
    "kh dt": "Kế hoạch Đầu tư",
    "khdt": "Kế hoạch Đầu tư",
    "ld tb xh": "Lao động Thương binh Xã hội",
    "ld tbxh": "Lao động Thương binh Xã hội",
    "ldtb xh": "Lao động Thương binh Xã hội",
    "ldtbxh": "Lao động Thương binh Xã hội",
    "tn mt": "Tài nguyên Môi trường",
    "tnmt": "Tài nguyên Môi trường",
    "nn ptnt": "Nông nghiệp Phát triển nông thôn",
    "nnptnt": "Nông nghiệp Phát triển nông thôn",
    "tc kh": "Tài chính Kế hoạch",
    "tckh": "Tài chính Kế hoạch",
    "kt ht": "Kinh tế Hạ tầng",
    "ktht": "Kinh tế Hạ tầng",
    "gd dt": "Giáo dục Đào tạo",
    "gddt": "Giáo dục Đào tạo",
    "gdnn gdtx": "Giáo dục nghề nghiệp Giáo dục thường xuyên",
    "qlda": "Quản lý dự án",
    "dtxd": "Đầu tư xây dựng",
    "tthcc": "Trung tâm Hành chính công",
    "tt hcc": "Trung tâm Hành chính công",
    "hcc": "Hành chính công",
}

#: Words that start a trailing qualifier after a recognised name
#: ("… được kiểm tra", "… có liên quan", "… trên địa bàn huyện").
QUALIFIER_STARTS: tuple[str, ...] = (
    "duoc", "co", "lien quan", "tren dia ban", "theo", "thuoc", "trong", "khac",
    "thuc hien", "tham gia", "phu trach", "chiu trach nhiem", "neu co",
)
_QUALIFIER_STARTS = tuple(tuple(s.split()) for s in QUALIFIER_STARTS)
_NOT_QUALIFIER = {("co", "quan")}  # "cơ quan" is not "có …"

SUGGEST_CUTOFF = 0.75

# gap classes: what separates a word from the previous one
_SOFT, _COMMA, _HARD, _TAG = 0, 1, 2, 3
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|&")
_PAREN = re.compile(r"\([^()]*\)")
_BULLET = re.compile(r"^\s*(?:[-–—•*+·∙◦▪]+|\(?\d{1,2}[.)](?=\s)|\(?[a-zđ][.)](?=\s))\s*", re.IGNORECASE)
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


class UnitsConfigError(Exception):
    """A problem in units.yml; str(e) names the file and line, in Vietnamese."""


# --- words and keys ---------------------------------------------------------------


@dataclass(slots=True)
class _Tok:
    word: str  # folded
    canon: str | None  # with diacritics (tone mark order-independent); None: matches any
    start: int
    end: int
    gap: int = _SOFT
    and_before: bool = False  # a "và" / "&" stood before it
    open_paren: bool = False  # the gap before it ends with "("
    plain: bool = False  # typed without any diacritic
    expanded: bool = False  # produced by an abbreviation


@functools.lru_cache(maxsize=16384)
def _canon(token: str) -> str:
    """A word with its diacritics, independent of where the tone mark sits ("hoá" ≡ "hóa")."""
    lower = token.lower()
    if lower.isascii():
        return lower
    decomposed = unicodedata.normalize("NFD", lower)
    tones = "".join(sorted(ch for ch in decomposed if ch in _TONES))
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONES))
    return base + tones


@functools.lru_cache(maxsize=1024)
def _gap_class(gap: str) -> int:
    if "\x00" in gap:
        return _TAG
    if any(ch in gap for ch in "()[]{}"):
        return _HARD
    if any(ch in gap for ch in ",.:;!?/+|\n"):
        return _COMMA
    return _SOFT


_ABBR = {tuple(k.split()): tuple((fold(w), _canon(w)) for w in v.split()) for k, v in ABBREVIATIONS.items()}
_ABBR_MAX = max(len(k) for k in _ABBR)
_ABBR_FIRST = frozenset(k[0] for k in _ABBR)  # most words start no abbreviation: skip them at once


def _tokens(text: str) -> list[_Tok]:
    """Folded words of ``text`` with their spans, "và" dropped, abbreviations
    expanded. NUL characters mark masked spans (product tags).

    A name typed entirely without diacritics ("Phong Tu phap") matches any
    spelling; in a name with diacritics every word must carry the right ones,
    so "Nôi vụ" or "Hành chinh" are typos, not matches (see ``_longest``)."""
    raw: list[_Tok] = []
    prev_end = 0
    for m in _WORD.finditer(text):
        gap_text = text[prev_end:m.start()]
        prev_end = m.end()
        token = m.group()
        pieces = ["va"] if token == "&" else fold(token).split()
        if not pieces:
            continue
        canon = _canon(token) if len(pieces) == 1 else None
        for n, piece in enumerate(pieces):
            raw.append(_Tok(piece, canon, m.start(), m.end(),
                            _gap_class(gap_text) if n == 0 else _SOFT,
                            open_paren=n == 0 and gap_text.rstrip().endswith("("),
                            plain=token.isascii()))
    # drop "và" / "&", remembering it on the next word
    words: list[_Tok] = []
    pending_gap, pending_and = _SOFT, False
    for tok in raw:
        if tok.word == "va":
            pending_gap = max(pending_gap, tok.gap)
            pending_and = True
            continue
        if pending_and:
            tok.gap = max(tok.gap, pending_gap)
            tok.and_before = True
            pending_gap, pending_and = _SOFT, False
        words.append(tok)
    # expand abbreviations, longest first
    out: list[_Tok] = []
    i, n = 0, len(words)
    while i < n:
        if words[i].word not in _ABBR_FIRST:
            out.append(words[i])
            i += 1
            continue
        for size in range(min(_ABBR_MAX, n - i), 0, -1):
            if size > 1 and any(words[k].gap != _SOFT for k in range(i + 1, i + size)):
                continue
            expansion = _ABBR.get(tuple(w.word for w in words[i:i + size]))
            if expansion is None:
                continue
            first, last = words[i], words[i + size - 1]
            plain = all(w.plain for w in words[i:i + size])
            for n_word, (word, canon) in enumerate(expansion):
                out.append(_Tok(word, canon, first.start, last.end,
                                first.gap if n_word == 0 else _SOFT,
                                first.and_before if n_word == 0 else False,
                                first.open_paren if n_word == 0 else False,
                                plain=plain, expanded=True))
            i += size
            break
        else:
            out.append(words[i])
            i += 1
    return out


Key = tuple[tuple[str, str | None], ...]  # (folded word, canon) pairs


def name_key(text: str) -> Key:
    """The matching key of a name: folded words with their diacritics. A name
    written without any diacritic ("PNV") accepts any spelling; words from an
    abbreviation keep the diacritics of what it stands for."""
    toks = _tokens(normalize(text))
    plain = all(t.plain for t in toks)
    return tuple((t.word, None if plain and not t.expanded else t.canon) for t in toks)


def _compatible(a: Iterable[str | None], b: Iterable[str | None]) -> bool:
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def _strip_prefix(key: Key, prefix: Key) -> Key | None:
    n = len(prefix)
    if len(key) > n and [w for w, _ in key[:n]] == [w for w, _ in prefix]:
        return key[n:]
    return None


def _strip_suffix(key: Key, suffix: Key) -> Key | None:
    n = len(suffix)
    if len(key) > n and [w for w, _ in key[-n:]] == [w for w, _ in suffix]:
        return key[:-n]
    return None


# --- the registry -----------------------------------------------------------------


@dataclass(slots=True)
class _Entry:
    key: Key
    target: tuple[str, str]  # ("unit" | "group", id)
    line: int | None
    text: str
    explicit: bool


class UnitRegistry:
    """Units and groups, and the matcher built from their names."""

    def __init__(self, units: dict[str, Unit], groups: dict[str, UnitGroup], entries: list[_Entry]):
        self.fingerprint: str | None = None  # set by registry_from_data
        self.units = units
        self.groups = groups
        self._trie: dict = {}
        for entry in entries:
            node = self._trie
            for word, _ in entry.key:
                node = node.setdefault(word, {})
            node.setdefault("", []).append((tuple(c for _, c in entry.key), entry.target))
        pool: dict[str, str] = {}
        for entry in entries:
            if not entry.explicit:
                continue
            official = self._official(entry.target)
            pool.setdefault(fold(entry.text), official)
            pool.setdefault(" ".join(w for w, _ in entry.key), official)
        self._pool = list(pool.items())
        self._match_cached = functools.lru_cache(maxsize=16384)(self._match_uncached)
        self._suggest_cached = functools.lru_cache(maxsize=4096)(self._suggest_uncached)

    # -- lookups

    def get(self, unit_id: str) -> Unit | None:
        return self.units.get(unit_id)

    def name_of(self, ident: str) -> str | None:
        """Official name of a unit or group id."""
        if ident in self.units:
            return self.units[ident].name
        if ident in self.groups:
            return self.groups[ident].name
        return None

    def _official(self, target: tuple[str, str]) -> str:
        kind, ident = target
        return self.units[ident].name if kind == "unit" else self.groups[ident].name

    def expand(self, refs: Iterable[UnitRef | str]) -> list[str]:
        """Unit ids of the mentions: groups expanded to their members, unknown
        mentions skipped, no duplicates, in order. Plain unit/group ids work too."""
        out: dict[str, None] = {}
        for ref in refs:
            if isinstance(ref, str):
                if ref in self.units:
                    out[ref] = None
                elif ref in self.groups:
                    out.update(dict.fromkeys(self.groups[ref].members))
                else:
                    raise KeyError(ref)
                continue
            if ref.unit_id is not None:
                out[ref.unit_id] = None
            elif ref.group is not None and ref.group in self.groups:
                out.update(dict.fromkeys(self.groups[ref.group].members))
        return list(out)

    # -- suggestions

    def suggest(self, name: str) -> str | None:
        """The official name closest to ``name`` (folded comparison), or None."""
        return self._suggest_cached(name)

    def _suggest_uncached(self, name: str) -> str | None:
        text = normalize(name)
        forms = {fold(text), " ".join(w for w, _ in name_key(text))} - {""}
        if not forms:
            return None
        best, best_ratio = None, 0.0
        matcher = difflib.SequenceMatcher(autojunk=False)
        for form in forms:
            matcher.set_seq2(form)
            for candidate, official in self._pool:
                matcher.set_seq1(candidate)
                floor = max(best_ratio, SUGGEST_CUTOFF)
                if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
                    continue
                ratio = matcher.ratio()
                if ratio >= floor and ratio > best_ratio:
                    best, best_ratio = official, ratio
        return best if best_ratio >= SUGGEST_CUTOFF else None

    # -- matching

    def match(self, text: str) -> list[UnitRef]:
        """One UnitRef per unit / group / unknown name in a lead or support cell, in order."""
        if not text:
            return []
        return [UnitRef(*fields) for fields in self._match_cached(text)]

    def _match_uncached(self, text: str) -> tuple[tuple, ...]:
        refs: list[UnitRef] = []
        for line in normalize(text).split("\n"):
            for segment in line.split(";"):
                segment = _BULLET.sub("", segment, count=1)
                if segment.strip():
                    refs.extend(self._scan(segment))
        return tuple((r.text, r.unit_id, r.group, r.product, r.qualifier, r.suggestion) for r in refs)

    def _longest(self, toks: list[_Tok], i: int) -> tuple[int, tuple[str, str]] | None:
        """The longest known name starting at word i: (end, target). Words typed
        without diacritics match any spelling when the whole name is typed so."""
        node, best, k, n, plain = self._trie, None, i, len(toks), True
        while k < n:
            if k > i and toks[k].gap >= _HARD:
                break
            node = node.get(toks[k].word)
            if node is None:
                break
            plain = plain and toks[k].plain
            k += 1
            for canons, target in node.get("", ()):
                if plain or _compatible((t.canon for t in toks[i:k]), canons):
                    best = (k, target)
                    break
        return best

    def _qualifier_end(self, toks: list[_Tok], j: int) -> int:
        """End (exclusive) of a qualifier starting at word j, or j if none starts there."""
        n = len(toks)
        if j >= n:
            return j
        tok = toks[j]
        if tok.open_paren and tok.gap == _HARD:
            k = j + 1
            while k < n and toks[k].gap < _HARD:
                k += 1
            return k
        if tok.gap != _SOFT or tok.and_before:
            return j
        words = [t.word for t in toks[j:j + 4]]
        starts = any(tuple(words[:len(s)]) == s for s in _QUALIFIER_STARTS)
        if not starts or tuple(words[:2]) in _NOT_QUALIFIER:
            return j
        k = j + 1
        while k < n:
            t = toks[k]
            if t.gap >= _HARD:
                break
            if (t.gap == _COMMA or t.and_before) and self._longest(toks, k) is not None:
                break
            k += 1
        return k

    def _scan(self, segment: str) -> list[UnitRef]:
        # product tags: masked out of the words, remembered by position
        tags: list[tuple[int, int]] = []
        masked = segment
        for m in _PAREN.finditer(segment):
            numbers = product_tags(m.group())
            if numbers:
                tags.append((m.start(), numbers[0]))
                masked = masked[:m.start()] + "\x00" * (m.end() - m.start()) + masked[m.end():]
        toks = _tokens(masked)
        mentions: list[tuple[UnitRef, int, int]] = []  # ref, start, end (with qualifier)
        i, n = 0, len(toks)
        while i < n:
            found = self._longest(toks, i)
            if found is not None:
                j, (kind, ident) = found
                ref = UnitRef(text=segment[toks[i].start:toks[j - 1].end])
                if kind == "unit":
                    ref.unit_id = ident
                else:
                    ref.group = ident
                end = toks[j - 1].end
                qualifiers = []
                while True:
                    k = self._qualifier_end(toks, j)
                    if k == j:
                        break
                    qualifiers.append(segment[toks[j].start:toks[k - 1].end])
                    end = toks[k - 1].end
                    j = k
                ref.qualifier = " ".join(qualifiers)
                mentions.append((ref, toks[i].start, end))
                i = j
                continue
            k = i + 1
            while k < n and toks[k].gap == _SOFT and self._longest(toks, k) is None:
                k += 1
            mentions.extend(self._unknown(segment, toks[i:k]))
            i = k
        for ref, start, end in mentions:
            ref.product = _product_for(tags, start, end, mentions[0][1] if mentions else 0)
        return [ref for ref, _, _ in mentions]

    def _unknown(self, segment: str, run: list[_Tok]) -> list[tuple[UnitRef, int, int]]:
        """An unrecognised run of words; split at "và" when only the parts are close to known names."""
        whole = segment[run[0].start:run[-1].end]
        suggestion = self.suggest(whole)
        cuts = [n for n, t in enumerate(run) if n and t.and_before and t.start > run[n - 1].end]
        if suggestion is None and cuts:
            parts = [run[a:b] for a, b in zip([0, *cuts], [*cuts, len(run)])]
            texts = [segment[p[0].start:p[-1].end] for p in parts]
            hints = [self.suggest(t) for t in texts]
            if any(hints):
                return [(UnitRef(text=t, suggestion=h), p[0].start, p[-1].end)
                        for t, h, p in zip(texts, hints, parts)]
        return [(UnitRef(text=whole, suggestion=suggestion), run[0].start, run[-1].end)]



def _product_for(tags: list[tuple[int, int]], start: int, end: int, first_mention: int) -> int | None:
    """The "(Sản phẩm N)" tag that follows a mention in its item; a tag written
    before every mention of the item applies to the mentions after it."""
    for position, number in tags:
        if position >= end:
            return number
    leading = [number for position, number in tags if position < first_mention and position < start]
    return leading[-1] if leading else None


# --- loading and validation -------------------------------------------------------


class _Map(dict):
    """A YAML mapping that remembers its lines."""

    __slots__ = ("line", "key_lines", "value_lines")


class _Seq(list):
    """A YAML sequence that remembers its lines."""

    __slots__ = ("line", "item_lines")


def _from_node(node: yaml.Node, source: str):
    if isinstance(node, yaml.ScalarNode):
        if node.tag.endswith(":null"):
            return None
        return str(node.value)
    if isinstance(node, yaml.SequenceNode):
        seq = _Seq(_from_node(item, source) for item in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq
    if isinstance(node, yaml.MappingNode):
        mapping = _Map()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines, mapping.value_lines = {}, {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise UnitsConfigError(f"{source}, dòng {line}: khóa phải là một chữ, không phải danh sách.")
            key = str(key_node.value)
            if key in mapping:
                raise UnitsConfigError(
                    f"{source}, dòng {line}: khóa “{key}” bị lặp lại (đã có ở dòng {mapping.key_lines[key]}).")
            mapping[key] = _from_node(value_node, source)
            mapping.key_lines[key] = line
            mapping.value_lines[key] = value_node.start_mark.line + 1
        return mapping
    raise UnitsConfigError(f"{source}: nội dung YAML không đọc được.")  # pragma: no cover


def registry_from_yaml(text: str, source: str = "units.yml") -> UnitRegistry:
    """Parse and validate the YAML text of a units file (no I/O)."""
    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml when there
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", dòng {mark.line + 1}" if mark else ""
        raise UnitsConfigError(f"{source}{where}: không đọc được YAML ({getattr(exc, 'problem', exc)}).") from None
    if node is None:
        raise UnitsConfigError(f"{source}: tệp rỗng; cần có danh sách “units”.")
    return registry_from_data(_from_node(node, source), source)


def load_registry(path: str | Path) -> UnitRegistry:
    """Read and validate content/units.yml."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnitsConfigError(f"{path}: không tìm thấy tệp danh mục đơn vị.") from None
    except UnicodeDecodeError:
        raise UnitsConfigError(f"{path}: tệp phải được lưu với bảng mã UTF-8.") from None
    except OSError as exc:
        raise UnitsConfigError(f"{path}: không đọc được tệp ({exc.strerror}).") from None
    return registry_from_yaml(text, str(path))


def registry_from_data(data: dict, source: str = "units.yml") -> UnitRegistry:
    """Validate already-parsed data (no I/O) and build the registry. Line
    numbers are known when ``data`` comes from ``registry_from_yaml``."""
    import hashlib
    import json

    registry = _Builder(source).build(data)
    # what the registry was built from: part of the key of cached readings (read_cache)
    registry.fingerprint = hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")).hexdigest()
    return registry


class _Builder:
    def __init__(self, source: str):
        self.source = source

    # -- messages

    def where(self, line: int | None) -> str:
        return f"{self.source}, dòng {line}" if line else self.source

    def fail(self, line: int | None, message: str) -> UnitsConfigError:
        return UnitsConfigError(f"{self.where(line)}: {message}")

    @staticmethod
    def key_line(mapping, key: str) -> int | None:
        return getattr(mapping, "key_lines", {}).get(key) or getattr(mapping, "line", None)

    @staticmethod
    def value_line(mapping, key: str) -> int | None:
        return getattr(mapping, "value_lines", {}).get(key) or getattr(mapping, "line", None)

    @staticmethod
    def item_line(seq, index: int, default: int | None) -> int | None:
        lines = getattr(seq, "item_lines", None)
        return lines[index] if lines and index < len(lines) else default

    def check_keys(self, mapping: dict, allowed: dict[str, str], what: str) -> None:
        for key in mapping:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), list(allowed), n=1)
            hint = f" Có phải là “{close[0]}”?" if close else f" Các khóa hợp lệ: {', '.join(allowed)}."
            raise self.fail(self.key_line(mapping, key), f"khóa “{key}” không hợp lệ trong {what}.{hint}")

    def text(self, mapping: dict, key: str, what: str, required: bool = True) -> str:
        value = mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise self.fail(getattr(mapping, "line", None) if key not in mapping else self.key_line(mapping, key),
                                f"{what} thiếu “{key}” ({_UNIT_KEYS.get(key) or _GROUP_KEYS.get(key)}).")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(self.key_line(mapping, key), f"“{key}” của {what} phải là một chữ, không phải danh sách.")
        return normalize(str(value))

    def text_list(self, mapping: dict, key: str, what: str) -> list[tuple[str, int | None]]:
        value = mapping.get(key)
        line = self.value_line(mapping, key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(line, f"“{key}” của {what} phải là một danh sách (mỗi dòng “- …”).")
        out = []
        for n, item in enumerate(value):
            item_line = self.item_line(value, n, line)
            if item is None or isinstance(item, (dict, list)) or not str(item).strip():
                raise self.fail(item_line, f"“{key}” của {what}: mục thứ {n + 1} phải là một chữ, không để trống.")
            out.append((normalize(str(item)), item_line))
        return out

    # -- build

    def build(self, data) -> UnitRegistry:
        if not isinstance(data, dict):
            raise self.fail(getattr(data, "line", None),
                            "tệp danh mục phải gồm các khóa “units:” (danh sách đơn vị) và “groups:” (nhóm).")
        self.check_keys(data, _TOP_KEYS, "tệp danh mục")
        district = self.text(data, "district", "tệp danh mục", required=False)
        units_data = data.get("units")
        if not isinstance(units_data, list) or not units_data:
            raise self.fail(self.key_line(data, "units") if "units" in data else getattr(data, "line", None),
                            "cần có “units:” là danh sách đơn vị (mỗi đơn vị bắt đầu bằng “- id: …”).")
        groups_data = data.get("groups") or []
        if not isinstance(groups_data, list):
            raise self.fail(self.key_line(data, "groups"),
                            "“groups:” phải là danh sách nhóm (mỗi nhóm bắt đầu bằng “- id: …”).")

        units: dict[str, Unit] = {}
        groups: dict[str, UnitGroup] = {}
        id_lines: dict[str, int | None] = {}
        names: list[tuple[str, int | None, tuple[str, str], str]] = []  # text, line, target, kind

        for n, item in enumerate(units_data):
            line = self.item_line(units_data, n, getattr(units_data, "line", None))
            if not isinstance(item, dict):
                raise self.fail(line, f"đơn vị thứ {n + 1} phải gồm các khóa “id:”, “name:”, “kind:”.")
            self.check_keys(item, _UNIT_KEYS, self.label(item, "đơn vị", n))
            ident = self.ident(item, f"đơn vị thứ {n + 1}", id_lines)
            what = f"đơn vị “{ident}”"
            name = self.text(item, "name", what)
            kind = self.text(item, "kind", what)
            if kind not in KINDS:
                close = difflib.get_close_matches(kind, list(KINDS), n=1)
                hint = f" Có phải là “{close[0]}”?" if close else ""
                raise self.fail(self.value_line(item, "kind"),
                                f"loại “{kind}” của {what} không hợp lệ.{hint} Các loại hợp lệ: {', '.join(KINDS)}.")
            short_names = self.text_list(item, "short_names", what)
            aliases = self.text_list(item, "aliases", what)
            units[ident] = Unit(id=ident, name=name, kind=kind, short_names=[s for s, _ in short_names],
                                aliases=[a for a, _ in aliases])
            target = ("unit", ident)
            names.append((name, self.value_line(item, "name"), target, kind))
            names.extend((s, ln, target, kind) for s, ln in [*short_names, *aliases])

        for n, item in enumerate(groups_data):
            line = self.item_line(groups_data, n, getattr(groups_data, "line", None))
            if not isinstance(item, dict):
                raise self.fail(line, f"nhóm thứ {n + 1} phải gồm các khóa “id:”, “name:”, “members:” hoặc “kinds:”.")
            self.check_keys(item, _GROUP_KEYS, self.label(item, "nhóm", n))
            ident = self.ident(item, f"nhóm thứ {n + 1}", id_lines)
            what = f"nhóm “{ident}”"
            name = self.text(item, "name", what)
            aliases = self.text_list(item, "aliases", what)
            members = self.members(item, what, units, groups)
            groups[ident] = UnitGroup(id=ident, name=name, members=members, aliases=[a for a, _ in aliases])
            target = ("group", ident)
            names.append((name, self.value_line(item, "name"), target, "group"))
            names.extend((a, ln, target, "group") for a, ln in aliases)

        entries = self.entries(names, units, groups, district)
        return UnitRegistry(units, groups, entries)

    @staticmethod
    def label(item: dict, noun: str, index: int) -> str:
        ident = item.get("id")
        return f"{noun} “{ident}”" if isinstance(ident, str) and ident.strip() else f"{noun} thứ {index + 1}"

    def ident(self, item: dict, what: str, seen: dict[str, int | None]) -> str:
        if item.get("id") is None or not str(item.get("id")).strip():
            raise self.fail(getattr(item, "line", None) if "id" not in item else self.key_line(item, "id"),
                            f"{what} thiếu “id” (mã viết thường không dấu, ví dụ: phong-noi-vu).")
        if not isinstance(item["id"], str):
            raise self.fail(self.key_line(item, "id"), f"“id” của {what} phải là một chữ.")
        ident = item["id"].strip()
        line = self.value_line(item, "id")
        if not _ID.match(ident):
            raise self.fail(line, f"mã “{ident}” không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch nối "
                                  "(ví dụ: phong-noi-vu).")
        if ident in seen:
            first = seen[ident]
            at = f" ở dòng {first}" if first else ""
            raise self.fail(line, f"mã “{ident}” bị trùng: đã dùng{at}. Mỗi đơn vị, nhóm phải có mã riêng.")
        seen[ident] = line
        return ident

    def members(self, item: dict, what: str, units: dict[str, Unit], groups: dict[str, UnitGroup]) -> list[str]:
        has_members, has_kinds = item.get("members") is not None, item.get("kinds") is not None
        if has_members == has_kinds:
            raise self.fail(getattr(item, "line", None),
                            f"{what} phải có đúng một trong hai khóa: “members” (danh sách mã đơn vị) "
                            "hoặc “kinds” (danh sách loại đơn vị).")
        if has_kinds:
            kinds = self.text_list(item, "kinds", what)
            for kind, line in kinds:
                if kind not in KINDS:
                    close = difflib.get_close_matches(kind, list(KINDS), n=1)
                    hint = f" Có phải là “{close[0]}”?" if close else ""
                    raise self.fail(line, f"{what}: loại “{kind}” không hợp lệ.{hint} "
                                          f"Các loại hợp lệ: {', '.join(KINDS)}.")
            wanted = {k for k, _ in kinds}
            return [u.id for u in units.values() if u.kind in wanted]
        out: dict[str, None] = {}
        for member, line in self.text_list(item, "members", what):
            if member not in units:
                if member in groups:
                    reason = "là mã của một nhóm; “members” chỉ gồm mã đơn vị"
                else:
                    close = difflib.get_close_matches(member, list(units), n=1)
                    reason = "không phải mã của đơn vị nào trong danh mục" + (
                        f". Có phải là “{close[0]}”?" if close else "")
                raise self.fail(line, f"{what}: “{member}” {reason}.")
            out[member] = None
        return list(out)

    # -- names → match entries

    def entries(self, names, units, groups, district: str) -> list[_Entry]:
        explicit: dict[tuple[str, ...], list[_Entry]] = {}
        order: list[_Entry] = []
        for text, line, target, kind in names:
            key = name_key(text)
            if not key:
                raise self.fail(line, f"tên “{text}” không có chữ nào để nhận diện.")
            words = tuple(w for w, _ in key)
            same = explicit.setdefault(words, [])
            for other in same:
                if other.target != target and _compatible((c for _, c in key), (c for _, c in other.key)):
                    at = f" (dòng {other.line})" if other.line else ""
                    owner = units[other.target[1]].name if other.target[0] == "unit" else groups[other.target[1]].name
                    raise self.fail(line, f"tên “{text}” đã được dùng cho “{owner}”{at}; mỗi tên gọi chỉ được "
                                          "thuộc về một đơn vị hoặc một nhóm.")
            entry = _Entry(key, target, line, text, True)
            if not any(o.target == target and o.key == key for o in same):
                same.append(entry)
                order.append(entry)
        # generated variants: optional "huyện", "Phòng", "UBND xã", "Các"
        auto: dict[tuple[str, ...], list[_Entry]] = {}
        ambiguous: set[tuple[str, ...]] = set()
        for entry in list(order):
            kind = units[entry.target[1]].kind if entry.target[0] == "unit" else "group"
            for variant in _variants(entry.key, kind, district):
                words = tuple(w for w, _ in variant)
                canons = [c for _, c in variant]
                if any(_compatible(canons, (c for _, c in o.key)) for o in explicit.get(words, [])):
                    continue  # an explicit name always wins
                same = auto.setdefault(words, [])
                if any(o.target != entry.target and _compatible(canons, (c for _, c in o.key)) for o in same):
                    ambiguous.add(words)
                if not any(o.target == entry.target and o.key == variant for o in same):
                    same.append(_Entry(variant, entry.target, entry.line, entry.text, False))
        for words, generated in auto.items():
            if words not in ambiguous:
                order.extend(generated)
        return order


_PHONG = name_key("Phòng")
_CAC = name_key("Các")
_UBND = name_key("UBND")
_LEVELS = (name_key("xã"), name_key("thị trấn"))
_HUYEN = name_key("huyện")
_CAP_HUYEN = name_key("cấp huyện")
_NHAN_DAN = name_key("nhân dân")


def _variants(key: Key, kind: str, district: str) -> set[Key]:
    """Spellings that mean the same as ``key``: "huyện" / "cấp huyện" / "huyện
    Quảng Điền" at the end optional, "Phòng" before a phòng's name optional,
    "UBND" and "xã" before a commune's name optional, "Các" before a group."""
    district_suffix = _HUYEN + name_key(district) if district else ()
    out: set[Key] = {key}
    if kind in ("phong-ban", "trung-tam", "group", "cap-huyen"):
        suffixes = [s for s in (district_suffix, _CAP_HUYEN, _HUYEN) if s]
        base = key
        for suffix in suffixes:
            stripped = _strip_suffix(key, suffix)
            if stripped is not None:
                base = stripped
                break
        ends_with_body = [w for w, _ in base[-2:]] == [w for w, _ in _NHAN_DAN]  # "UBND huyện": keep "huyện"
        if kind == "cap-huyen" or ends_with_body:
            if base is not key and district_suffix:
                out.add(base + district_suffix)
        elif base is not key or kind in ("phong-ban", "trung-tam"):
            out.add(base)
            out.add(base + _HUYEN)
            if district_suffix:
                out.add(base + district_suffix)
            if kind != "group":
                out.add(base + _CAP_HUYEN)
    if kind == "phong-ban":
        for variant in list(out):
            stripped = _strip_prefix(variant, _PHONG)
            out.add(stripped if stripped is not None else _PHONG + variant)
    elif kind == "group":
        stripped = _strip_prefix(key, _CAC)  # not combined with the "huyện" variants: "cơ quan" alone is too vague
        if stripped is not None:
            out.add(stripped)
    elif kind == "xa-thi-tran":
        core = _strip_prefix(key, _UBND) or key
        level: Key = ()
        for candidate in _LEVELS:
            stripped = _strip_prefix(core, candidate)
            if stripped is not None:
                level, core = core[:len(candidate)], stripped
                break
        if level:
            out.update({core, level + core, _UBND + core, _UBND + level + core})
    out.discard(key)
    return {v for v in out if len(v) >= 2}  # a generated one-word name would be too vague


__all__ = [
    "ABBREVIATIONS",
    "KINDS",
    "UnitRegistry",
    "UnitsConfigError",
    "load_registry",
    "name_key",
    "registry_from_data",
    "registry_from_yaml",
]
