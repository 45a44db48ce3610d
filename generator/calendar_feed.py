"""Deadlines as iCalendar feeds (RFC 5545), for Google / Outlook / phone calendars.

Pure: returns the .ics bytes, the caller writes them. One all-day VEVENT per
deadline that resolves to a date (``Deadline.date``; for a month, quarter or
year range that is its last day). Deadlines without a date ("Thường xuyên",
"Chậm nhất 30 ngày kể từ …") have no place in a calendar and are left out.

Output is deterministic byte for byte: the build stamp is given by the caller,
UIDs are hashes of where the deadline comes from, events are sorted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable

from icalendar import Calendar

from .model import Deadline, Plan, Task

PRODID = "-//cchc//Cong khai CCHC//VI"
UID_DOMAIN = "cchc"

UrlForTask = Callable[[Task], str]


def event_uid(plan: Plan, task: Task, index: int) -> str:
    """Stable, unique id of the ``index``-th deadline of a task (index among all its deadlines)."""
    source = f"{plan.file}|{plan.sheet}|{task.id}|{index}@{UID_DOMAIN}"
    return hashlib.sha1(source.encode("utf-8")).hexdigest() + "@" + UID_DOMAIN


def event_summary(task: Task, deadline: Deadline) -> str:
    summary = f"{task.code or task.id} {task.title}".strip()
    if deadline.label:
        summary += f" – {deadline.label}"
    if deadline.product is not None:
        summary += f" (Sản phẩm {deadline.product})"
    return summary


def event_description(task: Task, deadline: Deadline, url: str) -> str:
    lines = [f"Thời hạn: {deadline.text}"]
    if task.lead_text:
        lines.append(f"Chủ trì: {task.lead_text}")
    if url:
        lines.append(f"Chi tiết: {url}")
    return "\n".join(lines)


def _utc(stamp: dt.datetime) -> dt.datetime:
    """DTSTAMP must be UTC (RFC 5545 3.8.7.2); a naive stamp is taken as UTC."""
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.timezone.utc)
    return stamp.astimezone(dt.timezone.utc)


_TEXT_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})


def content_line(name: str, value: str) -> bytes:
    """One content line, folded at 75 octets without splitting a character
    (RFC 5545 3.1), CRLF-terminated."""
    line = f"{name}:{value}"
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    out, chunk, size, limit = [], [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(chunk))
            chunk, size, limit = [], 0, 74  # continuation lines start with a space
        chunk.append(ch)
        size += width
    out.append("".join(chunk))
    return "\r\n ".join(out).encode("utf-8") + b"\r\n"


def _text(value: str) -> str:
    return value.translate(_TEXT_ESCAPES)


def _event(plan: Plan, task: Task, index: int, deadline: Deadline, url: str, stamp: dt.datetime) -> bytes:
    """One all-day VEVENT. Written directly (the calendars of a province hold
    tens of thousands of events: icalendar's writer took seconds); the tests
    read every feed back with icalendar."""
    end = deadline.date + dt.timedelta(days=1)
    parts = [
        b"BEGIN:VEVENT\r\n",
        content_line("UID", event_uid(plan, task, index)),
        content_line("DTSTAMP", stamp.strftime("%Y%m%dT%H%M%SZ")),
        content_line("DTSTART;VALUE=DATE", deadline.date.strftime("%Y%m%d")),
        content_line("DTEND;VALUE=DATE", end.strftime("%Y%m%d")),
        content_line("SUMMARY", _text(event_summary(task, deadline))),
        content_line("DESCRIPTION", _text(event_description(task, deadline, url))),
    ]
    if url:
        parts.append(content_line("URL", url))
    parts.append(b"TRANSP:TRANSPARENT\r\n")  # a deadline does not make anyone busy
    parts.append(b"END:VEVENT\r\n")
    return b"".join(parts)


class EventCache:
    """VEVENTs already written: a task's event is the same in its plan's
    calendar and in the calendar of every unit that leads or supports it."""

    def __init__(self):
        self._events: dict[tuple, bytes] = {}

    def get(self, plan: Plan, task: Task, index: int, deadline: Deadline, url: str, stamp: dt.datetime) -> bytes:
        key = (id(plan), id(task), index, url, stamp)
        data = self._events.get(key)
        if data is None:
            data = self._events[key] = _event(plan, task, index, deadline, url, stamp)
        return data


def inspection_events(view, stamp: dt.datetime, url: str, unit_id: str | None = None) -> list[tuple[dt.date, bytes]]:
    """(date, VEVENT) of every dated inspection, conclusion and remediation
    deadline of an InspectionsView (of one unit with ``unit_id``)."""
    stamp = _utc(stamp)
    out = []
    for day, what, names, row in view.dated():
        item = row.item
        if unit_id is not None and unit_id not in item.unit_ids:
            continue
        kind = "kiem-tra" if what == "Kiểm tra CCHC" else "ket-luan" if what.startswith("Thông báo") else "khac-phuc"
        uid = hashlib.sha1(f"{kind}|{item.row}|{names}|{day}@{UID_DOMAIN}".encode("utf-8")).hexdigest()
        end = (item.end if kind == "kiem-tra" and getattr(item, "end", None) and item.end >= day else day)
        detail = (f"Nhiệm vụ khắc phục: {item.task}" if kind == "khac-phuc"
                  else f"{item.round} · {item.form} · {item.time_text}".strip(" ·"))
        parts = [b"BEGIN:VEVENT\r\n", content_line("UID", f"{uid}@{UID_DOMAIN}"),
                 content_line("DTSTAMP", stamp.strftime("%Y%m%dT%H%M%SZ")),
                 content_line("DTSTART;VALUE=DATE", day.strftime("%Y%m%d")),
                 content_line("DTEND;VALUE=DATE", (end + dt.timedelta(days=1)).strftime("%Y%m%d")),
                 content_line("SUMMARY", _text(f"{what}: {names}")),
                 content_line("DESCRIPTION", _text(detail + (f"\nChi tiết: {url}" if url else "")))]
        if url:
            parts.append(content_line("URL", url))
        parts += [b"TRANSP:TRANSPARENT\r\n", b"END:VEVENT\r\n"]
        out.append((day, b"".join(parts)))
    return out


def _calendar(items: Iterable[tuple[Plan, Task]], url_for_task: UrlForTask, stamp: dt.datetime,
              name: str, events: EventCache | None = None,
              extra: list[tuple[dt.date, bytes]] | None = None) -> bytes:
    stamp = _utc(stamp)
    events = events or EventCache()
    dated = []
    for plan, task in items:
        for index, deadline in enumerate(task.deadlines):
            if deadline.date is not None:
                key = (deadline.date, task.row, index, plan.file, plan.sheet, task.id)
                dated.append((key, plan, task, index, deadline))
    dated.sort(key=lambda item: item[0])

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)

    urls: dict[int, str] = {}
    body = []
    for _key, plan, task, index, deadline in dated:
        if id(task) not in urls:
            urls[id(task)] = url_for_task(task)
        body.append((deadline.date, events.get(plan, task, index, deadline, urls[id(task)], stamp)))
    if extra:  # inspections and remediation deadlines, in date order among the tasks'
        body = sorted(body + list(extra), key=lambda item: item[0])
    body = [event for _, event in body]
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return head[: -len(end)] + b"".join(body) + end


def plan_calendar(plan: Plan, *, url_for_task: UrlForTask, stamp: dt.datetime, name: str,
                  events: EventCache | None = None) -> bytes:
    """Every dated deadline of one plan."""
    return _calendar(((plan, task) for task in plan.tasks), url_for_task, stamp, name, events)


def unit_calendar(unit_name: str, items: list[tuple[Plan, Task]], *, url_for_task: UrlForTask,
                  stamp: dt.datetime, name: str, events: EventCache | None = None,
                  extra: list[tuple[dt.date, bytes]] | None = None) -> bytes:
    """Every dated deadline of the given tasks (chosen by the caller, e.g. those a
    unit leads), and ``extra`` events (its inspections). ``unit_name`` is used as
    the calendar name when ``name`` is empty."""
    return _calendar(items, url_for_task, stamp, name or unit_name, events, extra)


def inspection_calendar(view, *, stamp: dt.datetime, url: str, name: str) -> bytes:
    """Every inspection, conclusion and remediation deadline of the site."""
    return _calendar((), lambda task: "", stamp, name, extra=inspection_events(view, stamp, url))


__all__ = ["PRODID", "EventCache", "inspection_calendar", "inspection_events", "event_description", "event_summary", "event_uid", "plan_calendar", "unit_calendar"]
