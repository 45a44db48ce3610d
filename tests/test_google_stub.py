"""The Google stub answers real gspread / google-auth calls, and nothing leaves 127.0.0.1."""

from __future__ import annotations

import io
import socket
import time

import gspread
import openpyxl
import pytest
import requests
from google.auth.exceptions import RefreshError
from google.oauth2.service_account import Credentials
from gspread.exceptions import APIError, SpreadsheetNotFound, WorksheetNotFound
from gspread.utils import ExportFormat

from tests.google_stub import (
    STUB_TOKEN,
    XLSX_MIME,
    GoogleStub,
    StubBlockedRequest,
    StubInternalError,
    mount_stub,
    service_account_info,
    stub_session,
)

KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_stub"
FINDINGS = "Kết quả kiểm tra"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.readonly"]


@pytest.fixture
def xlsx(tmp_path) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["TT", "Nhiệm vụ", "Đơn vị chủ trì"])
    ws.append([1, "Rà soát thủ tục hành chính", "Văn phòng HĐND và UBND"])
    path = tmp_path / "phu-luc.xlsx"
    wb.save(path)
    return path.read_bytes()


@pytest.fixture
def stub(xlsx):
    with GoogleStub() as stub:
        stub.add_spreadsheet(KEY, xlsx, title="Phụ lục phân công 2022")
        yield stub


@pytest.fixture
def creds(stub):
    return Credentials.from_service_account_info(service_account_info(stub.url + "/token"), scopes=SCOPES)


@pytest.fixture
def client(stub, creds):
    return gspread.Client(creds, session=stub_session(creds, stub))


def api_paths(stub):
    return [(r.method, r.path) for r in stub.requests if r.path != "/token"]


# -- reading ------------------------------------------------------------------------------------
def test_open_by_key_reads_metadata(stub, client):
    sh = client.open_by_key(KEY)
    assert sh.id == KEY and sh.title == "Phụ lục phân công 2022"
    assert [(ws.title, ws.id, ws.index) for ws in sh.worksheets()] == [("Phụ lục", 0, 0)]
    assert sh.sheet1.row_count == 1000 and sh.sheet1.col_count == 26
    token, first = stub.requests[0], stub.requests[1]
    assert (token.method, token.path) == ("POST", "/token")
    assert (first.method, first.path, first.query) == ("GET", f"/v4/spreadsheets/{KEY}", {"includeGridData": "false"})
    assert first.headers["Authorization"] == f"Bearer {STUB_TOKEN}"
    assert len(stub.token_claims) == 1  # one token, reused
    claims = stub.token_claims[0]
    assert claims["iss"] == "cchc-sync@du-an.iam.gserviceaccount.com"
    assert claims["aud"] == "https://oauth2.googleapis.com/token"  # google-auth's fixed audience
    assert claims["scope"].split() == SCOPES


def test_last_update_time_and_drive_metadata(stub, client):
    sh = client.open_by_key(KEY)
    assert sh.get_lastUpdateTime() == "2022-11-01T08:00:00.000Z"
    meta = client.get_file_drive_metadata(KEY)
    assert meta == {"id": KEY, "name": "Phụ lục phân công 2022", "createdTime": "2022-01-03T02:00:00.000Z",
                    "modifiedTime": "2022-11-01T08:00:00.000Z"}
    drive = [r for r in stub.requests if r.path == f"/drive/v3/files/{KEY}"][-1]
    assert drive.query["fields"] == "id,name,createdTime,modifiedTime"
    stub.update(KEY, modified="2022-12-24T01:02:03.456Z")
    assert sh.get_lastUpdateTime() == "2022-12-24T01:02:03.456Z"
    stub.update(KEY, b"new bytes")  # new content without a date: modified now
    assert sh.get_lastUpdateTime() > "2022-12-24T01:02:03.456Z"


def test_export_returns_the_exact_bytes(stub, client, xlsx):
    data = client.export(KEY, ExportFormat.EXCEL)
    assert data == xlsx
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Phụ lục"]
    export = stub.requests[-1]
    assert (export.method, export.path, export.query) == ("GET", f"/drive/v3/files/{KEY}/export",
                                                          {"mimeType": XLSX_MIME})
    with pytest.raises(APIError) as err:
        client.export(KEY, ExportFormat.CSV)
    assert err.value.response.status_code == 400


