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

from icalendar import Calendar, Event

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


def _calendar(items: Iterable[tuple[Plan, Task]], url_for_task: UrlForTask, stamp: dt.datetime,
              name: str) -> bytes:
    stamp = _utc(stamp)
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
    for _key, plan, task, index, deadline in dated:
        if id(task) not in urls:
            urls[id(task)] = url_for_task(task)
        url = urls[id(task)]
        event = Event()
        event.add("uid", event_uid(plan, task, index))
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.date)
        event.add("dtend", deadline.date + dt.timedelta(days=1))
        event.add("summary", event_summary(task, deadline))
        event.add("description", event_description(task, deadline, url))
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
        calendar.add_component(event)
    return calendar.to_ical()


def plan_calendar(plan: Plan, *, url_for_task: UrlForTask, stamp: dt.datetime, name: str) -> bytes:
    """Every dated deadline of one plan."""
    return _calendar(((plan, task) for task in plan.tasks), url_for_task, stamp, name)


def unit_calendar(unit_name: str, items: list[tuple[Plan, Task]], *, url_for_task: UrlForTask,
                  stamp: dt.datetime, name: str) -> bytes:
    """Every dated deadline of the given tasks (chosen by the caller, e.g. those a
    unit leads). ``unit_name`` is used as the calendar name when ``name`` is empty."""
    return _calendar(items, url_for_task, stamp, name or unit_name)


__all__ = ["PRODID", "event_description", "event_summary", "event_uid", "plan_calendar", "unit_calendar"]
