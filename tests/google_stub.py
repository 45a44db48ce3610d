"""A local stand-in for the Google APIs that gspread uses, for tests.

``GoogleStub`` is an HTTP server on 127.0.0.1 (a free port) that answers the
paths of the real APIs with the host stripped:

* ``POST /token`` — the OAuth token endpoint (service-account JWT grant);
* ``/v4/spreadsheets/...`` — Sheets v4: metadata, ``:batchUpdate``
  (addSheet, deleteSheet, updateSheetProperties, updateSpreadsheetProperties),
  ``values/{range}`` GET/PUT, ``values/{range}:clear``, ``values:batchGet``,
  ``values:batchUpdate``, ``values:batchClear``;
* ``/drive/v3/files...`` — Drive v3: file metadata, export, list.

Production code reaches it through a ``requests`` session whose adapter
rewrites ``https://sheets.googleapis.com/``, ``https://www.googleapis.com/``
and ``https://oauth2.googleapis.com/`` to the stub and refuses every other
host (``StubBlockedRequest``), so nothing leaves the machine::

    with GoogleStub() as stub:
        stub.add_spreadsheet("KEY", xlsx_bytes)
        creds = Credentials.from_service_account_info(
            service_account_info(stub.url + "/token"), scopes=SCOPES)
        client = gspread.Client(creds, session=stub_session(creds, stub))
        client.open_by_key("KEY")

Faults are scripted per path: ``stub.script(r"/export$", [429, "ok"])``.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import functools
import hashlib
import json
import os
import re
import socket
import threading
import traceback
from collections import deque
from collections.abc import Iterable, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

__all__ = [
    "DEFAULT_SCOPES",
    "GOOGLE_HOSTS",
    "STUB_TOKEN",
    "XLSX_MIME",
    "GoogleStub",
    "Script",
    "StubAdapter",
    "StubBlockedRequest",
    "StubInternalError",
    "StubRequest",
    "mount_stub",
    "service_account_info",
    "stub_credentials",
    "stub_session",
]

STUB_TOKEN = "stub-token"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEETS_MIME = "application/vnd.google-apps.spreadsheet"
DEFAULT_SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.readonly",
)
#: Hosts the adapter sends to the stub (path and query kept).
GOOGLE_HOSTS = ("sheets.googleapis.com", "www.googleapis.com", "oauth2.googleapis.com")
DEFAULT_ROWS, DEFAULT_COLS = 1000, 26
JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"

# status -> (Sheets "status", default message, Drive "reason", Drive "domain")
_ERRORS: dict[int, tuple[str, str, str, str]] = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument.", "badRequest", "global"),
    401: ("UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other "
          "valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
          "authError", "global"),
    403: ("PERMISSION_DENIED", "The caller does not have permission", "forbidden", "global"),
    404: ("NOT_FOUND", "Requested entity was not found.", "notFound", "global"),
    408: ("DEADLINE_EXCEEDED", "Request timed out.", "requestTimeout", "global"),
    409: ("ABORTED", "The operation was aborted.", "conflict", "global"),
    429: ("RESOURCE_EXHAUSTED",
          "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute per user' of service "
          "'sheets.googleapis.com' for consumer 'project_number:000000000000'.",
          "rateLimitExceeded", "usageLimits"),
    500: ("INTERNAL", "Internal error encountered.", "internalError", "global"),
    502: ("UNAVAILABLE", "Bad Gateway", "badGateway", "global"),
    503: ("UNAVAILABLE", "The service is currently unavailable.", "backendError", "global"),
    504: ("DEADLINE_EXCEEDED", "Deadline exceeded.", "backendError", "global"),
}

_HTML_ERROR = """<!DOCTYPE html>
<html lang=en>
  <meta charset=utf-8>
  <title>Error {code} (Server Error)!!1</title>
  <p><b>{code}.</b> <ins>That's an error.</ins>
  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That's all we know.</ins>
"""


# --------------------------------------------------------------------------------------------------
# Credentials
# --------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _key_pem() -> str:
    """One RSA 2048 key per process (generation takes a noticeable fraction of a second)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


@functools.lru_cache(maxsize=1)
def _public_key():
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(_key_pem().encode("ascii"), password=None).public_key()


def service_account_info(token_uri: str, email: str = "cchc-sync@du-an.iam.gserviceaccount.com") -> dict:
    """A complete service-account key (the JSON Google Cloud hands out), with a real RSA key
    and ``token_uri`` pointing where you say (normally ``stub.url + "/token"``)."""
    from cryptography.hazmat.primitives import serialization

    der = _public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    project = email.split("@", 1)[1].split(".", 1)[0] if "@" in email else "du-an"
    client_id = str(int(hashlib.sha256(email.encode()).hexdigest(), 16))[:21].rjust(21, "1")
    return {
        "type": "service_account",
        "project_id": project,
        "private_key_id": hashlib.sha1(der).hexdigest(),
        "private_key": _key_pem(),
        "client_email": email,
        "client_id": client_id,
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/" + quote(email, safe=""),
        "universe_domain": "googleapis.com",
    }


