"""`cchc sync` with Google sources, against the local stub of the Sheets and
Drive APIs (tests/google_stub.py): gspread is given a session that points at
127.0.0.1, nothing is patched inside gspread, nothing leaves the machine."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from sheets_sync.google import FINDINGS_SHEET
from sheets_sync.sync import SyncUsageError, sync

from .conftest import ROOT
from .google_stub import GoogleStub, service_account_info, stub_credentials, stub_session
from .test_sync import broken_rows, moved_rows
from .workbooks import appendix

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"
OTHER = "1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210zyxw"
EMAIL = "cchc-sync@du-an.iam.gserviceaccount.com"
NOW = dt.datetime(2022, 11, 3, 1, 15, tzinfo=dt.timezone.utc)
LATER = NOW + dt.timedelta(days=2)


def site(*sources: tuple[str, str, str]) -> str:
    lines = ["site_name: Thử đồng bộ Google", "sources:"]
    for source_id, kind, key in sources:
        lines += [f"  - id: {source_id}", f"    kind: {kind}",
                  f"    google_sheet: https://docs.google.com/spreadsheets/d/{key}/edit"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def stub():
    with GoogleStub() as server:
        yield server


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy2(ROOT / "content" / "units.yml", folder / "units.yml")
    (folder / "site.yml").write_text(site(("phan-cong", "plan", KEY)), encoding="utf-8")
    return folder


def xlsx(tmp_path: Path, rows=None, name="sheet.xlsx") -> bytes:
    path = appendix(tmp_path / name, rows) if rows is not None else appendix(tmp_path / name)
    return path.read_bytes()


class Clock:
    """A fake monotonic clock that sleeping moves forward (retries without waiting)."""

    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def run(content, stub, clock=None, **kw):
    info = service_account_info(stub.url + "/token", email=EMAIL)
    session = stub_session(stub_credentials(stub, email=EMAIL), stub)
    options = {"timeout": 2.0}
    if clock is not None:
        options.update(sleep=clock.sleep, clock=clock, budget=30.0, rng=lambda: 1.0)
    return sync(content, session=session, env={"CCHC_GOOGLE_CREDENTIALS": json.dumps(info)},
                google_options=options, **kw)


def exports(stub) -> int:
    return sum(1 for r in stub.requests if r.path.endswith("/export"))


def test_first_sync_writes_snapshot_and_meta_then_skips_an_unchanged_sheet(content, stub, tmp_path):
    data = xlsx(tmp_path)
    stub.add_spreadsheet(KEY, data, modified="2022-11-02T09:30:00.000Z")
    (result,) = run(content, stub, now=NOW).results
    assert result.status == "new", result.message
    assert (content / "sheets" / "phan-cong.xlsx").read_bytes() == data
    meta = json.loads((content / "sheets" / "phan-cong.meta.json").read_text(encoding="utf-8"))
    assert meta["modified_time"] == "2022-11-02T09:30:00.000Z"
    assert meta["source"] == f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
    assert meta["fetched_at"] == "2022-11-03T08:15:00+07:00" and meta["rows"] == {"Phụ lục": 3}
    assert exports(stub) == 1
    (again,) = run(content, stub, now=LATER).results
    assert again.status == "unchanged" and exports(stub) == 1  # modification time only, no export
    assert all(urlsplit_host_is_local(url) for _, url in stub.sent)


def urlsplit_host_is_local(url: str) -> bool:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname == "127.0.0.1"


def test_a_changed_sheet_is_fetched_and_its_changes_logged(content, stub, tmp_path):
    stub.add_spreadsheet(KEY, xlsx(tmp_path), modified="2022-11-02T09:30:00.000Z")
    run(content, stub, now=NOW)
    stub.update(KEY, xlsx(tmp_path, moved_rows(), "moved.xlsx"), modified="2022-11-04T10:00:00.000Z")
    (result,) = run(content, stub, now=LATER).results
    assert result.status == "new" and exports(stub) == 2
    (change,) = [json.loads(line) for line in
                 (content / "history" / "phan-cong.jsonl").read_text(encoding="utf-8").splitlines()]
    assert change["kind"] == "deadline-changed" and change["new"] == "Trước 31/03/2022"


def test_a_broken_sheet_keeps_the_last_good_snapshot_and_the_site_says_so(content, stub, tmp_path):
    from generator.build import build_site

    good = xlsx(tmp_path)
    stub.add_spreadsheet(KEY, good, modified="2022-11-02T09:30:00.000Z")
    run(content, stub, now=NOW)
    stub.update(KEY, xlsx(tmp_path, broken_rows(), "broken.xlsx"), modified="2022-11-04T10:00:00.000Z")
    (result,) = run(content, stub, now=LATER).results
    assert result.status == "kept"
    assert (content / "sheets" / "phan-cong.xlsx").read_bytes() == good
    # the same broken version is not fetched again
    assert run(content, stub, now=LATER).results[0].status == "kept" and exports(stub) == 2
    build_site(content, tmp_path / "site", today=dt.date(2022, 11, 5), work=tmp_path / "work")
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Bảng phan-cong có lỗi từ 05/11/2022 08:15, đang hiển thị dữ liệu ngày 03/11/2022 08:15." in home
    assert "kiem-tra/#nguon-phan-cong" in home


def test_429_then_success_is_retried_with_backoff(content, stub, tmp_path):
    stub.add_spreadsheet(KEY, xlsx(tmp_path))
    stub.script(r"/export$", [429, 503, "ok"])
    clock = Clock()
    (result,) = run(content, stub, clock, now=NOW).results
    assert result.status == "new"
    assert clock.sleeps == [2.0, 4.0]  # full jitter with rng()=1: base × 2^attempt


def test_a_429_storm_stays_inside_the_time_budget(content, stub, tmp_path):
    stub.add_spreadsheet(KEY, xlsx(tmp_path))
    stub.script(r"/drive/v3/files/[^/]+$", [429] * 50)
    clock = Clock()
    (result,) = run(content, stub, clock, now=NOW).results
    assert result.status == "error" and "429" in result.message and "thử lại sau" in result.message
    assert clock.now <= 30.0 and len(clock.sleeps) >= 3
    assert not (content / "sheets" / "phan-cong.xlsx").exists()


def test_retry_after_is_honoured(content, stub, tmp_path):
    stub.add_spreadsheet(KEY, xlsx(tmp_path))
    stub.script(r"/export$", [429, "ok"], retry_after=7)
    clock = Clock()
    assert run(content, stub, clock, now=NOW).results[0].status == "new"
    assert clock.sleeps == [7.0]


def test_a_slow_answer_times_out_and_is_retried(content, stub, tmp_path):
    stub.add_spreadsheet(KEY, xlsx(tmp_path))
    stub.script(r"/export$", [("delay", 4)])
    clock = Clock()
    (result,) = run(content, stub, clock, now=NOW).results  # time-out 2 s, then a normal answer
    assert result.status == "new" and len(clock.sleeps) == 1


def test_403_names_the_service_account_and_404_the_id(content, stub, tmp_path):
    (content / "site.yml").write_text(site(("phan-cong", "plan", KEY), ("khong-co", "plan", OTHER),
                                           ("chi-so", "scores", "1" + "b" * 40)), encoding="utf-8")
    stub.add_spreadsheet(KEY, xlsx(tmp_path))
    stub.add_spreadsheet("1" + "b" * 40, (ROOT / "tests" / "data" / "quang-dien-2021-chi-so.xlsx").read_bytes())
    stub.script(KEY, [403])
    outcome = run(content, stub, now=NOW)
    forbidden, missing, scores = outcome.results
    assert forbidden.status == "error" and EMAIL in forbidden.message and "chia sẻ" in forbidden.message
    assert missing.status == "error" and OTHER in missing.message and "mã" in missing.message
    assert scores.status == "new"  # one failing source never blocks the others
    assert outcome.exit_code == 1


def test_write_findings_into_the_sheet_and_clear_them_when_clean(content, stub, tmp_path):
    stub.add_spreadsheet(KEY, xlsx(tmp_path, broken_rows(), "broken.xlsx"), modified="2022-11-02T09:30:00.000Z")
    run(content, stub, now=NOW, write_findings=True)
    rows = stub.values(KEY, FINDINGS_SHEET)
    assert rows[0][:5] == ["Ô", "Mức", "Trang tính", "Nội dung", "Cách sửa"]
    assert any("31/02/2022" in row[3] and row[1] == "Lỗi" for row in rows[1:])
    stub.update(KEY, xlsx(tmp_path), modified="2022-11-04T10:00:00.000Z")
    run(content, stub, now=LATER, write_findings=True)
    rows = stub.values(KEY, FINDINGS_SHEET)
    assert len(rows) == 2 and "Không có lỗi" in rows[1][3]
    assert stub.sheet_titles(KEY).count(FINDINGS_SHEET) == 1


@pytest.mark.parametrize("env, words", [
    ({}, "GOOGLE_APPLICATION_CREDENTIALS"),
    ({"CCHC_GOOGLE_CREDENTIALS": "{not json"}, "không phải JSON"),
    ({"CCHC_GOOGLE_CREDENTIALS": json.dumps({"type": "service_account"})}, "thiếu"),
    ({"CCHC_GOOGLE_CREDENTIALS": json.dumps({"type": "authorized_user", "client_email": "a", "private_key": "b",
                                             "token_uri": "c"})}, "service_account"),
    ({"GOOGLE_APPLICATION_CREDENTIALS": "/khong/co/khoa.json"}, "Không đọc được"),
])
def test_missing_or_garbled_credentials_are_one_clear_line(content, env, words):
    with pytest.raises(SyncUsageError) as info:
        sync(content, env=env)
    assert words in str(info.value)


def test_a_rejected_key_is_a_usage_error(content, stub, tmp_path):
    stub.add_spreadsheet(KEY, xlsx(tmp_path))
    stub.fail_token = True
    with pytest.raises(SyncUsageError) as info:
        run(content, stub, now=NOW)
    assert EMAIL in str(info.value)


def test_cli_without_credentials_exits_2_without_a_traceback(content, monkeypatch):
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    monkeypatch.delenv("CCHC_GOOGLE_CREDENTIALS", raising=False)
    result = CliRunner().invoke(main, ["sync", "--content", str(content)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "GOOGLE_APPLICATION_CREDENTIALS" in result.output


def test_writing_findings_back_does_not_make_the_next_run_fetch_again(content, stub, tmp_path):
    stub.touch_on_write = True  # as Google does: writing the findings tab changes the sheet's time
    stub.add_spreadsheet(KEY, xlsx(tmp_path, broken_rows(), "broken.xlsx"), modified="2022-11-02T09:30:00.000Z")
    assert run(content, stub, now=NOW, write_findings=True).results[0].status == "error"
    writes = sum(1 for r in stub.requests if r.method == "PUT")
    assert run(content, stub, now=LATER, write_findings=True).results[0].status in ("kept", "error")
    (third,) = run(content, stub, now=LATER, write_findings=True).results
    assert exports(stub) <= 2 and sum(1 for r in stub.requests if r.method == "PUT") == writes
