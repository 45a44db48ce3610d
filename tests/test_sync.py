"""`cchc sync` with local sources, and the sources list of site.yml: snapshots
and their metadata, unchanged files skipped, the last good snapshot kept when
a new copy has errors (and the site saying so), the change log, atomic writes."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import ConfigError, load_site_config
from sheets_sync import snapshot as snapshot_module
from sheets_sync.sync import SyncUsageError, sync

from .conftest import ROOT
from .workbooks import CLEAN_ROWS, appendix

NOW = dt.datetime(2022, 11, 3, 1, 15, tzinfo=dt.timezone.utc)  # 08:15 in Huế
LATER = NOW + dt.timedelta(days=2)

SITE = """site_name: Thử đồng bộ
sources:
  - id: phan-cong
    kind: plan
    title: Phân công 2022
    path: nguon/phan-cong.xlsx
"""


def make_content(tmp_path: Path, site: str = SITE) -> Path:
    content = tmp_path / "content"
    (content / "nguon").mkdir(parents=True)
    shutil.copy2(ROOT / "content" / "units.yml", content / "units.yml")
    (content / "site.yml").write_text(site, encoding="utf-8")
    appendix(content / "nguon" / "phan-cong.xlsx")
    return content


def broken_rows():
    rows = list(CLEAN_ROWS)
    rows[2] = ("1.1", "Ban hành kế hoạch CCHC: 0,5đ", "Kế hoạch CCHC 2022", "Phòng Nội vụ",
               "Các phòng, ban cấp huyện", "Trước 31/02/2022")  # no such day: an error
    return rows


def moved_rows():
    rows = list(CLEAN_ROWS)
    rows[2] = ("1.1", "Ban hành kế hoạch CCHC: 0,5đ", "Kế hoạch CCHC 2022", "Phòng Nội vụ",
               "Các phòng, ban cấp huyện", "Trước 31/03/2022")  # pushed back from 05/01/2022
    return rows


def test_first_sync_writes_the_snapshot_and_its_metadata(tmp_path):
    content = make_content(tmp_path)
    run = sync(content, now=NOW)
    (result,) = run.results
    assert result.status == "new" and run.exit_code == 0
    snapshot = content / "sheets" / "phan-cong.xlsx"
    assert snapshot.read_bytes() == (content / "nguon" / "phan-cong.xlsx").read_bytes()
    meta = json.loads((content / "sheets" / "phan-cong.meta.json").read_text(encoding="utf-8"))
    assert meta["fetched_at"] == "2022-11-03T08:15:00+07:00" and meta["source"] == "nguon/phan-cong.xlsx"
    assert meta["sha256"] == snapshot_module.sha256(snapshot.read_bytes())
    assert meta["rows"] == {"Phụ lục": 3} and meta["kind"] == "plan"


def test_second_sync_of_an_unchanged_file_skips_it(tmp_path):
    content = make_content(tmp_path)
    sync(content, now=NOW)
    before = (content / "sheets" / "phan-cong.meta.json").read_bytes()
    (result,) = sync(content, now=LATER).results
    assert result.status == "unchanged"
    assert (content / "sheets" / "phan-cong.meta.json").read_bytes() == before


def test_a_changed_file_is_taken_and_its_changes_logged(tmp_path):
    content = make_content(tmp_path)
    sync(content, now=NOW)
    appendix(content / "nguon" / "phan-cong.xlsx", moved_rows())
    (result,) = sync(content, now=LATER).results
    assert result.status == "new"
    lines = (content / "history" / "phan-cong.jsonl").read_text(encoding="utf-8").splitlines()
    (change,) = [json.loads(line) for line in lines]
    assert change["kind"] == "deadline-changed" and change["key"] == "1.1"
    assert change["old"] == "Trước 05/01/2022" and change["new"] == "Trước 31/03/2022"


def test_a_broken_copy_keeps_the_last_good_snapshot(tmp_path):
    content = make_content(tmp_path)
    sync(content, now=NOW)
    good = (content / "sheets" / "phan-cong.xlsx").read_bytes()
    appendix(content / "nguon" / "phan-cong.xlsx", broken_rows())
    run = sync(content, now=LATER)
    (result,) = run.results
    assert result.status == "kept" and run.exit_code == 0
    assert "31/02/2022" in " ".join(f.message for f in result.findings)
    assert (content / "sheets" / "phan-cong.xlsx").read_bytes() == good
    assert (content / "rejected" / "phan-cong.xlsx").read_bytes() == (content / "nguon" / "phan-cong.xlsx").read_bytes()
    meta = json.loads((content / "sheets" / "phan-cong.meta.json").read_text(encoding="utf-8"))
    assert meta["fetched_at"] == "2022-11-03T08:15:00+07:00"  # the published copy is still the first one
    assert meta["rejected"]["fetched_at"] == "2022-11-05T08:15:00+07:00"
    assert meta["rejected"]["findings"][0]["code"] == "deadline-invalid"
    # the same broken file again: nothing new to check
    assert sync(content, now=LATER).results[0].status == "kept"
    # fixed: published, the refused copy is gone
    appendix(content / "nguon" / "phan-cong.xlsx", moved_rows())
    assert sync(content, now=LATER).results[0].status == "new"
    assert not (content / "rejected" / "phan-cong.xlsx").exists()
    assert "rejected" not in json.loads((content / "sheets" / "phan-cong.meta.json").read_text(encoding="utf-8"))


def test_a_first_copy_with_errors_publishes_nothing_and_fails(tmp_path):
    content = make_content(tmp_path)
    appendix(content / "nguon" / "phan-cong.xlsx", broken_rows())
    run = sync(content, now=NOW)
    assert run.results[0].status == "error" and run.exit_code == 1
    assert not (content / "sheets" / "phan-cong.xlsx").exists()


def test_the_built_site_shows_the_kept_data_and_the_notice(tmp_path):
    from generator.build import build_site

    content = make_content(tmp_path)
    sync(content, now=NOW)
    appendix(content / "nguon" / "phan-cong.xlsx", broken_rows())
    sync(content, now=LATER)
    result = build_site(content, tmp_path / "site", today=dt.date(2022, 11, 5), work=tmp_path / "work")
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Bảng Phân công 2022 có lỗi từ 05/11/2022 08:15, đang hiển thị dữ liệu ngày 03/11/2022 08:15." in home
    checks = (tmp_path / "site" / "kiem-tra" / "index.html").read_text(encoding="utf-8")
    assert 'id="nguon-phan-cong"' in checks and "31/02/2022" in checks
    plan = (tmp_path / "site" / "ke-hoach" / "phan-cong" / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2022-01-05">05/01/2022</time>' in plan and "31/02/2022" not in plan  # the data that stands
    assert result.run.report.summary["errors"] == 0


def test_one_failing_source_does_not_stop_the_others(tmp_path):
    site = SITE + """  - id: mat-tep
    kind: plan
    path: nguon/khong-co.xlsx
  - id: chi-so
    kind: scores
    path: nguon/chi-so.xlsx