def test_open_by_title_lists_drive_files(stub, client):
    assert client.open("Phụ lục phân công 2022").id == KEY
    with pytest.raises(SpreadsheetNotFound):
        client.open("Không có")


# -- errors -------------------------------------------------------------------------------------
def test_unknown_key_is_404(stub, client):
    with pytest.raises(SpreadsheetNotFound):
        client.open_by_key("khong-co")
    with pytest.raises(APIError) as err:
        client.export("khong-co", ExportFormat.EXCEL)
    assert err.value.code == 404 and err.value.response.status_code == 404
    assert err.value.error["message"] == "File not found: khong-co."
    with pytest.raises(APIError) as err:
        client.http_client.fetch_sheet_metadata("khong-co")
    assert err.value.error == {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}


def test_403_is_permission_denied(stub, client):
    stub.script(rf"^/drive/v3/files/{KEY}$", [403])
    with pytest.raises(APIError) as err:
        client.get_file_drive_metadata(KEY)
    assert err.value.code == 403 and err.value.error["message"] == "The caller does not have permission"
    stub.script(rf"^/v4/spreadsheets/{KEY}$", [403])
    with pytest.raises(APIError) as err:
        client.http_client.fetch_sheet_metadata(KEY)
    assert err.value.error["status"] == "PERMISSION_DENIED"
    stub.script(rf"^/v4/spreadsheets/{KEY}$", [403])
    with pytest.raises(PermissionError):  # gspread's open_by_key turns a 403 into PermissionError
        client.open_by_key(KEY)


def test_scripted_429_then_success(stub, client, xlsx):
    script = stub.script(r"/export$", [(429, {"Retry-After": "7"}), 503, ("html", 502), "ok", 500],
                         method="GET")
    with pytest.raises(APIError) as err:
        client.export(KEY, ExportFormat.EXCEL)
    assert err.value.code == 429 and err.value.error["errors"][0]["domain"] == "usageLimits"  # Drive style
    assert err.value.response.headers["Retry-After"] == "7"
    with pytest.raises(APIError) as err:
        client.export(KEY, ExportFormat.EXCEL)
    assert err.value.response.status_code == 503
    with pytest.raises(APIError) as err:  # Google's front end answers 502 with an HTML page
        client.export(KEY, ExportFormat.EXCEL)
    assert err.value.response.status_code == 502 and err.value.code == -1
    assert client.export(KEY, ExportFormat.EXCEL) == xlsx
    with pytest.raises(APIError):
        client.export(KEY, ExportFormat.EXCEL)
    assert client.export(KEY, ExportFormat.EXCEL) == xlsx  # list used up: normal again
    assert script.hits == 5 and not script.responses
    stub.script(r"/export$", [429], retry_after=3)
    with pytest.raises(APIError) as err:
        client.export(KEY, ExportFormat.EXCEL)
    assert err.value.response.headers["Retry-After"] == "3"


def test_delay_longer_than_timeout_raises_timeout(stub, client, xlsx):
    client.set_timeout(0.5)
    stub.script(r"/export$", [("delay", 3.0)])  # the sleeping answer is cut short when the stub closes
    started = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout):
        client.export(KEY, ExportFormat.EXCEL)
    assert time.monotonic() - started < 2
    assert client.export(KEY, ExportFormat.EXCEL) == xlsx


def test_dropped_connection_is_a_connection_error(stub, client, xlsx):
    stub.script(r"/export$", ["drop"])
    with pytest.raises(requests.exceptions.ConnectionError):
        client.export(KEY, ExportFormat.EXCEL)
    assert client.export(KEY, ExportFormat.EXCEL) == xlsx


