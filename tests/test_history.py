"""The public change log: diffs of real sheets, the append-only log, the page."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from types import SimpleNamespace

import openpyxl
import pytest

from generator.history import (
    Change,
    append_history,
    diff_plans,
    diff_results,
    diff_scores,
    diff_tthc,
    load_history,
    source_of_file,
    task_history,
)
from generator.reader import read_workbook

from .conftest import APPENDIX, DATA, ROOT

SCORES = DATA / "quang-dien-2021-chi-so.xlsx"
TTHC = ROOT / "content" / "sheets" / "tien-do-tthc.xlsx"
WHEN = "2022-11-03T08:15:00+07:00"


def edited(src, dst, edit):
    shutil.copyfile(src, dst)
    wb = openpyxl.load_workbook(dst)
    edit(wb.active)
    wb.save(dst)
    return dst


def change(kind, key, label, field, old, new, sheet, source="quang-dien-2022-phan-cong", date=WHEN):
    return Change(date=date, source=source, kind=kind, key=key, label=label, field=field, old=old, new=new,
                  sheet=sheet)


# --- plans ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plan_diff(registry, tmp_path_factory):
    def edit(ws):
        assert ws["A10"].value == "1.1.1" and ws["F10"].value == "Trước 05/01/2022"
        ws["F10"] = "Trước 20/01/2022"  # pushed back
        assert ws["A26"].value == "2.1.1" and ws["F26"].value == "Trước 15/01/2021"
        ws["F26"] = "Trước 10/01/2021"  # brought forward
        assert ws["A27"].value == "2.1.2" and ws["D27"].value == "Phòng Tư pháp"
        ws["D27"] = "Văn phòng HĐND và UBND huyện"
        assert ws["A125"].value == "7.8.3"
        ws.delete_rows(125)  # the last rows move up: 8, 8.1 … 8.4 end on row 129
        ws.append(["8.5", "Khảo sát sự hài lòng của doanh nghiệp: 0,5đ", "Báo cáo kết quả khảo sát",
                   "Phòng Tài chính - Kế hoạch", None, "Trước 30/11/2022"])

    copy = edited(APPENDIX, tmp_path_factory.mktemp("plan") / "ke-hoach.xlsx", edit)
    old = read_workbook(APPENDIX, registry)
    new = read_workbook(copy, registry)
    return old, new, diff_plans(old.plans, new.plans, source="quang-dien-2022-phan-cong", date=WHEN)


def test_plan_changes_exact(plan_diff):
    old, new, changes = plan_diff
    sheet = "Phụ lục"
    removed_title = next(t.title for t in old.plans[0].tasks if t.id == "7.8.3")
    assert changes == [
        change("deadline-changed", "1.1.1", "Nhiệm vụ 1.1.1 Ban hành kế hoạch CCHC", "Thời hạn",
               "Trước 05/01/2022", "Trước 20/01/2022", sheet),
        change("deadline-changed", "2.1.1", "Nhiệm vụ 2.1.1 Ban hành kế hoạch theo dõi tình hình thi hành pháp luật (THPL)",
               "Thời hạn", "Trước 15/01/2021", "Trước 10/01/2021", sheet),
        change("lead-changed", "2.1.2", "Nhiệm vụ 2.1.2 Điều tra, khảo sát tình hình THPL", "Cơ quan chủ trì",
               "Phòng Tư pháp", "Văn phòng HĐND và UBND huyện", sheet),
        change("task-added", "8.5", "Nhiệm vụ 8.5 Khảo sát sự hài lòng của doanh nghiệp", "Nhiệm vụ",
               "", "Khảo sát sự hài lòng của doanh nghiệp", sheet),
        change("task-removed", "7.8.3", f"Nhiệm vụ 7.8.3 {removed_title}", "Nhiệm vụ", removed_title, "", sheet),
    ]
    assert [c.later for c in changes] == [True, False, False, False, False]
    assert changes[0].kind_label == "Đổi thời hạn"
    assert changes[0].when == dt.datetime(2022, 11, 3, 8, 15, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_moved_rows_are_not_changes(plan_diff):
    """Deleting a row moves every row below it: tasks are matched by id, not row."""
    old, new, changes = plan_diff
    moved = {t.id: t.row for t in new.plans[0].tasks if t.id.startswith("8.")}
    assert moved["8.1"] == 126 and {c.key for c in changes} == {"1.1.1", "2.1.1", "2.1.2", "8.5", "7.8.3"}


def test_same_plan_has_no_changes(registry):
    result = read_workbook(APPENDIX, registry)
    again = read_workbook(APPENDIX, registry)
    assert diff_results([result], [again], source="x", date=WHEN) == []


def test_later_reads_every_kind_of_deadline():
    def later(old, new):
        return change("deadline-changed", "1", "", "Thời hạn", old, new, "").later

    assert later("Quý I/2022", "Quý II/2022")
    assert later("Tháng 6/2022", "Trước 15/07/2022")
    assert later("- Trước 12/3/2022\n- Trước 12/6/2022", "- Trước 12/3/2022\n- Trước 12/9/2022")
    assert later("Trước 15/11", "Trước 15/12/2022")  # the year of the other text
    assert not later("Trước 15/11/2022", "Trước 15/11/2022 (Sản phẩm 1)")
    assert not later("Trước 15/11/2022", "Thường xuyên")  # no date to compare
    assert not later("", "Trước 15/11/2022")
    assert not change("lead-changed", "1", "", "", "Quý I/2022", "Quý II/2022", "").later


def test_plan_sheets_matched_by_name(registry, tmp_path):
    from .workbooks import CLEAN_ROWS, appendix

    a = read_workbook(appendix(tmp_path / "a.xlsx", CLEAN_ROWS, sheet="Phụ lục"), registry).plans
    b = read_workbook(appendix(tmp_path / "b.xlsx", CLEAN_ROWS, sheet="Phụ lục 2"), registry).plans
    changes = diff_plans(a, b, source="a", date=WHEN)
    added = [c for c in changes if c.kind == "task-added"]
    removed = [c for c in changes if c.kind == "task-removed"]
    assert [c.key for c in added] == [c.key for c in removed] == ["1.1", "1.2", "2.1"]
    assert {c.sheet for c in added} == {"Phụ lục 2"} and {c.sheet for c in removed} == {"Phụ lục"}


def test_spacing_only_is_not_a_change(registry, tmp_path):
    from .workbooks import CLEAN_ROWS, appendix

    rows = list(CLEAN_ROWS)
    rows[2] = rows[2][:3] + ("Phòng Nội vụ ",) + rows[2][4:]
    a = read_workbook(appendix(tmp_path / "a.xlsx", CLEAN_ROWS), registry).plans
    b = read_workbook(appendix(tmp_path / "b.xlsx", rows), registry).plans
    assert diff_plans(a, b, source="a", date=WHEN) == []


# --- scores and TTHC ------------------------------------------------------------------


def test_score_change(registry, tmp_path):
    def edit(ws):
        assert ws["A6"].value == "1.1" and ws["D6"].value == 0.5
        ws["D6"] = 0.25

    copy = edited(SCORES, tmp_path / "chi-so.xlsx", edit)
    old, new = read_workbook(SCORES, registry), read_workbook(copy, registry)
    changes = diff_scores(old.scores, new.scores, source="quang-dien-2021-chi-so", date=WHEN)
    assert changes == [Change(date=WHEN, source="quang-dien-2021-chi-so", kind="score-changed", key="1.1",
                              label="Tiêu chí 1.1 Ban hành kế hoạch CCHC hàng năm (Chỉ số CCHC năm 2021)",
                              field="Điểm thẩm định", old="0,5", new="0,25", sheet="Chỉ số 2021")]
    assert changes[0].kind_label == "Đổi điểm Chỉ số CCHC" and not changes[0].later
    assert diff_results([old], [new], source="quang-dien-2021-chi-so", date=WHEN) == changes


def test_new_score_card_is_one_change(registry):
    card = read_workbook(SCORES, registry).scores
    [only] = diff_scores([], card, source="s", date=WHEN)
    assert (only.kind, only.key, only.field, only.old) == ("score-changed", "", "Tổng điểm", "")
    assert only.new and only.label == "Bảng điểm Chỉ số CCHC năm 2021"


def test_tthc_changes(registry, tmp_path):
    def edit(ws):
        assert ws["B8"].value == "Trung tâm Hành chính công huyện" and ws["E8"].value == 514
        ws["E8"] = 1514
        assert ws["A27"].value == "Tháng 10/2022"
        ws.delete_rows(27)

    copy = edited(TTHC, tmp_path / "tien-do.xlsx", edit)
    old, new = read_workbook(TTHC, registry), read_workbook(copy, registry)
    changes = diff_tthc(old.tthc, new.tthc, source="tien-do-tthc", date=WHEN)
    assert [(c.kind, c.key, c.field, c.old, c.new) for c in changes] == [
        ("figure-changed", "Trung tâm Hành chính công huyện|Tháng 01/2022", "Tổng số hồ sơ tiếp nhận", "514", "1.514"),
        ("row-removed", "UBND các xã, thị trấn|Tháng 10/2022", "Dòng số liệu",
         changes[1].old, ""),
    ]
    assert changes[0].label == "Tiến độ TTHC: Trung tâm Hành chính công huyện, Tháng 01/2022"
    assert changes[1].old.startswith("Tổng số hồ sơ tiếp nhận: 701")
    assert {c.sheet for c in changes} == {"Tiến độ TTHC"}
    back = diff_tthc(new.tthc, old.tthc, source="tien-do-tthc", date=WHEN)
    assert [c.kind for c in back] == ["figure-changed", "row-added"]


def test_diff_results_accepts_plain_objects():
    empty = SimpleNamespace(plans=[], scores=[], tthc=[])
    assert diff_results([empty], [SimpleNamespace(plans=[])], source="x", date=WHEN) == []


def test_date_must_be_iso():
    with pytest.raises(ValueError):
        diff_plans([], [], source="x", date="3/11/2022")
    assert diff_plans([], [], source="x", date=dt.datetime(2022, 11, 3, 8, 15)) == []


# --- the log ----------------------------------------------------------------------------


def entries(n, date, source="ke-hoach", key="1.1"):
    return [Change(date=date, source=source, kind="deadline-changed", key=key, label=f"Nhiệm vụ {key} số {i}",
                   field="Thời hạn", old="Trước 05/01/2022", new="Trước 20/01/2022", sheet="Phụ lục")
            for i in range(n)]


def test_append_is_append_only(tmp_path):
    folder = tmp_path / "history"
    first = entries(2, "2022-11-03T08:15:00+07:00")
    path = append_history(folder, "ke-hoach", first)
    assert path == folder / "ke-hoach.jsonl"
    before = path.read_bytes()
    lines = before.decode("utf-8").splitlines()
    assert len(lines) == 2 and "Thời hạn" in lines[0]  # ensure_ascii=False
    assert list(json.loads(lines[0])) == sorted(json.loads(lines[0]))
    assert json.loads(lines[0]) == first[0].to_dict()
    second = entries(1, "2022-11-05T09:00:00+07:00", key="2.1")
    append_history(folder, "ke-hoach", second)
    after = path.read_bytes()
    assert after.startswith(before) and len(after.decode("utf-8").splitlines()) == 3
    assert append_history(folder, "ke-hoach", []) == path and path.read_bytes() == after
    assert load_history(folder) == [*second, *first]


def test_load_history_newest_first_across_files(tmp_path):
    append_history(tmp_path, "a", entries(2, "2022-11-03T08:15:00+07:00", source="a"))
    append_history(tmp_path, "b", entries(1, "2022-11-04T01:00:00+00:00", source="b"))
    append_history(tmp_path, "a", entries(1, "2022-11-04T07:30:00+07:00", source="a", key="9"))
    loaded = load_history(tmp_path)
    # 01:00 UTC is 08:00 in Hà Nội: after 07:30 +07:00
    assert [(c.source, c.key, c.label) for c in loaded] == [
        ("b", "1.1", "Nhiệm vụ 1.1 số 0"), ("a", "9", "Nhiệm vụ 9 số 0"),
        ("a", "1.1", "Nhiệm vụ 1.1 số 0"), ("a", "1.1", "Nhiệm vụ 1.1 số 1"),  # ties keep file order
    ]
    assert load_history(tmp_path / "khong-co") == []


def test_truncated_last_line_is_skipped(tmp_path, caplog):
    path = append_history(tmp_path, "ke-hoach", entries(2, WHEN))
    whole = path.read_bytes()
    path.write_bytes(whole[:-25])  # an append interrupted in the middle of the last line
    with caplog.at_level(logging.WARNING, logger="generator.history"):
        loaded = load_history(tmp_path)
    assert [c.label for c in loaded] == ["Nhiệm vụ 1.1 số 0"]
    assert "dòng cuối" in caplog.text
    # the next append starts on a line of its own: nothing new is lost
    append_history(tmp_path, "ke-hoach", entries(1, "2022-12-01T10:00:00+07:00", key="3.1"))
    assert [c.key for c in load_history(tmp_path)] == ["3.1", "1.1"]
    assert path.read_bytes().startswith(whole[:-25])


def test_task_history_and_source_of_file(tmp_path):
    assert source_of_file("sheets/quang-dien-2022-phan-cong.xlsx") == "quang-dien-2022-phan-cong"
    assert source_of_file("quang-dien-2022-phan-cong.xlsx") == "quang-dien-2022-phan-cong"
    changes = [
        *entries(1, "2022-10-01T08:00:00+07:00", source="ke-hoach", key="1.1"),
        *entries(1, "2022-11-01T08:00:00+07:00", source="ke-hoach", key="1.1"),
        *entries(1, "2022-12-01T08:00:00+07:00", source="khac", key="1.1"),
        *entries(1, "2022-12-01T08:00:00+07:00", source="ke-hoach", key="1.2"),
        Change(date="2022-12-02T08:00:00+07:00", source="ke-hoach", kind="score-changed", key="1.1", label="",
               field="Điểm thẩm định", old="1", new="0,5", sheet="Chỉ số"),
    ]
    mine = task_history(changes, "sheets/ke-hoach.xlsx", "1.1")
    assert [c.date[:10] for c in mine] == ["2022-11-01", "2022-10-01"]
    assert task_history(changes, "ke-hoach", "1.1") == mine
    assert len(task_history(changes, None, "1.1")) == 3
    assert task_history(changes, "ke-hoach", "1.1", sheet="Khác") == []


# --- the page ---------------------------------------------------------------------------


def render(changes):
    from generator.pages import environment

    # source_notices: the banner of a source whose new snapshot was rejected (_macros.notices)
    titles = {"ke-hoach": "Phân công 2022"}  # a source's title from site.yml, else its id
    site = SimpleNamespace(notices=[], source_notices=[], illustrative=[], source_title=lambda source_id: titles.get(source_id, source_id))
    return environment().get_template("changes.md.j2").render(
        site=site, changes=changes, rel=lambda url: url, page_url="thay-doi/", title="Thay đổi")


def test_page_empty():
    text = render([])
    assert "# Thay đổi" in text and "Chưa có thay đổi nào được ghi nhận." in text


def test_page_groups_by_day_and_escapes():
    hostile = Change(date="2022-11-03T08:15:00+07:00", source="ke-hoach", kind="deadline-changed", key="1.1",
                     label="Nhiệm vụ 1.1 <b>x</b>", field="Thời hạn", old="<script>alert(1)</script>Trước 05/01/2022",
                     new="Trước 20/01/2022\n<img src=x onerror=alert(1)>", sheet="Phụ lục")
    other = Change(date="2022-11-05T14:05:00+07:00", source="tien-do-tthc", kind="figure-changed",
                   key="A|Tháng 01/2022", label="Tiến độ TTHC: A, Tháng 01/2022", field="Tổng số hồ sơ tiếp nhận",
                   old="514", new="1.514", sheet="Tiến độ TTHC")
    added = Change(date="2022-11-05T09:00:00+07:00", source="ke-hoach", kind="task-added", key="8.5",
                   label="Nhiệm vụ 8.5", field="Nhiệm vụ", old="", new="Khảo sát", sheet="Phụ lục")
    text = render([other, added, hostile])
    assert "<script>" not in text and "<img" not in text and "<b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "Trước 20/01/2022<br>&lt;img" in text
    assert text.index("## Ngày 05/11/2022") < text.index("14:05") < text.index("09:00") < text.index("## Ngày 03/11/2022")
    assert text.count('<span class="cchc-badge-later">lùi hạn</span>') == 2  # the legend and the row
    assert "<td>Phân công 2022<br><small>Phụ lục</small></td>" in text and "<td>tien-do-tthc<br>" in text
    assert 'role="region" aria-label="Thay đổi ngày 03/11/2022" tabindex="0"' in text
    assert "Đổi thời hạn" in text and "Đổi số liệu TTHC" in text and "Thêm nhiệm vụ" in text
    assert "Chưa có thay đổi" not in text
