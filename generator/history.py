"""The public change log: what changed between two accepted snapshots of a source.

When a new snapshot of a source (a spreadsheet) is accepted it is compared with
the previous one; every difference citizens care about (a deadline pushed
back, a lead unit replaced, a task dropped, a score or a TTHC figure revised)
becomes a ``Change``, appended to ``content/history/<source>.jsonl``: one JSON
object per line, UTF-8, keys sorted, never rewritten.

The diff functions are pure; ``append_history`` and ``load_history`` are the
only ones that touch files. Old and new values are kept as typed (strings,
"" when absent); numbers are shown the Vietnamese way (decimal comma,
thousands dot) so the log reads like the sheets.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from collections import Counter
from dataclasses import asdict, dataclass, fields
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from .deadlines import parse_deadlines
from .model import Plan, Task
from .scores import SCORE_FIELDS, ScoreCard, ScoreItem
from .text import VN, format_count, format_number
from .tthc import FIGURES, TthcReport, TthcRow

log = logging.getLogger(__name__)

#: Kinds of change (stable strings, stored in the log) and their Vietnamese label.
KIND_LABELS = {
    "task-added": "Thêm nhiệm vụ",
    "task-removed": "Bỏ nhiệm vụ",
    "deadline-changed": "Đổi thời hạn",
    "lead-changed": "Đổi cơ quan chủ trì",
    "support-changed": "Đổi cơ quan phối hợp",
    "title-changed": "Đổi tên nhiệm vụ",
    "products-changed": "Đổi sản phẩm đầu ra",
    "score-changed": "Đổi điểm Chỉ số CCHC",
    "figure-changed": "Đổi số liệu TTHC",
    "row-added": "Thêm dòng số liệu TTHC",
    "row-removed": "Bỏ dòng số liệu TTHC",
}
#: Kinds that concern one task of a plan (``key`` is the task id).
TASK_KINDS = frozenset({"task-added", "task-removed", "deadline-changed", "lead-changed", "support-changed",
                        "title-changed", "products-changed"})

#: Task fields compared, in the order changes are reported: attribute, kind, Vietnamese field name.
TASK_FIELDS = (
    ("title", "title-changed", "Tên nhiệm vụ"),
    ("deadline_text", "deadline-changed", "Thời hạn"),
    ("lead_text", "lead-changed", "Cơ quan chủ trì"),
    ("support_text", "support-changed", "Cơ quan phối hợp"),
    ("products_text", "products-changed", "Sản phẩm đầu ra"),
)
#: Score fields compared (numbers, then the reason text).
SCORE_NUMBERS = ("maximum", "self_score", "appraised", "not_applicable")
TASK_FIELD_NAME = "Nhiệm vụ"
ROW_FIELD_NAME = "Dòng số liệu"
TOTAL_FIELD_NAME = "Tổng điểm"
#: Figures summarised when a whole TTHC row appears or disappears.
_ROW_SUMMARY = ("received_total", "resolved_total", "pending_total")
_LABEL_MAX = 90
_SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d|21\d\d)(?!\d)")


@dataclass(frozen=True)
class Change:
    """One difference between two snapshots of a source, as shown to citizens."""

    date: str  # ISO datetime of the accepted snapshot ("2022-11-03T08:15:00+07:00")
    source: str  # source id (the stem of sheets/<id>.xlsx)
    kind: str  # one of KIND_LABELS
    key: str  # task id, criterion TT, or "unit|period"
    label: str  # "Nhiệm vụ 1.1.2 Mức độ hoàn thành kế hoạch CCHC"
    field: str  # "Thời hạn", "Điểm thẩm định", …
    old: str = ""
    new: str = ""
    sheet: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def when(self) -> dt.datetime:
        return parse_date(self.date)

    @property
    def day(self) -> dt.date:
        """The day of the snapshot, in the time it was written with."""
        return self.when.date()

    @property
    def time(self) -> str:
        return self.when.strftime("%H:%M")

    @property
    def later(self) -> bool:
        """A deadline change that moves the latest date later ("lùi hạn")."""
        if self.kind != "deadline-changed":
            return False
        year = _common_year(self.old, self.new)
        old, new = _latest(self.old, year), _latest(self.new, year)
        return old is not None and new is not None and new > old

    @property
    def is_task(self) -> bool:
        return self.kind in TASK_KINDS

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict) -> "Change":
        names = {f.name for f in fields(cls)}
        values = {name: "" if data.get(name) is None else str(data.get(name)) for name in names}
        return cls(**values)


def parse_date(value: str) -> dt.datetime:
    """An ISO date or datetime; without an offset it is taken as Việt Nam time."""
    when = dt.datetime.fromisoformat(value.strip())
    return when if when.tzinfo else when.replace(tzinfo=VN)  # a date without an offset is Vietnam's


def _iso(date) -> str:
    if isinstance(date, dt.datetime):
        return date.isoformat(timespec="seconds")
    if isinstance(date, dt.date):
        return date.isoformat()
    text = str(date).strip()
    parse_date(text)  # refuse a date the log could not be sorted by
    return text


def _common_year(*texts: str) -> int | None:
    years = Counter(int(y) for t in texts for y in _YEAR.findall(t or ""))
    return years.most_common(1)[0][0] if years else None


def _latest(text: str, plan_year: int | None) -> dt.date | None:
    if not text.strip():
        return None
    days = [d.date for d in parse_deadlines(text, plan_year=plan_year) if d.date is not None]
    return max(days, default=None)


def _same(a: str, b: str) -> bool:
    """Equal but for spacing (a re-saved sheet may add or drop a trailing space)."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _short(text: str, limit: int = _LABEL_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,;:.-–") + "…"