def test_requests_without_the_bearer_token_get_401(stub):
    plain = requests.Session()
    plain.trust_env = False
    r = plain.get(f"{stub.url}/v4/spreadsheets/{KEY}")
    assert r.status_code == 401 and r.json()["error"]["status"] == "UNAUTHENTICATED"
    r = plain.get(f"{stub.url}/drive/v3/files/{KEY}", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.json()["error"]["code"] == 401
    # gspread over a rewriting session that carries no credentials
    bare = gspread.Client(None, session=mount_stub(requests.Session(), stub))
    with pytest.raises(APIError) as err:
        bare.export(KEY, ExportFormat.EXCEL)
    assert err.value.code == 401
    assert not stub.token_claims


def test_token_failure_raises_refresh_error(stub, client):
    stub.fail_token = True
    with pytest.raises(RefreshError) as err:
        client.open_by_key(KEY)
    assert "invalid_grant" in str(err.value) and "Invalid JWT Signature." in str(err.value)
    assert [(r.method, r.path) for r in stub.requests] == [("POST", "/token")]


def test_a_rotated_token_is_refreshed(stub, client):
    client.get_file_drive_metadata(KEY)
    stub.token = "stub-token-2"  # the old one is now refused: AuthorizedSession refreshes and retries
    assert client.get_file_drive_metadata(KEY)["id"] == KEY
    assert [r.path for r in stub.requests].count("/token") == 2
    assert [r.method for r in stub.requests if r.path == f"/drive/v3/files/{KEY}"] == ["GET"] * 3


# -- writing --------------------------------------------------------------------------------------
def test_findings_round_trip(stub, client):
    sh = client.open_by_key(KEY)
    with pytest.raises(WorksheetNotFound):
        sh.worksheet(FINDINGS)
    ws = sh.add_worksheet(FINDINGS, rows=20, cols=6)
    assert (ws.title, ws.index, ws.row_count, ws.col_count) == (FINDINGS, 1, 20, 6)
    assert stub.sheet_titles(KEY) == ["Phụ lục", FINDINGS]
    add = stub.requests[-1]
    assert (add.method, add.path) == ("POST", f"/v4/spreadsheets/{KEY}:batchUpdate")
    assert add.json["requests"][0]["addSheet"]["properties"]["title"] == FINDINGS
    with pytest.raises(APIError) as err:
        sh.add_worksheet(FINDINGS, rows=20, cols=6)
    assert err.value.code == 400 and "already exists" in err.value.error["message"]

    rows = [["Mức", "Mã", "Vị trí", "Nội dung"], ["lỗi", "no-deadline", "Phụ lục!B7", "Thiếu thời hạn"]]
    result = ws.update(rows, "A1")
    assert result["updatedCells"] == 8 and result["updatedRange"] == "'Kết quả kiểm tra'!A1:D2"
    put = stub.requests[-1]
    assert (put.method, put.path) == ("PUT", f"/v4/spreadsheets/{KEY}/values/'{FINDINGS}'!A1")
    assert put.query == {"valueInputOption": "RAW"} and put.raw_path.endswith("%27%21A1")
    assert stub.values(KEY, FINDINGS) == rows

    again = sh.worksheet(FINDINGS)  # re-fetches the metadata
    assert again.id == ws.id and again.get_all_values() == rows
    ws.update([[1, 2.5, True, None]], "B3", raw=False)
    assert stub.values(KEY, FINDINGS)[2] == ["", "1", "2.5", "TRUE"]
    assert stub.requests[-1].query == {"valueInputOption": "USER_ENTERED"}

    ws.clear()
    clear = stub.requests[-1]
    assert (clear.method, clear.path) == ("POST", f"/v4/spreadsheets/{KEY}/values/'{FINDINGS}':clear")
    assert stub.values(KEY, FINDINGS) == []
    assert ws.get_all_values() == [[]]  # the API omits "values" for an empty range; gspread gives [[]]
    ws.update([["Không có lỗi"]], "A1")
    assert stub.values(KEY, FINDINGS) == [["Không có lỗi"]]

    sh.del_worksheet(ws)
    assert stub.sheet_titles(KEY) == ["Phụ lục"]
    with pytest.raises(APIError) as err:  # the last sheet cannot go
        sh.del_worksheet(sh.sheet1)
    assert err.value.code == 400
    with pytest.raises(APIError) as err:  # writing to a sheet that no longer exists
        ws.update([["x"]], "A1")
    assert err.value.code == 400 and "Unable to parse range" in err.value.error["message"]


def test_writes_can_touch_modified_time(stub, client):
    stub.touch_on_write = True
    sh = client.open_by_key(KEY)
    sh.sheet1.update([["x"]], "A1")
    assert stub.modified(KEY) > "2022-11-01T08:00:00.000Z"
    assert stub.values(KEY, "Phụ lục") == [["x"]]


# -- isolation ------------------------------------------------------------------------------------
def test_every_call_was_rewritten_to_the_stub(stub, client, creds):
    sh = client.open_by_key(KEY)
    sh.get_lastUpdateTime()
    client.export(KEY, ExportFormat.EXCEL)
    sh.add_worksheet(FINDINGS, 5, 5).update([["a"]], "A1")
    assert len(stub.sent) == len(stub.requests) == 6
    for original, sent in stub.sent:
        assert sent.startswith(stub.url + "/")
        assert original.startswith(("https://sheets.googleapis.com/", "https://www.googleapis.com/",
                                    stub.url + "/token"))
    assert sum(original.startswith("https://") for original, _ in stub.sent) == 5
    session = stub_session(creds, stub)
    with pytest.raises(StubBlockedRequest):
        session.get("https://example.com/")
    with pytest.raises(StubBlockedRequest):
        session.get("http://169.254.169.254/computeMetadata/v1/")
    assert stub.blocked == ["https://example.com/", "http://169.254.169.254/computeMetadata/v1/"]
    assert len(stub.requests) == 6


def test_default_google_token_uri_is_rewritten_too(stub):
    info = service_account_info("https://oauth2.googleapis.com/token", email="khac@du-an.iam.gserviceaccount.com")
    creds = Credentials.from_service_account_info(info, scopes=SCOPES)
    client = gspread.Client(creds, session=stub_session(creds, stub))
    assert client.get_file_drive_metadata(KEY)["id"] == KEY
    assert stub.sent[0] == ("https://oauth2.googleapis.com/token", stub.url + "/token")
    assert stub.token_claims[0]["iss"] == "khac@du-an.iam.gserviceaccount.com"


def test_quiet_and_clean_shutdown(xlsx, capfd):
    stub = GoogleStub().start()
    stub.add_spreadsheet(KEY, xlsx)
    creds = Credentials.from_service_account_info(service_account_info(stub.url + "/token"), scopes=SCOPES)
    client = gspread.Client(creds, session=stub_session(creds, stub))
    client.set_timeout(0.2)
    stub.script(r"/export$", [("delay", 5), "drop"])
    with pytest.raises(requests.exceptions.Timeout):
        client.export(KEY, ExportFormat.EXCEL)
    with pytest.raises(requests.exceptions.ConnectionError):
        client.export(KEY, ExportFormat.EXCEL)
    client.open_by_key(KEY)  # leaves a keep-alive connection open
    port = int(stub.url.rsplit(":", 1)[1])
    started = time.monotonic()
    stub.close()  # a handler still sleeping and an idle keep-alive connection do not hold it up
    assert time.monotonic() - started < 1 and not stub._thread.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert not stub.errors


def test_a_stub_failure_fails_the_test(stub, client, monkeypatch):
    monkeypatch.setattr(stub, "_metadata", lambda sheet: 1 / 0)
    with pytest.raises(APIError) as err:
        client.http_client.fetch_sheet_metadata(KEY)
    assert err.value.code == 500 and "stub.errors" in err.value.error["message"]
    assert "ZeroDivisionError" in stub.errors[0]
    with pytest.raises(StubInternalError):
        stub.__exit__(None, None, None)
    stub.errors.clear()


def test_service_account_info_is_complete():
    info = service_account_info("http://127.0.0.1:1/token")
    assert info["type"] == "service_account" and info["token_uri"] == "http://127.0.0.1:1/token"
    assert info["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert len(info["private_key_id"]) == 40 and info["client_id"].isdigit()
    assert {"project_id", "client_email", "auth_uri", "auth_provider_x509_cert_url",
            "client_x509_cert_url"} <= set(info)
    assert service_account_info("x")["private_key"] == info["private_key"]  # one key per process