def stub_credentials(stub: "GoogleStub", scopes: Sequence[str] = DEFAULT_SCOPES, **info_kwargs):
    """google.oauth2.service_account.Credentials whose token_uri is ``stub.url + "/token"``."""
    from google.oauth2.service_account import Credentials

    return Credentials.from_service_account_info(service_account_info(stub.url + "/token", **info_kwargs),
                                                 scopes=list(scopes))


# --------------------------------------------------------------------------------------------------
# Client side: the adapter
# --------------------------------------------------------------------------------------------------
class StubBlockedRequest(requests.ConnectionError):
    """A request through a stub session to a host that is neither Google's nor the stub."""


class StubAdapter(HTTPAdapter):
    """Sends Google hosts' requests to the stub (path and query kept); lets requests to the stub
    itself through; refuses every other URL with :class:`StubBlockedRequest` before any socket is
    opened. Every URL sent is noted in ``stub.sent`` as ``(original_url, sent_url)``."""

    def __init__(self, stub: "GoogleStub", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stub = stub

    def send(self, request, **kwargs):  # type: ignore[override]
        original = request.url
        parts = urlsplit(original)
        base = urlsplit(self.stub.url)
        host = (parts.hostname or "").lower()
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            pass
        elif parts.scheme == "https" and host in GOOGLE_HOSTS:
            request.url = urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
        else:
            self.stub._note_blocked(original)
            raise StubBlockedRequest(f"google_stub: refusing to send {request.method} {original} "
                                     f"(only {', '.join(GOOGLE_HOSTS)} and {self.stub.url})", request=request)
        kwargs["proxies"] = {}  # never route the rewritten URL through an environment proxy
        self.stub._note_sent(original, request.url)
        return super().send(request, **kwargs)


def mount_stub(session: requests.Session, stub: "GoogleStub") -> requests.Session:
    """Mount a :class:`StubAdapter` on ``session`` for the Google hosts and as the catch-all for
    http:// and https:// (so nothing else is reachable); also ignores proxy/netrc environment."""
    adapter = StubAdapter(stub)
    for host in GOOGLE_HOSTS:
        session.mount(f"https://{host}/", adapter)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.trust_env = False
    return session


def stub_session(credentials, stub: "GoogleStub") -> requests.Session:
    """An ``AuthorizedSession(credentials)`` whose every request (and the token refresh, which
    uses its own ``requests.Session``) goes through a :class:`StubAdapter` to ``stub``."""
    from google.auth.transport.requests import AuthorizedSession, Request

    auth_http = mount_stub(requests.Session(), stub)

    class _StubAuthorizedSession(AuthorizedSession):
        def close(self) -> None:
            auth_http.close()
            super().close()

    session = _StubAuthorizedSession(credentials, auth_request=Request(auth_http))
    session.stub_auth_session = auth_http  # type: ignore[attr-defined]
    return mount_stub(session, stub)


# --------------------------------------------------------------------------------------------------
# Server state
# --------------------------------------------------------------------------------------------------
class _StubRequestFields(NamedTuple):
    method: str
    path: str
    query: dict
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class StubRequest(_StubRequestFields):
    """A request the stub received. Unpacks as ``(method, path, query, body)``.

    ``path`` is percent-decoded (``/v4/spreadsheets/K/values/'Kết quả kiểm tra'!A1``); ``query``
    maps each parameter to its value (a list when repeated). Also: ``raw_path`` (as sent),
    ``headers`` (case-insensitive dict) and ``.json`` (the body decoded, or None)."""

    raw_path: str = ""
    headers: dict = {}


class Script:
    """Canned answers for requests whose decoded path matches ``pattern`` (``re.search``),
    consumed one per matching request; ``responses`` is what is left, ``hits`` how many were used."""

    def __init__(self, pattern: str, responses: Iterable[Any], method: str | None, retry_after: Any) -> None:
        self.pattern = re.compile(pattern)
        self.method = method.upper() if method else None
        self.responses: deque = deque(responses)
        self.retry_after = retry_after
        self.hits = 0

    def __repr__(self) -> str:
        return f"Script({self.pattern.pattern!r}, {list(self.responses)!r}, hits={self.hits})"


class StubInternalError(AssertionError):
    """The stub itself failed while answering (a bug in the stub or an unexpected request)."""


def _now() -> str:
    now = _dt.datetime.now(_dt.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


class _Spreadsheet:
    def __init__(self, key: str, xlsx: bytes, title: str, created: str, modified: str, sheets: Sequence[str]):
        self.key, self.xlsx, self.title = key, xlsx, title
        self.created, self.modified = created, modified
        self.sheets: list[dict] = []
        self.values: dict[int, list[list[str]]] = {}
        self.next_id = 1_000_001
        for i, name in enumerate(sheets):
            self.sheets.append(_sheet_props(0 if i == 0 else self._new_id(), name, i, DEFAULT_ROWS, DEFAULT_COLS))

    def _new_id(self) -> int:
        self.next_id += 7919
        return self.next_id

    def by_title(self, title: str) -> dict | None:
        return next((s for s in self.sheets if s["title"] == title), None)

    def by_id(self, sheet_id: int) -> dict | None:
        return next((s for s in self.sheets if s["sheetId"] == sheet_id), None)

    def reindex(self) -> None:
        for i, props in enumerate(self.sheets):
            props["index"] = i


def _sheet_props(sheet_id: int, title: str, index: int, rows: int, cols: int) -> dict:
    return {"sheetId": sheet_id, "title": title, "index": index, "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": cols}}


class _ApiError(Exception):
    def __init__(self, code: int, message: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message = code, message


# --------------------------------------------------------------------------------------------------
# A1 ranges
# --------------------------------------------------------------------------------------------------
_CELL = re.compile(r"^([A-Za-z]{0,3})(\d{0,7})$")


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _col_letters(index: int) -> str:
    out, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _parse_a1(a1: str) -> tuple[int, int, int | None, int | None] | None:
    """(row0, col0, row_end, col_end) — 0-based, ends exclusive, None = open; None if not A1."""
    parts = a1.split(":")
    if len(parts) > 2 or not all(parts):
        return None
    cells = [_CELL.match(p) for p in parts]
    if not all(cells):
        return None
    c0, r0 = cells[0].groups()
    if len(parts) == 1:
        if not (c0 and r0) or int(r0) < 1:
            return None
        return int(r0) - 1, _col_index(c0), int(r0), _col_index(c0) + 1
    c1, r1 = cells[1].groups()
    if (not c0 and not r0) or (not c1 and not r1) or (r0 and int(r0) < 1) or (r1 and int(r1) < 1):
        return None
    if (not c0 and c1) or (not r0 and r1 and c0):  # "1:B2", "A:B2"
        return None
    row0 = int(r0) - 1 if r0 else 0
    col0 = _col_index(c0) if c0 else 0
    return row0, col0, (int(r1) if r1 else None), (_col_index(c1) + 1 if c1 else None)


def _split_range(rng: str) -> tuple[str | None, str | None]:
    """("Title" or None, "A1 part" or None) of ``'Title'!A1:B2`` / ``Title!A1`` / ``'Title'`` / ``A1``."""
    if rng.startswith("'"):
        i, out = 1, []
        while i < len(rng):
            if rng[i] == "'":
                if rng[i + 1:i + 2] == "'":
                    out.append("'")
                    i += 2
                    continue
                break
            out.append(rng[i])
            i += 1
        else:
            raise _ApiError(400, f"Unable to parse range: {rng}")
        rest = rng[i + 1:]
        if rest == "":
            return "".join(out), None
        if rest.startswith("!") and len(rest) > 1:
            return "".join(out), rest[1:]
        raise _ApiError(400, f"Unable to parse range: {rng}")
    if "!" in rng:
        title, _, a1 = rng.rpartition("!")
        return title, a1 or None
    return None, rng


def _quote_title(title: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", title) and not _parse_a1(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _trimmed(grid: list[list[str]]) -> list[list[str]]:
    rows = [list(r) for r in grid]
    for r in rows:
        while r and r[-1] == "":
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _transpose(rows: list[list[Any]]) -> list[list[Any]]:
    width = max((len(r) for r in rows), default=0)
    return [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]


# --------------------------------------------------------------------------------------------------
# The stub
# --------------------------------------------------------------------------------------------------
class GoogleStub:
    """Local Google Sheets v4 / Drive v3 / OAuth stub. Use as a context manager (or start()/close())."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._closing = threading.Event()
        self._files: dict[str, _Spreadsheet] = {}
        self._scripts: list[Script] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        #: every request received, in order
        self.requests: list[StubRequest] = []
        #: (original URL, URL actually sent) for every request that went through a StubAdapter
        self.sent: list[tuple[str, str]] = []
        #: URLs a StubAdapter refused (not Google, not the stub)
        self.blocked: list[str] = []
        #: decoded JWT claims of every token request
        self.token_claims: list[dict] = []
        #: tracebacks of failures inside the stub (re-raised as StubInternalError on exit)
        self.errors: list[str] = []
        #: the one access token the stub hands out and accepts; change it to "expire" tokens
        self.token = STUB_TOKEN
        self.token_expires_in = 3600
        #: True -> POST /token answers 400 invalid_grant "Invalid JWT Signature."
        self.fail_token = False
        #: check the JWT assertion's RS256 signature against service_account_info()'s key
        self.verify_jwt = True
        #: True -> every successful write (values, batchUpdate) sets the Drive modifiedTime to now
        self.touch_on_write = False

    # -- life cycle ----------------------------------------------------------------------------
    def start(self) -> "GoogleStub":
        if self._server is not None:
            return self
        self._closing.clear()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name=f"google-stub-{port}", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._closing.set()
        server.shutdown()
        with server.conns_lock:
            conns = list(server.conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> "GoogleStub":
        return self.start()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()
        if exc_type is None and self.errors:
            raise StubInternalError("google_stub failed while answering:\n" + "\n".join(self.errors))

    # -- data ----------------------------------------------------------------------------------
    def add_spreadsheet(self, key: str, xlsx_bytes: bytes | os.PathLike, *, title: str = "Phụ lục phân công CCHC",
                        modified: str = "2022-11-01T08:00:00.000Z", sheets: Sequence[str] = ("Phụ lục",),
                        created: str = "2022-01-03T02:00:00.000Z") -> None:
        """Make spreadsheet ``key`` exist: export returns ``xlsx_bytes`` (bytes or a path), the
        Sheets metadata lists ``sheets`` (ids 0, then generated), Drive says ``modified``."""
        if not isinstance(xlsx_bytes, (bytes, bytearray)):
            with open(xlsx_bytes, "rb") as fh:
                xlsx_bytes = fh.read()
        if not sheets:
            raise ValueError("a spreadsheet has at least one sheet")
        with self._lock:
            self._files[key] = _Spreadsheet(key, bytes(xlsx_bytes), title, created, modified, list(sheets))

    def update(self, key: str, xlsx_bytes: bytes | None = None, *, modified: str | None = None,
               title: str | None = None) -> None:
        """Change the exported bytes and/or modifiedTime (new bytes without ``modified`` -> now)."""
        with self._lock:
            sheet = self._files[key]
            if xlsx_bytes is not None:
                sheet.xlsx = bytes(xlsx_bytes)
            if title is not None:
                sheet.title = title
            if modified is not None:
                sheet.modified = modified
            elif xlsx_bytes is not None:
                sheet.modified = _now()

    def remove(self, key: str) -> None:
        """Delete spreadsheet ``key`` (404 from now on)."""
        with self._lock:
            self._files.pop(key, None)

    def modified(self, key: str) -> str:
        with self._lock:
            return self._files[key].modified

    def sheet_titles(self, key: str) -> list[str]:
        with self._lock:
            return [s["title"] for s in self._files[key].sheets]

    def values(self, key: str, sheet_title: str, *, trim: bool = True) -> list[list[str]]:
        """The cells of a sheet as strings. ``trim=True`` (default) drops trailing empty cells and
        rows, as the Sheets API does when reading; ``trim=False`` gives the stored grid."""
        with self._lock:
            sheet = self._files[key]
            props = sheet.by_title(sheet_title)
            if props is None:
                raise KeyError(f"no sheet {sheet_title!r} in {key!r}; sheets: {self.sheet_titles(key)}")
            grid = sheet.values.get(props["sheetId"], [])
            return _trimmed(grid) if trim else [list(r) for r in grid]

    def set_values(self, key: str, sheet_title: str, rows: list[list[Any]]) -> None:
        """Preload a sheet's cells (the sheet must exist)."""
        with self._lock:
            props = self._files[key].by_title(sheet_title)
            if props is None:
                raise KeyError(sheet_title)
            self._files[key].values[props["sheetId"]] = [[_cell_text(v) for v in r] for r in rows]

    # -- fault injection -----------------------------------------------------------------------
    def script(self, path_regex: str, responses: Iterable[Any], *, method: str | None = None,
               retry_after: int | float | str | None = None) -> Script:
        """Answer the next requests whose decoded path matches ``path_regex`` (``re.search``; and
        ``method`` if given) with ``responses`` in order, then normally again. Each response is
        ``"ok"``; an int status (Google-style JSON error, Drive-style under /drive/; 429 gets
        ``Retry-After: retry_after`` when given); ``(status, {header: value})``;
        ``("delay", seconds)`` (sleep, then answer normally); ``("html", status)`` (Google's HTML
        error page); or ``"drop"`` (close the connection without an answer)."""
        entries = list(responses)
        for entry in entries:
            _check_entry(entry)
        script = Script(path_regex, entries, method, retry_after)
        with self._lock:
            self._scripts.append(script)
        return script

    def clear_scripts(self) -> None:
        with self._lock:
            self._scripts.clear()

    # -- bookkeeping (called from other threads) ------------------------------------------------
    def _note_sent(self, original: str, sent: str) -> None:
        with self._lock:
            self.sent.append((original, sent))

    def _note_blocked(self, url: str) -> None:
        with self._lock:
            self.blocked.append(url)

    def _next_scripted(self, method: str, path: str) -> tuple[Script, Any] | None:
        with self._lock:
            for script in self._scripts:
                if script.responses and (script.method in (None, method)) and script.pattern.search(path):
                    script.hits += 1
                    return script, script.responses.popleft()
        return None

    def _touch(self, sheet: _Spreadsheet) -> None:
        if self.touch_on_write:
            sheet.modified = _now()

    # -- API ---------------------------------------------------------------------------------------
    def _get_file(self, key: str, drive: bool = False) -> _Spreadsheet:
        sheet = self._files.get(key)
        if sheet is None:
            raise _ApiError(404, f"File not found: {key}." if drive else None)
        return sheet

    def _metadata(self, sheet: _Spreadsheet) -> dict:
        return {
            "spreadsheetId": sheet.key,
            "properties": {"title": sheet.title, "locale": "vi_VN", "autoRecalc": "ON_CHANGE",
                           "timeZone": "Asia/Ho_Chi_Minh"},
            "sheets": [{"properties": copy.deepcopy(p)} for p in sheet.sheets],
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{sheet.key}/edit",
        }

    def _drive_file(self, sheet: _Spreadsheet, fields: str | None) -> dict:
        full = {"kind": "drive#file", "id": sheet.key, "name": sheet.title, "mimeType": SHEETS_MIME,
                "createdTime": sheet.created, "modifiedTime": sheet.modified}
        if not fields:
            return {k: full[k] for k in ("kind", "id", "name", "mimeType")}
        wanted = {f.strip() for f in fields.split(",")}
        return {k: v for k, v in full.items() if k in wanted}

    def _resolve(self, sheet: _Spreadsheet, rng: str) -> tuple[dict, tuple[int, int, int | None, int | None]]:
        """The sheet and (row0, col0, row_end, col_end) of a range; a single cell (``A1``) reaches
        one cell, which only reads use: writes take it as the top-left anchor."""
        title, a1 = _split_range(rng)
        if title is None:
            props = sheet.by_title(a1 or "")
            if props is not None:
                a1 = None
            elif a1 and _parse_a1(a1):
                props = sheet.sheets[0]
            else:
                raise _ApiError(400, f"Unable to parse range: {rng}")
        else:
            props = sheet.by_title(title)
            if props is None:
                raise _ApiError(400, f"Unable to parse range: {rng}")
        if a1 is None:
            return props, (0, 0, None, None)
        bounds = _parse_a1(a1)
        if bounds is None:
            raise _ApiError(400, f"Unable to parse range: {rng}")
        return props, bounds

    def _a1_name(self, props: dict, r0: int, c0: int, r1: int | None, c1: int | None) -> str:
        grid = props["gridProperties"]
        r1 = grid["rowCount"] if r1 is None else r1
        c1 = grid["columnCount"] if c1 is None else c1
        return f"{_quote_title(props['title'])}!{_col_letters(c0)}{r0 + 1}:{_col_letters(max(c1, c0 + 1) - 1)}{max(r1, r0 + 1)}"

    def _read(self, sheet: _Spreadsheet, rng: str, major: str | None) -> dict:
        props, (r0, c0, r1, c1) = self._resolve(sheet, rng)
        grid = sheet.values.get(props["sheetId"], [])
        rows = [row[c0:c1] for row in grid[r0:r1]]
        values = _trimmed(rows)
        if major == "COLUMNS":
            values = _trimmed(_transpose(values))
        out: dict = {"range": self._a1_name(props, r0, c0, r1, c1), "majorDimension": major or "ROWS"}
        if values:
            out["values"] = values
        return out

    def _write(self, sheet: _Spreadsheet, rng: str, values: Any, major: str | None) -> dict:
        props, (r0, c0, r1, c1) = self._resolve(sheet, rng)
        if ":" not in rng.rpartition("!")[2]:  # "'Sheet'!B3" or "'Sheet'": an anchor, not a bound
            r1 = c1 = None
        if not isinstance(values, list) or not all(isinstance(r, list) for r in values):
            raise _ApiError(400, "Invalid values: expected a list of lists")
        rows = [[_cell_text(v) for v in r] for r in values]
        if major == "COLUMNS":
            rows = _transpose(rows)
        height, width = len(rows), max((len(r) for r in rows), default=0)
        if (r1 is not None and height > r1 - r0) or (c1 is not None and width > c1 - c0):
            raise _ApiError(400, f"Requested writing within range [{rng}], but tried writing to row "
                                 f"[{r0 + height}] / column [{_col_letters(c0 + width - 1)}]")
        grid = sheet.values.setdefault(props["sheetId"], [])
        for i, row in enumerate(rows):
            while len(grid) <= r0 + i:
                grid.append([])
            target = grid[r0 + i]
            while len(target) < c0 + len(row):
                target.append("")
            target[c0:c0 + len(row)] = row
        gp = props["gridProperties"]  # the API grows the grid to fit the data
        gp["rowCount"] = max(gp["rowCount"], r0 + height)
        gp["columnCount"] = max(gp["columnCount"], c0 + width)
        self._touch(sheet)
        return {"spreadsheetId": sheet.key, "updatedRange": self._a1_name(props, r0, c0, r0 + height, c0 + width),
                "updatedRows": height, "updatedColumns": width,
                "updatedCells": sum(len(r) for r in rows)}

    def _clear(self, sheet: _Spreadsheet, rng: str) -> dict:
        props, (r0, c0, r1, c1) = self._resolve(sheet, rng)
        grid = sheet.values.get(props["sheetId"], [])
        for row in grid[r0:r1]:
            end = len(row) if c1 is None else min(c1, len(row))
            for c in range(c0, end):
                row[c] = ""
        sheet.values[props["sheetId"]] = _trimmed(grid)
        self._touch(sheet)
        return {"spreadsheetId": sheet.key, "clearedRange": self._a1_name(props, r0, c0, r1, c1)}

    def _batch_update(self, sheet: _Spreadsheet, body: dict) -> dict:
        work = copy.deepcopy(sheet)  # all or nothing, like the API
        replies = []
        for n, req in enumerate(body.get("requests") or []):
            if not isinstance(req, dict) or len(req) != 1:
                raise _ApiError(400, f"Invalid requests[{n}]: exactly one kind of request expected")
            (kind, arg), = req.items()
            where = f"Invalid requests[{n}].{kind}"
            if kind == "addSheet":
                p = dict(arg.get("properties") or {})
                title = p.get("title") or f"Trang tính{len(work.sheets) + 1}"
                if work.by_title(title) is not None:
                    raise _ApiError(400, f'{where}: A sheet with the name "{title}" already exists. '
                                         f"Please enter another name.")
                sid = p.get("sheetId")
                if sid is None:
                    sid = work._new_id()
                elif work.by_id(sid) is not None:
                    raise _ApiError(400, f"{where}: Sheet with id {sid} already exists.")
                gp = p.get("gridProperties") or {}
                index = p.get("index", len(work.sheets))
                index = max(0, min(int(index), len(work.sheets)))
                props = _sheet_props(sid, title, index, gp.get("rowCount", DEFAULT_ROWS),
                                     gp.get("columnCount", DEFAULT_COLS))
                for extra in ("hidden", "tabColor", "tabColorStyle", "rightToLeft"):
                    if extra in p:
                        props[extra] = p[extra]
                work.sheets.insert(index, props)
                work.reindex()
                replies.append({"addSheet": {"properties": copy.deepcopy(props)}})
            elif kind == "deleteSheet":
                props = work.by_id(arg.get("sheetId"))
                if props is None:
                    raise _ApiError(400, f"{where}: No grid with id: {arg.get('sheetId')}")
                if len(work.sheets) == 1:
                    raise _ApiError(400, f"{where}: You can't remove all the sheets in a document.")
                work.sheets.remove(props)
                work.values.pop(props["sheetId"], None)
                work.reindex()
                replies.append({})
            elif kind == "updateSheetProperties":
                p = arg.get("properties") or {}
                props = work.by_id(p.get("sheetId", 0))
                if props is None:
                    raise _ApiError(400, f"{where}: No grid with id: {p.get('sheetId')}")
                fields = [f.strip() for f in (arg.get("fields") or "").split(",") if f.strip()]
                for field in fields:
                    if field == "*":
                        fields = [k for k in p if k != "sheetId"]
                        break
                for field in fields:
                    if field == "title":
                        other = work.by_title(p.get("title"))
                        if other is not None and other is not props:
                            raise _ApiError(400, f'{where}: A sheet with the name "{p.get("title")}" already '
                                                 f"exists. Please enter another name.")
                        props["title"] = p.get("title")
                    elif field == "index":
                        work.sheets.remove(props)
                        work.sheets.insert(max(0, min(int(p.get("index", 0)), len(work.sheets))), props)
                        work.reindex()
                    elif field.startswith("gridProperties"):
                        sub = field.partition(".")[2]
                        src = p.get("gridProperties") or {}
                        keys = [sub] if sub else list(src)
                        for k in keys:
                            if k in src:
                                props["gridProperties"][k] = src[k]
                    elif field in p:
                        props[field] = p[field]
                replies.append({})
            elif kind == "updateSpreadsheetProperties":
                p = arg.get("properties") or {}
                if "title" in p:
                    work.title = p["title"]
                replies.append({})
            else:
                raise _ApiError(400, f"{where}: google_stub does not support this request kind")
        sheet.__dict__.update(work.__dict__)
        self._touch(sheet)
        return {"spreadsheetId": sheet.key, "replies": replies}

    def _drive_list(self, query: dict) -> dict:
        q = query.get("q") or ""
        names = re.findall(r'name\s*=\s*"((?:[^"\\]|\\.)*)"', q) if isinstance(q, str) else []
        files = [self._drive_file(s, "id,name,createdTime,modifiedTime") for s in self._files.values()
                 if not names or s.title == names[0]]
        return {"kind": "drive#fileList", "incompleteSearch": False, "files": files}


def _check_entry(entry: Any) -> None:
    ok = (
        entry in ("ok", "drop")
        or (isinstance(entry, int) and not isinstance(entry, bool) and 100 <= entry <= 599)
        or (isinstance(entry, tuple) and len(entry) == 2 and (
            (entry[0] == "delay" and isinstance(entry[1], (int, float)))
            or (entry[0] == "html" and isinstance(entry[1], int))
            or (isinstance(entry[0], int) and isinstance(entry[1], dict))))
    )
    if not ok:
        raise ValueError(f"google_stub: unknown scripted response {entry!r}")


# --------------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------------
class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stub: GoogleStub

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.conns: set[socket.socket] = set()
        self.conns_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def handle_error(self, request, client_address) -> None:  # quiet; real failures are recorded
        import sys

        if isinstance(sys.exc_info()[1], OSError) or self.stub._closing.is_set():
            return  # the client went away (time-out, dropped connection) or the stub is closing
        self.stub.errors.append(traceback.format_exc())


_SPREADSHEET = re.compile(r"^/v4/spreadsheets/([^/:]+)(?P<rest>.*)$")
_DRIVE_FILE = re.compile(r"^/drive/v3/files/([^/]+)(/export)?$")


def _query_dict(query: str) -> dict:
    out: dict = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name in out:
            out[name] = (out[name] if isinstance(out[name], list) else [out[name]]) + [value]
        else:
            out[name] = value
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms delayed-ACK stalls
    server: _Server
    server_version = "ESF"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - no stderr noise
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.conns_lock:
            self.server.conns.add(self.connection)

    def finish(self) -> None:
        with self.server.conns_lock:
            self.server.conns.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    # -- helpers ---------------------------------------------------------------------------
    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def _json(self, status: int, obj: Any, headers: dict | None = None) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=UTF-8", headers)

    def _error(self, status: int, path: str, message: str | None = None, headers: dict | None = None) -> None:
        kind, default, reason, domain = _ERRORS.get(status, ("UNKNOWN", "Unknown error.", "unknown", "global"))
        message = message or default
        if path.startswith("/drive/"):
            if status == 429 and message == default:
                message, reason = "User rate limit exceeded.", "userRateLimitExceeded"
            error: dict = {"code": status, "message": message,
                           "errors": [{"message": message, "domain": domain, "reason": reason}]}
            if status == 404 and message.startswith("File not found"):
                error["errors"][0].update(location="fileId", locationType="parameter")
        else:
            error = {"code": status, "message": message, "status": kind}
        headers = dict(headers or {})
        if status == 401:
            headers.setdefault("WWW-Authenticate", 'Bearer realm="https://accounts.google.com/"')
        self._json(status, {"error": error}, headers)

    def _html_error(self, status: int) -> None:
        self._send(status, _HTML_ERROR.format(code=status).encode("utf-8"), "text/html; charset=UTF-8")

    # -- dispatch ---------------------------------------------------------------------------
    def _dispatch(self, method: str) -> None:
        stub = self.server.stub
        parts = urlsplit(self.path)
        raw_path, path = parts.path, unquote(parts.path)
        query = _query_dict(parts.query)
        body = self._read_body()
        record = StubRequest(method, path, query, body)
        record.raw_path = raw_path
        record.headers = CaseInsensitiveDict(self.headers.items())
        with stub._lock:
            stub.requests.append(record)
        try:
            scripted = stub._next_scripted(method, path)
            if scripted is not None:
                script, entry = scripted
                if entry == "drop":
                    self.close_connection = True
                    return
                if isinstance(entry, tuple) and entry[0] == "delay":
                    if stub._closing.wait(float(entry[1])):
                        self.close_connection = True
                        return
                elif isinstance(entry, tuple) and entry[0] == "html":
                    return self._html_error(int(entry[1]))
                elif entry != "ok":
                    status, headers = (entry, {}) if isinstance(entry, int) else (entry[0], dict(entry[1]))
                    if status == 429 and script.retry_after is not None:
                        headers.setdefault("Retry-After", script.retry_after)
                    if status == 502 and not headers:
                        return self._html_error(502)
                    return self._error(status, path, headers=headers)
            self._answer(stub, method, raw_path, path, query, body)
        except _ApiError as exc:
            self._error(exc.code, path, exc.message)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:  # a stub bug: answer 500 and make the test fail on exit
            stub.errors.append(f"{method} {self.path}\n{traceback.format_exc()}")
            try:
                self._error(500, path, "google_stub internal error (see stub.errors)")
            except OSError:
                self.close_connection = True

    def _answer(self, stub: GoogleStub, method: str, raw_path: str, path: str, query: dict, body: bytes) -> None:
        if path == "/token":
            if method != "POST":
                raise _ApiError(405, "Method Not Allowed")
            return self._token(stub, body)

        auth = self.headers.get("Authorization", "")
        if not auth:
            raise _ApiError(401, "Request is missing required authentication credential. Expected OAuth 2 access "
                                 "token, login cookie or other valid authentication credential. See "
                                 "https://developers.google.com/identity/sign-in/web/devconsole-project.")
        if auth != f"Bearer {stub.token}":
            raise _ApiError(401)

        def body_json() -> dict:
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                raise _ApiError(400, "Invalid JSON payload received.") from None
            if not isinstance(data, dict):
                raise _ApiError(400, "Invalid JSON payload received.")
            return data

        m = _SPREADSHEET.match(raw_path)
        if m:
            key, rest = unquote(m.group(1)), m.group("rest")
            with stub._lock:
                sheet = stub._get_file(key)
                if rest == "" and method == "GET":
                    return self._json(200, stub._metadata(sheet))
                if rest == ":batchUpdate" and method == "POST":
                    return self._json(200, stub._batch_update(sheet, body_json()))
                if rest == "/values:batchGet" and method == "GET":
                    ranges = query.get("ranges", [])
                    ranges = [ranges] if isinstance(ranges, str) else ranges
                    return self._json(200, {"spreadsheetId": key, "valueRanges": [
                        stub._read(sheet, r, query.get("majorDimension")) for r in ranges]})
                if rest == "/values:batchUpdate" and method == "POST":
                    data = body_json()
                    responses = [stub._write(sheet, d.get("range", ""), d.get("values", []),
                                             d.get("majorDimension")) for d in data.get("data", [])]
                    return self._json(200, {"spreadsheetId": key, "totalUpdatedCells": sum(
                        r["updatedCells"] for r in responses), "responses": responses})
                if rest == "/values:batchClear" and method == "POST":
                    cleared = [stub._clear(sheet, r)["clearedRange"] for r in body_json().get("ranges", [])]
                    return self._json(200, {"spreadsheetId": key, "clearedRanges": cleared})
                vm = re.fullmatch(r"/values/([^/:]+)(:clear)?", rest)
                if vm:
                    rng = unquote(vm.group(1))
                    if vm.group(2) and method == "POST":
                        return self._json(200, stub._clear(sheet, rng))
                    if not vm.group(2) and method == "GET":
                        return self._json(200, stub._read(sheet, rng, query.get("majorDimension")))
                    if not vm.group(2) and method == "PUT":
                        option = query.get("valueInputOption")
                        if option not in ("RAW", "USER_ENTERED"):
                            raise _ApiError(400, "'valueInputOption' is required but not specified"
                                            if option is None else f"Invalid valueInputOption: {option}")
                        data = body_json()
                        return self._json(200, stub._write(sheet, rng, data.get("values", []),
                                                           data.get("majorDimension")))
            raise _ApiError(404, f"google_stub: no route for {method} {path}")

        if raw_path == "/drive/v3/files" and method == "GET":
            with stub._lock:
                return self._json(200, stub._drive_list(query))
        m = _DRIVE_FILE.match(raw_path)
        if m and method == "GET":
            key = unquote(m.group(1))
            with stub._lock:
                sheet = stub._get_file(key, drive=True)
                if not m.group(2):
                    return self._json(200, stub._drive_file(sheet, query.get("fields")))
                data, mime = sheet.xlsx, query.get("mimeType")
            if mime is None:
                raise _ApiError(400, "Required parameter: mimeType")
            if mime != XLSX_MIME:
                raise _ApiError(400, f"google_stub exports only {XLSX_MIME}, not {mime}")
            return self._send(200, data, XLSX_MIME)
        raise _ApiError(404, f"google_stub: no route for {method} {path}")

    def _token(self, stub: GoogleStub, body: bytes) -> None:
        form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))

        def fail(error: str, description: str) -> None:
            self._json(400, {"error": error, "error_description": description})

        if stub.fail_token:
            return fail("invalid_grant", "Invalid JWT Signature.")
        if form.get("grant_type") != JWT_GRANT:
            return fail("unsupported_grant_type", f"Invalid grant_type: {form.get('grant_type', '')}")
        claims = _check_jwt(form.get("assertion", ""), stub.verify_jwt)
        if claims is None:
            return fail("invalid_grant", "Invalid JWT Signature.")
        with stub._lock:
            stub.token_claims.append(claims)
        self._json(200, {"access_token": stub.token, "expires_in": stub.token_expires_in, "token_type": "Bearer"})


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _check_jwt(assertion: str, verify: bool) -> dict | None:
    try:
        header_b64, payload_b64, sig_b64 = assertion.split(".")
        header, claims = json.loads(_b64(header_b64)), json.loads(_b64(payload_b64))
        if verify:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding

            if header.get("alg") != "RS256":
                return None
            _public_key().verify(_b64(sig_b64), f"{header_b64}.{payload_b64}".encode("ascii"),
                                 padding.PKCS1v15(), hashes.SHA256())
        return claims if isinstance(claims, dict) else None
    except Exception:
        return None