def _paired(items: Iterable, key) -> dict:
    """Items by (key, n): the n-th item with the same key, so duplicates pair in order."""
    seen: Counter = Counter()
    out = {}
    for item in items:
        k = key(item)
        out[(k, seen[k])] = item
        seen[k] += 1
    return out


# --- plans ---------------------------------------------------------------------------


def task_label(task: Task) -> str:
    if task.id.startswith("dong-"):
        name = f"Nhiệm vụ (dòng {task.id[5:]})"
    else:
        name = f"Nhiệm vụ {task.id}"
    title = _short(task.title)
    return f"{name} {title}" if title else name


def diff_plans(old: Sequence[Plan], new: Sequence[Plan], *, source: str, date) -> list[Change]:
    """Tasks added, removed or changed, plans matched by sheet name and tasks by id.
    Changes come in the new sheets' order (removed tasks after the others of
    their sheet); a sheet that disappeared has all its tasks removed."""
    date = _iso(date)
    old_plans = _paired(old, lambda p: p.sheet)
    new_plans = _paired(new, lambda p: p.sheet)
    changes: list[Change] = []
    for key, plan in new_plans.items():
        changes.extend(_diff_tasks(old_plans[key].tasks if key in old_plans else [], plan.tasks,
                                   source=source, date=date, sheet=plan.sheet))
    for key, plan in old_plans.items():
        if key not in new_plans:
            changes.extend(_diff_tasks(plan.tasks, [], source=source, date=date, sheet=plan.sheet))
    return changes


def _diff_tasks(old: list[Task], new: list[Task], *, source: str, date: str, sheet: str) -> list[Change]:
    before = _paired(old, lambda t: t.id)
    after = _paired(new, lambda t: t.id)
    changes: list[Change] = []

    def change(kind, task, field, old_value, new_value):
        changes.append(Change(date=date, source=source, kind=kind, key=task.id, label=task_label(task),
                              field=field, old=old_value, new=new_value, sheet=sheet))

    for key, task in after.items():
        previous = before.get(key)
        if previous is None:
            change("task-added", task, TASK_FIELD_NAME, "", task.title)
            continue
        for attr, kind, name in TASK_FIELDS:
            a, b = getattr(previous, attr), getattr(task, attr)
            if not _same(a, b):
                change(kind, task, name, a, b)
    for key, task in before.items():
        if key not in after:
            change("task-removed", task, TASK_FIELD_NAME, task.title, "")
    return changes


# --- scores --------------------------------------------------------------------------


def _card_key(card: ScoreCard):
    return ("year", card.year) if card.year else ("sheet", card.sheet)


def _card_name(card: ScoreCard) -> str:
    return f"Chỉ số CCHC năm {card.year}" if card.year else f"Chỉ số CCHC ({card.sheet})"


def _score_values(item: ScoreItem) -> dict[str, str]:
    values = {
        "maximum": item.maximum,
        "self_score": item.self_score,
        "appraised": item.appraised,
        # only a typed N/A: an empty parent cell is its children's sum, already reported
        "not_applicable": item.not_applicable if item.not_applicable_typed else None,
    }
    out = {name: format_number(value, 3) for name, value in values.items()}
    out["reason"] = item.reason
    return out