"""
    content = make_content(tmp_path, site)
    shutil.copy2(ROOT / "tests" / "data" / "quang-dien-2021-chi-so.xlsx", content / "nguon" / "chi-so.xlsx")
    run = sync(content, now=NOW)
    assert [r.status for r in run.results] == ["new", "error", "new"]
    assert "nguon/khong-co.xlsx" in run.results[1].message and run.exit_code == 1


def test_a_source_of_the_wrong_kind_is_refused(tmp_path):
    site = SITE.replace("kind: plan", "kind: scores")
    content = make_content(tmp_path, site)
    (result,) = sync(content, now=NOW).results
    assert result.status == "error"
    assert [f.code for f in result.findings if f.severity.value == "error"] == ["source-kind-mismatch"]


def test_killed_mid_write_leaves_the_old_snapshot(tmp_path, monkeypatch):
    content = make_content(tmp_path)
    sync(content, now=NOW)
    snapshot = content / "sheets" / "phan-cong.xlsx"
    good = snapshot.read_bytes()
    appendix(content / "nguon" / "phan-cong.xlsx", moved_rows())

    def killed(src, dst):
        raise KeyboardInterrupt  # the process dies between writing the new copy and renaming it

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        sync(content, now=LATER)
    monkeypatch.undo()
    assert snapshot.read_bytes() == good
    assert sorted(p.name for p in snapshot.parent.iterdir()) == ["phan-cong.meta.json", "phan-cong.xlsx"]
    assert sync(content, now=LATER).results[0].status == "new"  # the next run finishes the job


@pytest.mark.parametrize("sources, line, words", [
    ("  - id: a\n    kind: plan\n    pth: x.xlsx\n", 5, "Có phải là “path”"),
    ("  - kind: plan\n    path: x.xlsx\n", 3, "thiếu “id”"),
    ("  - id: a\n    kind: plan\n    path: a.xlsx\n  - id: a\n    kind: plan\n    path: b.xlsx\n", 6,
     "trùng với nguồn ở dòng 3"),
    ("  - id: a\n    kind: plan\n    google_sheet: https://example.com/spreadsheets/d/x\n", 3,
     "không phải địa chỉ Google Sheet"),
    ("  - id: a\n    kind: bang\n    path: a.xlsx\n", 3, "“kind”"),
    ("  - id: A b\n    kind: plan\n    path: a.xlsx\n", 3, "id “A b” không hợp lệ"),
    ("  - id: a\n    kind: plan\n", 3, "đúng một trong hai khóa"),
])
def test_bad_sources_are_named_with_their_line(tmp_path, sources, line, words):
    (tmp_path / "site.yml").write_text("site_name: x\nsources:\n" + sources, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_site_config(tmp_path)
    assert f"site.yml, dòng {line}:" in str(info.value) and words in str(info.value)


def test_google_sheet_urls_and_ids_are_accepted(tmp_path):
    key = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"
    (tmp_path / "site.yml").write_text(
        "sources:\n"
        f"  - {{id: a, kind: plan, google_sheet: 'https://docs.google.com/spreadsheets/d/{key}/edit#gid=0'}}\n"
        f"  - {{id: b, kind: tthc, google_sheet: {key}}}\n", encoding="utf-8")
    a, b = load_site_config(tmp_path).sources
    assert a.spreadsheet_id == b.spreadsheet_id == key and a.is_google


def test_cli_sync_needs_sources_and_names_an_unknown_one(tmp_path):
    content = make_content(tmp_path)
    result = CliRunner().invoke(main, ["sync", "--content", str(content), "--source", "phan-cog"])
    assert result.exit_code == 2 and "Có phải là “phan-cong”?" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "site.yml").write_text("site_name: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["sync", "--content", str(empty)])
    assert result.exit_code == 2 and "chưa khai báo nguồn nào" in result.output
    assert "Traceback" not in result.output


def test_cli_sync_json_summary(tmp_path):
    content = make_content(tmp_path)
    result = CliRunner().invoke(main, ["sync", "--content", str(content), "--format", "json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0
    (source,) = data["sources"]
    assert source["id"] == "phan-cong" and source["status"] == "new" and source["status_label"] == "mới"
    assert source["rows"] == 3 and source["errors"] == 0


def test_sync_usage_error_for_missing_site(tmp_path):
    with pytest.raises(SyncUsageError):
        sync(tmp_path / "none")


def test_a_workbook_put_in_sheets_by_hand_is_still_read(tmp_path):
    from generator.commands import validate

    content = make_content(tmp_path)
    sync(content, now=NOW)
    appendix(content / "sheets" / "them-tay.xlsx", moved_rows())
    run = validate(None, content=content, relative_to=content)
    assert sorted(r.file for r in run.results) == ["sheets/phan-cong.xlsx", "sheets/them-tay.xlsx"]


def test_putting_the_good_version_back_removes_the_notice(tmp_path):
    from generator.config import load_site_config
    from generator.source_status import source_states

    content = make_content(tmp_path)
    good = (content / "nguon" / "phan-cong.xlsx").read_bytes()
    sync(content, now=NOW)
    appendix(content / "nguon" / "phan-cong.xlsx", broken_rows())
    sync(content, now=LATER)
    (content / "nguon" / "phan-cong.xlsx").write_bytes(good)
    (result,) = sync(content, now=LATER + dt.timedelta(hours=1)).results
    assert result.status == "unchanged" and "bỏ thông báo" in result.message
    (state,) = source_states(load_site_config(content))
    assert state.notice == "" and not (content / "rejected" / "phan-cong.xlsx").exists()


def test_the_notice_says_when_the_errors_began(tmp_path):
    from generator.config import load_site_config
    from generator.source_status import source_states

    content = make_content(tmp_path)
    sync(content, now=NOW)
    appendix(content / "nguon" / "phan-cong.xlsx", broken_rows())
    sync(content, now=LATER)
    rows = broken_rows()
    rows[3] = ("1.2", "Báo cáo CCHC định kỳ: 1,5đ", "Báo cáo quý, năm", "Phòng Nội vụ", "", "30/02/2022")
    appendix(content / "nguon" / "phan-cong.xlsx", rows)
    (result,) = sync(content, now=LATER + dt.timedelta(days=1)).results
    assert result.status == "kept"
    (state,) = source_states(load_site_config(content))
    assert state.notice.startswith("Bảng Phân công 2022 có lỗi từ 05/11/2022 08:15,")  # not 06/11
    assert "30/02/2022" in " ".join(f.message for f in state.rejected_findings)


def test_a_skipped_kept_source_reports_the_errors_it_still_has(tmp_path):
    content = make_content(tmp_path)
    sync(content, now=NOW)
    appendix(content / "nguon" / "phan-cong.xlsx", broken_rows())
    sync(content, now=LATER)
    (result,) = sync(content, now=LATER).results
    assert result.status == "kept" and result.to_dict()["errors"] == 1


@pytest.mark.parametrize("meta", [
    '{"rejected": "x", "rows": {"a": "3"}, "fetched_at": 5}',
    '{"sha256": 1, "rejected": {"findings": 5, "fetched_at": "rác"}}',
    "[1, 2]",
    "{không phải json",
])
def test_a_damaged_meta_file_never_stops_the_sync_or_the_build(tmp_path, meta):
    from generator.build import build_site

    content = make_content(tmp_path)
    sync(content, now=NOW)
    (content / "sheets" / "phan-cong.meta.json").write_text(meta, encoding="utf-8")
    (result,) = sync(content, now=LATER).results
    assert result.status == "new"  # the metadata is rebuilt from a fresh check
    (content / "sheets" / "phan-cong.meta.json").write_text(meta, encoding="utf-8")
    build_site(content, tmp_path / "site", today=dt.date(2022, 11, 5), work=tmp_path / "work")
    assert (tmp_path / "site" / "index.html").exists()


def test_killed_after_logging_the_changes_logs_them_once(tmp_path, monkeypatch):
    import sheets_sync.sync as sync_module

    content = make_content(tmp_path)
    sync(content, now=NOW)
    appendix(content / "nguon" / "phan-cong.xlsx", moved_rows())
    real = sync_module.atomic_write

    def killed(path, data):
        if path.name == "phan-cong.xlsx":
            raise KeyboardInterrupt
        real(path, data)

    monkeypatch.setattr(sync_module, "atomic_write", killed)
    with pytest.raises(KeyboardInterrupt):
        sync(content, now=LATER)
    monkeypatch.undo()
    assert sync(content, now=LATER).results[0].status == "new"
    lines = (content / "history" / "phan-cong.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1


def test_killed_before_the_metadata_never_logs_a_wrong_difference(tmp_path, monkeypatch):
    import sheets_sync.sync as sync_module

    content = make_content(tmp_path)
    sync(content, now=NOW)
    appendix(content / "nguon" / "phan-cong.xlsx", moved_rows())
    monkeypatch.setattr(sync_module, "write_meta", lambda path, meta: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        sync(content, now=LATER)
    monkeypatch.undo()
    assert sync(content, now=LATER).results[0].status == "new"
    (line,) = (content / "history" / "phan-cong.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["new"] == "Trước 31/03/2022"


def test_a_local_path_may_not_be_a_published_snapshot(tmp_path):
    site = SITE.replace("path: nguon/phan-cong.xlsx", "path: sheets/phan-cong.xlsx")
    content = make_content(tmp_path, site)
    with pytest.raises(ConfigError) as info:
        load_site_config(content)
    assert "site.yml, dòng 3" in str(info.value) and "nguon/" in str(info.value)


def test_two_syncs_at_once_are_refused(tmp_path):
    import fcntl

    content = make_content(tmp_path)
    with open(content / ".cchc-sync.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(SyncUsageError) as info:
            sync(content, now=NOW)
    assert "đang chạy" in str(info.value)
    assert sync(content, now=NOW).results[0].status == "new"
