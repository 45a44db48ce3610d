"""Google Sheets through gspread: service-account credentials, the sheet's
modification time, its export to .xlsx (merges and layout kept, so one reader
serves local files and Google sheets), and the findings written back.

Every request has a time-out; 429 and 5xx answers are retried with
exponential backoff and full jitter inside a total time budget; a 403 names
the service account to share the sheet with, a 404 says the id is wrong.
gspread and google-auth are imported here only, when a Google source is synced.
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path

log = logging.getLogger(__name__)

SCOPES = ["https://www.googleapis.com/auth/spreadsheets", "https://www.googleapis.com/auth/drive.readonly"]
FINDINGS_SHEET = "Kết quả kiểm tra"
RETRY_STATUSES = {429, 500, 502, 503, 504}
_REQUIRED = ("type", "client_email", "private_key", "token_uri")


class SyncError(Exception):
    """One source could not be fetched; the message is Vietnamese."""


class CredentialsError(SyncError):
    """No usable service-account key: nothing can be fetched (exit code 2)."""


def load_credentials_info(env: Mapping[str, str] | None = None) -> dict:
    """The service-account key: the JSON in CCHC_GOOGLE_CREDENTIALS (a CI
    secret), else the file named by GOOGLE_APPLICATION_CREDENTIALS."""
    env = os.environ if env is None else env
    if env.get("CCHC_GOOGLE_CREDENTIALS", "").strip():
        text, where = env["CCHC_GOOGLE_CREDENTIALS"], "biến CCHC_GOOGLE_CREDENTIALS"
    elif env.get("GOOGLE_APPLICATION_CREDENTIALS", "").strip():
        path = Path(env["GOOGLE_APPLICATION_CREDENTIALS"])
        where = f"tệp {path} (GOOGLE_APPLICATION_CREDENTIALS)"
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CredentialsError(f"Không đọc được {where}: {exc.__class__.__name__}.") from None
    else:
        raise CredentialsError(
            "Chưa có khóa tài khoản dịch vụ Google: đặt biến môi trường GOOGLE_APPLICATION_CREDENTIALS là đường "
            "dẫn tệp khóa JSON, hoặc CCHC_GOOGLE_CREDENTIALS là nội dung tệp đó (bí mật của GitHub Actions).")
    try:
        info = json.loads(text)
    except ValueError as exc:
        raise CredentialsError(f"Khóa trong {where} không phải JSON hợp lệ (dòng {getattr(exc, 'lineno', '?')}): "
                               f"hãy dán nguyên nội dung tệp khóa tải từ Google Cloud.") from None
    if not isinstance(info, dict) or any(not info.get(key) for key in _REQUIRED):
        missing = [key for key in _REQUIRED if not isinstance(info, dict) or not info.get(key)]
        raise CredentialsError(f"Khóa trong {where} thiếu {', '.join(missing)}: cần tệp khóa JSON của một tài khoản "
                               f"dịch vụ (service account).")
    if info["type"] != "service_account":
        raise CredentialsError(f"Khóa trong {where} có type “{info['type']}”, cần “service_account”.")
    return info


class GoogleSheets:
    """The few calls a sync needs, each with time-outs, retries and clear errors."""

    def __init__(self, info: dict, *, session=None, timeout: float = 20.0, budget: float = 120.0,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
                 rng: Callable[[], float] = random.random, base_delay: float = 1.0, max_delay: float = 32.0):
        import gspread
        from google.auth.transport.requests import AuthorizedSession
        from google.oauth2.service_account import Credentials

        try:
            credentials = Credentials.from_service_account_info(info, scopes=SCOPES)
        except (ValueError, KeyError) as exc:
            raise CredentialsError(f"Khóa tài khoản dịch vụ không dùng được ({exc.__class__.__name__}): hãy tạo "
                                   f"lại khóa JSON trong Google Cloud.") from None
        self.email = info.get("client_email", "")
        self.client = gspread.Client(credentials, session=session or AuthorizedSession(credentials))
        self.client.set_timeout(timeout)
        self.timeout, self.budget = timeout, budget
        self.sleep, self.clock, self.rng = sleep, clock, rng
        self.base_delay, self.max_delay = base_delay, max_delay
        self.deadline: float | None = None

    def start_budget(self) -> None:
        """One time budget for all the calls of one source (metadata, export, write-back)."""
        self.deadline = self.clock() + self.budget

    # -- one call, retried -----------------------------------------------------------
    def call(self, what: str, sheet_id: str, fn: Callable):
        import requests
        from google.auth.exceptions import RefreshError, TransportError
        from gspread.exceptions import APIError, SpreadsheetNotFound

        deadline = self.deadline if self.deadline is not None else self.clock() + self.budget
        attempt = 0
        while True:
            try:
                return fn()
            except RefreshError as exc:
                if not getattr(exc, "retryable", False):
                    raise CredentialsError(f"Google từ chối khóa tài khoản dịch vụ {self.email} "
                                           f"({_reason(exc)}): khóa đã bị xóa hoặc sai; hãy tạo khóa mới.") from None
                problem, retry_after = "máy chủ cấp quyền không phản hồi", None
            except PermissionError:  # gspread's open_by_key turns a 403 into this
                raise SyncError(self._forbidden(sheet_id)) from None
            except SpreadsheetNotFound:  # … and a 404 into this
                raise SyncError(self._not_found(sheet_id)) from None
            except APIError as exc:
                status = exc.response.status_code
                reason = _error_reason(exc)
                if status == 403 and reason in ("rateLimitExceeded", "userRateLimitExceeded"):
                    status = 429  # Drive's way of saying "too many requests"
                elif status == 403 and reason == "exportSizeLimitExceeded":
                    raise SyncError(f"Google Sheet “{sheet_id}” quá lớn để tải về dạng .xlsx (giới hạn của Google "
                                    f"khoảng 10 MB): xóa các trang tính, hình ảnh hoặc định dạng thừa.") from None
                elif status == 403:
                    raise SyncError(self._forbidden(sheet_id)) from None
                if status == 404:
                    raise SyncError(self._not_found(sheet_id)) from None
                if status == 401:
                    raise CredentialsError(f"Google không nhận khóa tài khoản dịch vụ {self.email} (401).") from None
                if status not in RETRY_STATUSES:
                    raise SyncError(f"Google trả lỗi {status} khi {what} “{sheet_id}”: {_message(exc)}.") from None
                problem, retry_after = f"lỗi {status}", _retry_after(exc.response)
            except (requests.Timeout, requests.ConnectionError, TransportError) as exc:
                problem, retry_after = f"không phản hồi ({exc.__class__.__name__})", None
            attempt += 1
            delay = retry_after if retry_after is not None else \
                self.rng() * min(self.max_delay, self.base_delay * 2 ** attempt)
            if self.clock() + delay + self.timeout > deadline:  # the next try must fit, time-out included
                raise SyncError(f"Google {problem} khi {what} “{sheet_id}”, đã thử {attempt} lần trong "
                                f"{round(self.budget)} giây: thử lại sau.") from None
            log.info("Google %s khi %s %s: thử lại sau %.1f giây", problem, what, sheet_id, delay)
            self.sleep(delay)

    def _forbidden(self, sheet_id: str) -> str:
        return (f"Không có quyền đọc Google Sheet “{sheet_id}”: hãy chia sẻ bảng tính (quyền Người xem, hoặc "
                f"Người chỉnh sửa nếu dùng --write-findings) cho tài khoản dịch vụ {self.email}.")

    @staticmethod
    def _not_found(sheet_id: str) -> str:
        return f"Không tìm thấy Google Sheet có mã “{sheet_id}”: kiểm tra lại google_sheet trong site.yml."

    # -- what a sync needs ---------------------------------------------------------------
    def metadata(self, sheet_id: str) -> dict:
        """{"name", "modifiedTime"} from the Drive API."""
        return self.call("đọc thông tin", sheet_id,
                         lambda: self.client.http_client.get_file_drive_metadata(sheet_id))

    def export_xlsx(self, sheet_id: str) -> bytes:
        from gspread.utils import ExportFormat

        return self.call("tải", sheet_id, lambda: self.client.export(sheet_id, ExportFormat.EXCEL))

    def write_findings(self, sheet_id: str, rows: list[list[str]]) -> None:
        """Replace the content of the “Kết quả kiểm tra” sheet by ``rows``
        (header first): the old findings are cleared, a clean sheet gets one
        row saying so."""
        from gspread.exceptions import WorksheetNotFound

        spreadsheet = self.call("mở", sheet_id, lambda: self.client.open_by_key(sheet_id))

        def target():
            try:
                return spreadsheet.worksheet(FINDINGS_SHEET)
            except WorksheetNotFound:
                return spreadsheet.add_worksheet(FINDINGS_SHEET, rows=max(len(rows), 20), cols=6)

        sheet = self.call("mở trang kết quả kiểm tra", sheet_id, target)
        self.call("xóa kết quả cũ", sheet_id, sheet.clear)
        self.call("ghi kết quả kiểm tra", sheet_id, lambda: sheet.update(rows, "A1"))


def _reason(exc) -> str:
    text = str(exc.args[0] if exc.args else exc)
    return text.split(":")[0][:80]


def _error_reason(exc) -> str:
    """The machine-readable reason of a Google error ("rateLimitExceeded"…)."""
    try:
        errors = exc.response.json()["error"].get("errors") or []
        return str(errors[0].get("reason", "")) if errors else ""
    except (ValueError, KeyError, TypeError, AttributeError, IndexError):
        return ""


def _message(exc) -> str:
    try:
        return exc.response.json()["error"]["message"][:200]
    except (ValueError, KeyError, TypeError):
        return exc.response.reason or ""


def _retry_after(response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