def diff_scores(old: Sequence[ScoreCard], new: Sequence[ScoreCard], *, source: str, date) -> list[Change]:
    """Score changes, cards matched by year (or sheet name) and items by TT. A card
    that appears or disappears is one change of its total."""
    date = _iso(date)
    before = _paired(old, _card_key)
    after = _paired(new, _card_key)
    changes: list[Change] = []
    for key, card in after.items():
        previous = before.get(key)
        if previous is None:
            changes.append(_card_change(None, card, source, date))
        else:
            changes.extend(_diff_items(previous, card, source, date))
    for key, card in before.items():
        if key not in after:
            changes.append(_card_change(card, None, source, date))
    return changes


def _card_change(old: ScoreCard | None, new: ScoreCard | None, source: str, date: str) -> Change:
    card = new or old
    return Change(date=date, source=source, kind="score-changed", key="", label=f"Bảng điểm {_card_name(card)}",
                  field=TOTAL_FIELD_NAME, old=format_number(old.total_score, 3) if old else "",
                  new=format_number(new.total_score, 3) if new else "", sheet=card.sheet)


def _diff_items(old: ScoreCard, new: ScoreCard, source: str, date: str) -> list[Change]:
    before = _paired(old.all_items(), lambda i: i.code)
    after = _paired(new.all_items(), lambda i: i.code)
    empty = {name: "" for name in (*SCORE_NUMBERS, "reason")}
    changes: list[Change] = []

    def compare(a: ScoreItem | None, b: ScoreItem | None):
        item = b or a
        va = _score_values(a) if a else empty
        vb = _score_values(b) if b else empty
        title = _short(item.title)
        label = f"Tiêu chí {item.code} {title}".rstrip() + f" ({_card_name(new)})"
        for name in (*SCORE_NUMBERS, "reason"):
            if not _same(va[name], vb[name]):
                changes.append(Change(date=date, source=source, kind="score-changed", key=item.code, label=label,
                                      field=SCORE_FIELDS[name], old=va[name], new=vb[name], sheet=new.sheet))

    for key, item in after.items():
        compare(before.get(key), item)
    for key, item in before.items():
        if key not in after:
            compare(item, None)
    return changes


# --- TTHC ----------------------------------------------------------------------------


def _row_key(row: TthcRow) -> str:
    return f"{row.unit}|{row.period}"


def _row_label(row: TthcRow) -> str:
    return ", ".join(part for part in (row.unit, row.period) if part) or f"dòng {row.row}"


def _row_summary(row: TthcRow) -> str:
    figures = {f.key: f for f in FIGURES}
    parts = [f"{figures[k].label}: {format_count(row.figure(k))}" for k in _ROW_SUMMARY if row.figure(k) is not None]
    return "; ".join(parts) or f"dòng {row.row}"


def diff_tthc(old: Sequence[TthcReport], new: Sequence[TthcReport], *, source: str, date) -> list[Change]:
    """Figures changed, rows added or removed; reports matched by sheet name
    and rows by (unit, period)."""
    date = _iso(date)
    before = _paired(old, lambda r: r.sheet)
    after = _paired(new, lambda r: r.sheet)
    changes: list[Change] = []
    for key, report in after.items():
        previous = before.get(key)
        changes.extend(_diff_rows(previous.rows if previous else [], report.rows, source, date, report.sheet))
    for key, report in before.items():
        if key not in after:
            changes.extend(_diff_rows(report.rows, [], source, date, report.sheet))
    return changes


def _diff_rows(old: list[TthcRow], new: list[TthcRow], source: str, date: str, sheet: str) -> list[Change]:
    before = _paired(old, _row_key)
    after = _paired(new, _row_key)
    changes: list[Change] = []
    for key, row in after.items():
        previous = before.get(key)
        label = f"Tiến độ TTHC: {_row_label(row)}"
        if previous is None:
            changes.append(Change(date=date, source=source, kind="row-added", key=key[0], label=label,
                                  field=ROW_FIELD_NAME, old="", new=_row_summary(row), sheet=sheet))
            continue
        for figure in FIGURES:
            a, b = format_count(previous.figure(figure.key)), format_count(row.figure(figure.key))
            if a != b:
                changes.append(Change(date=date, source=source, kind="figure-changed", key=key[0], label=label,
                                      field=figure.label, old=a, new=b, sheet=sheet))
    for key, row in before.items():
        if key not in after:
            changes.append(Change(date=date, source=source, kind="row-removed", key=key[0],
                                  label=f"Tiến độ TTHC: {_row_label(row)}", field=ROW_FIELD_NAME,
                                  old=_row_summary(row), new="", sheet=sheet))
    return changes


