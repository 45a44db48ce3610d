"""iCalendar feeds of the deadlines, on the real Quảng Điền 2022 appendix."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from generator.calendar_feed import plan_calendar, unit_calendar

STAMP = dt.datetime(2024, 5, 1, 8, 30, tzinfo=dt.timezone.utc)
BASE = "https://cchc.example.vn/nhiem-vu/"


def url_for(task) -> str:
    return BASE + task.id + "/"


def events(ics: bytes) -> list:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def by_summary_prefix(evs, prefix: str) -> list:
    return [e for e in evs if str(e["SUMMARY"]).startswith(prefix)]


@pytest.fixture(scope="module")
def ics(plan) -> bytes:
    return plan_calendar(plan, url_for_task=url_for, stamp=STAMP, name="Quảng Điền 2022")


def test_one_event_per_dated_deadline(plan, ics):
    expected = 0
    for task in plan.tasks:
        for deadline in task.deadlines:
            if deadline.date is not None:
                expected += 1
    assert expected > 50  # the real appendix: most deadlines are "Trước ngày …"
    assert len(events(ics)) == expected


def test_calendar_properties(ics):
    cal = Calendar.from_ical(ics)
    assert str(cal["PRODID"]) == "-//cchc//Cong khai CCHC//VI"
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["X-WR-CALNAME"]) == "Quảng Điền 2022"
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")


def test_known_event_2_1_1(plan, ics):
    task = next(t for t in plan.tasks if t.row == 26)
    assert task.code == "2.1.1"
    found = by_summary_prefix(events(ics), "2.1.1 Ban hành kế hoạch theo dõi")
    assert len(found) == 1
    event = found[0]
    start = event["DTSTART"]
    assert start.params.get("VALUE") == "DATE"
    assert event.decoded("DTSTART") == dt.date(2021, 1, 15)
    assert type(event.decoded("DTSTART")) is dt.date  # all-day, not a datetime
    assert event.decoded("DTEND") == dt.date(2021, 1, 16)
    assert str(event["URL"]) == BASE + "2.1.1/"
    description = str(event["DESCRIPTION"])
    assert "Trước 15/01/2021" in description
    assert "Phòng Tư pháp" in description
    assert BASE + "2.1.1/" in description
    assert event.decoded("DTSTAMP") == STAMP
    assert str(event["UID"]).endswith("@cchc")


def test_labelled_deadlines_of_sub_item_1_2_1(plan, ics):
    task = next(t for t in plan.tasks if t.row == 13)
    assert (task.id, task.code) == ("1.2-1", "")
    found = by_summary_prefix(events(ics), "1.2-1 ")
    assert len(found) == 4
    summaries = [str(e["SUMMARY"]) for e in found]
    assert summaries[0].endswith(" – Báo cáo Quý I")
    assert any(s.endswith(" – Báo cáo 6 tháng") for s in summaries)
    assert any(s.endswith(" – Báo cáo Quý III") for s in summaries)
    assert any(s.endswith(" – Báo cáo năm") for s in summaries)
    assert [e.decoded("DTSTART") for e in found] == [
        dt.date(2022, 3, 12), dt.date(2022, 6, 12), dt.date(2022, 9, 12), dt.date(2022, 12, 12)]


def test_product_number_in_summary(ics):
    found = by_summary_prefix(events(ics), "1.4.1 ")
    assert [str(e["SUMMARY"]).rsplit(" (", 1)[1] for e in found] == ["Sản phẩm 1)", "Sản phẩm 2)"]
    assert all(str(e["SUMMARY"]).startswith("1.4.1 Mức độ hoàn thành kế hoạch tuyên truyền") for e in found)


def test_events_sorted_by_date(ics):
    dates = [e.decoded("DTSTART") for e in events(ics)]
    assert dates == sorted(dates)


def test_deterministic_and_unique_uids(plan, ics):
    again = plan_calendar(plan, url_for_task=url_for, stamp=STAMP, name="Quảng Điền 2022")
    assert again == ics
    uids = [str(e["UID"]) for e in events(ics)]
    assert len(uids) == len(set(uids))
    # a different build stamp changes DTSTAMP only, never the UIDs
    later = plan_calendar(plan, url_for_task=url_for, stamp=STAMP + dt.timedelta(days=3), name="Quảng Điền 2022")
    assert later != ics
    assert [str(e["UID"]) for e in events(later)] == uids


def test_naive_stamp_is_written_as_utc(plan):
    naive = plan_calendar(plan, url_for_task=url_for, stamp=STAMP.replace(tzinfo=None), name="x")
    assert b"DTSTAMP:20240501T083000Z\r\n" in naive
    hanoi = dt.timezone(dt.timedelta(hours=7))
    local = plan_calendar(plan, url_for_task=url_for, stamp=STAMP.astimezone(hanoi), name="x")
    assert local == naive  # the same instant gives the same bytes


def test_unit_calendar_for_phong_tu_phap(plan, registry):
    items = [(plan, t) for t in plan.tasks if "phong-tu-phap" in registry.expand(t.lead)]
    codes = {t.id for _, t in items}
    assert {"2.1.1", "2.1.2", "2.1.3", "2.2", "2.3"} <= codes  # named directly
    assert "1.5" in codes  # through "Các phòng, ban, đơn vị cấp huyện"
    assert "1.2-1" not in codes  # Phòng Nội vụ's

    name = registry.name_of("phong-tu-phap")
    ics = unit_calendar(name, items, url_for_task=url_for, stamp=STAMP, name=f"Lịch CCHC – {name}")
    cal = Calendar.from_ical(ics)
    assert str(cal["X-WR-CALNAME"]) == "Lịch CCHC – Phòng Tư pháp"
    evs = list(cal.walk("VEVENT"))
    assert len(evs) == sum(1 for _, t in items for d in t.deadlines if d.date is not None)
    assert len(by_summary_prefix(evs, "2.1.1 Ban hành kế hoạch theo dõi")) == 1
    assert not by_summary_prefix(evs, "1.2-1 ")

    # the same deadline has the same UID in the plan feed and the unit feed
    whole = {str(e["SUMMARY"]): str(e["UID"]) for e in events(
        plan_calendar(plan, url_for_task=url_for, stamp=STAMP, name="x"))}
    for event in evs:
        assert whole[str(event["SUMMARY"])] == str(event["UID"])

    # input order does not matter
    assert unit_calendar(name, list(reversed(items)), url_for_task=url_for, stamp=STAMP,
                         name=f"Lịch CCHC – {name}") == ics


def test_plan_without_dated_deadlines_gives_an_empty_calendar(plan):
    import copy

    empty = copy.copy(plan)
    empty.tasks = []
    cal = Calendar.from_ical(plan_calendar(empty, url_for_task=url_for, stamp=STAMP, name="trống"))
    assert list(cal.walk("VEVENT")) == []


@pytest.mark.parametrize("text", [
    "Báo cáo; tổng hợp, đánh giá \\ kết quả\nDòng hai",
    "Nhiệm vụ rất dài " * 12 + "😀 kết thúc",
    "x" * 74 + "ệ" + "y" * 80,
])
def test_written_events_read_back_exactly_and_fold_at_75_octets(plan, text):
    """The VEVENT writer (direct, for speed) against icalendar as the reader."""
    import datetime as dt

    from generator.calendar_feed import _event
    from generator.model import Deadline, DeadlineKind

    task = plan.tasks[0]
    original = task.title
    task.title = text
    try:
        deadline = Deadline("Trước 05/01/2022", DeadlineKind.BEFORE_DATE, dt.date(2022, 1, 5))
        data = _event(plan, task, 0, deadline, "https://vi.example/ke-hoach/a/#t-1", STAMP)
    finally:
        task.title = original
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    cal = Calendar.from_ical(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + data + b"END:VCALENDAR\r\n")
    event, = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"{task.code or task.id} {text}".strip()
    assert str(event["DESCRIPTION"]).startswith("Thời hạn: Trước 05/01/2022\n")
    assert event["DTSTART"].dt == dt.date(2022, 1, 5) and event["DTEND"].dt == dt.date(2022, 1, 6)
    assert str(event["URL"]) == "https://vi.example/ke-hoach/a/#t-1"
