"""Status of a task on a given day (quá hạn, sắp đến hạn, còn hạn…). Pure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from .model import Deadline, Task
from .text import fold

#: A dated deadline this close (in days) is "sắp đến hạn".
SOON_DAYS = 14


class Status(str, Enum):
    DONE = "da-hoan-thanh"
    OVERDUE = "qua-han"
    SOON = "sap-den-han"
    OPEN = "con-han"
    UNKNOWN = "khong-xac-dinh"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Status.DONE: "Đã hoàn thành",
    Status.OVERDUE: "Quá hạn",
    Status.SOON: "Sắp đến hạn",
    Status.OPEN: "Còn hạn",
    Status.UNKNOWN: "Không xác định",
}

#: Order used for counts and legends.
ORDER = [Status.OVERDUE, Status.SOON, Status.OPEN, Status.UNKNOWN, Status.DONE]

_NOT_DONE = ("chua hoan thanh", "khong hoan thanh", "dang thuc hien", "chua thuc hien", "cham")
_DONE = ("da hoan thanh", "hoan thanh", "xong", "da thuc hien", "da ban hanh")


def is_done(status_text: str) -> bool:
    """A progress cell that says the task is finished ("Đã hoàn thành", "Xong")."""
    text = fold(status_text)
    if not text or any(word in text for word in _NOT_DONE):
        return False
    return any(text.startswith(word) or f" {word}" in f" {text}" for word in _DONE)


@dataclass(frozen=True, slots=True)
class TaskStatus:
    status: Status
    next_deadline: Deadline | None  # the first dated deadline on or after today
    last_missed: Deadline | None  # the latest dated deadline before today
    days_left: int | None  # days to next_deadline

    @property
    def label(self) -> str:
        return self.status.label


def task_status(task: Task, today: dt.date) -> TaskStatus:
    dated = sorted((d for d in task.deadlines if d.date is not None), key=lambda d: d.date)
    upcoming = [d for d in dated if d.date >= today]
    missed = [d for d in dated if d.date < today]
    nxt = upcoming[0] if upcoming else None
    last = missed[-1] if missed else None
    days = (nxt.date - today).days if nxt else None
    if task.status_text and is_done(task.status_text):
        return TaskStatus(Status.DONE, nxt, last, days)
    if nxt is not None:
        status = Status.SOON if days <= SOON_DAYS else Status.OPEN
        return TaskStatus(status, nxt, last, days)
    if last is not None:
        return TaskStatus(Status.OVERDUE, None, last, None)
    return TaskStatus(Status.UNKNOWN, None, None, None)