# --- whole workbooks -----------------------------------------------------------------


def diff_results(old_results: Sequence, new_results: Sequence, *, source: str, date) -> list[Change]:
    """Every change between two readings of a source (lists of WorkbookResult,
    or anything with ``.plans``, ``.scores`` and ``.tthc``): plans, then
    scores, then TTHC figures."""

    def gather(results, attr):
        return [item for result in results for item in (getattr(result, attr, None) or [])]

    return [
        *diff_plans(gather(old_results, "plans"), gather(new_results, "plans"), source=source, date=date),
        *diff_scores(gather(old_results, "scores"), gather(new_results, "scores"), source=source, date=date),
        *diff_tthc(gather(old_results, "tthc"), gather(new_results, "tthc"), source=source, date=date),
    ]


# --- the log files -------------------------------------------------------------------


def source_of_file(file: str) -> str:
    """The source id of a snapshot file: the stem of its name ("sheets/<id>.xlsx" → "<id>")."""
    return PurePosixPath(str(file).replace("\\", "/")).stem


def _source_id(value: str) -> str:
    text = str(value)
    if "/" in text or "\\" in text or text.lower().endswith(_SPREADSHEET_SUFFIXES):
        return source_of_file(text)
    return text


def append_history(folder: Path, source: str, changes: Sequence[Change]) -> Path:
    """Append changes to ``folder/<source>.jsonl`` (created if needed), one JSON
    object per line; the existing bytes are never rewritten. A last line cut
    short by an interrupted append is closed first so it cannot swallow the
    next record."""
    folder = Path(folder)
    if not source or "/" in source or "\\" in source or source in (".", ".."):
        raise ValueError(f"mã nguồn không hợp lệ: {source!r}")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{source}.jsonl"
    if not changes:
        return path
    payload = "".join(change.to_json() + "\n" for change in changes).encode("utf-8")
    with open(path, "ab") as fh:
        if fh.tell() > 0:
            with open(path, "rb") as existing:
                existing.seek(-1, os.SEEK_END)
                if existing.read(1) != b"\n":
                    payload = b"\n" + payload
        fh.write(payload)
        fh.flush()
        os.fsync(fh.fileno())
    return path


def _read_log(path: Path) -> list[Change]:
    out: list[Change] = []
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        log.warning("Không đọc được nhật ký thay đổi %s: %s", path, exc)
        return out
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError("không phải một đối tượng JSON")
            change = Change.from_dict(data)
            change.when  # noqa: B018 - a record whose date cannot be read cannot be sorted
            change.to_json().encode("utf-8")  # a lone surrogate ("\ud800") could not be written to a page
        except UnicodeEncodeError:
            log.warning("Bỏ qua dòng %d của %s: ký tự không hợp lệ", number, path)
            continue
        except ValueError as exc:
            where = "dòng cuối (có thể bị cắt do ghi dở)" if number >= len(lines) - 1 else f"dòng {number}"
            log.warning("Bỏ qua %s của %s: %s", where, path, exc)
            continue
        out.append(change)
    return out


def load_history(folder: Path) -> list[Change]:
    """Every change of every ``*.jsonl`` log in the folder, newest first (ties
    keep file-name and line order). A line that cannot be read (a truncated
    last line) is skipped with a warning; a missing folder is an empty log."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    changes = [change for path in sorted(folder.glob("*.jsonl")) for change in _read_log(path)]
    return newest_first(changes)


def newest_first(changes: Iterable[Change]) -> list[Change]:
    return sorted(changes, key=lambda c: c.when, reverse=True)  # sort is stable, also reversed


def task_history(changes: Iterable[Change], source: str | None, task_id: str, *,
                 sheet: str | None = None) -> list[Change]:
    """The changes of one task, newest first. ``source`` is a source id or a
    plan's file ("sheets/<id>.xlsx"); None matches any source. ``sheet``
    narrows to one sheet of a workbook with several plans."""
    wanted = _source_id(source) if source is not None else None
    return newest_first(
        c for c in changes
        if c.kind in TASK_KINDS and c.key == task_id
        and (wanted is None or c.source == wanted)
        and (sheet is None or c.sheet == sheet)
    )
