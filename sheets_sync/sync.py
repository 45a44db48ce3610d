"""`cchc sync`: fetch every source into a validated snapshot, keeping the last
good one when a new copy has errors.

For each source (site.yml ``sources:``), in order, independently of the others:

1. fetch: a Google sheet's modification time first (unchanged since the
   last snapshot: skip), then its .xlsx export; a local file's bytes;
2. check it with the same reader and checks as ``cchc validate``, and that it
   holds the declared kind of table;
3. no errors: it becomes the snapshot (``sheets/<id>.xlsx``, atomically), its
   metadata is written (``sheets/<id>.meta.json``) and its differences with the
   previous snapshot are appended to ``history/<id>.jsonl``;
   errors: the previous snapshot stays published, the new copy is kept in
   ``rejected/<id>.xlsx`` and its findings in the metadata, for the site's
   notice "Bảng X có lỗi từ …, đang hiển thị dữ liệu ngày …".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import DEFAULT_CONTENT, ConfigError, SiteConfig, load_site_config
from generator.findings import Finding, Severity, make
from generator.text import VN

from .google import CredentialsError, GoogleSheets, SyncError, load_credentials_info
from .snapshot import atomic_write, read_meta, sha256, write_meta
from .sources import KINDS, Source

log = logging.getLogger(__name__)


#: status -> what the summary table says
STATUS_LABELS = {"new": "mới", "unchanged": "không đổi", "kept": "giữ bản cũ", "error": "lỗi"}


class SyncUsageError(Exception):
    """Nothing can be synced at all (exit code 2): bad site.yml, unknown --source, no credentials."""


@dataclass(slots=True)
class SourceResult:
    source: Source
    status: str  # new | unchanged | kept | error
    message: str = ""
    rows: int | None = None
    findings: list[Finding] = field(default_factory=list)
    counts: tuple[int, int] | None = None  # (errors, warnings) of a skipped source, from its metadata

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict:
        return {
            "id": self.source.id, "kind": self.source.kind, "source": self.source.url, "status": self.status,
            "status_label": self.label, "message": self.message, "rows": self.rows,
            "errors": self.counts[0] if self.counts else sum(1 for f in self.findings
                                                             if f.severity is Severity.ERROR),
            "warnings": self.counts[1] if self.counts else sum(1 for f in self.findings
                                                               if f.severity is Severity.WARNING),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(slots=True)
class SyncRun:
    results: list[SourceResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """1 when a source has nothing publishable (fetch failed, or first copy
        with errors); a source kept at its last good snapshot does not fail."""
        return 1 if any(r.status == "error" for r in self.results) else 0

    def to_dict(self) -> dict:
        return {"sources": [r.to_dict() for r in self.results], "exit_code": self.exit_code}


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(VN).isoformat(timespec="seconds")


def _select(config: SiteConfig, ids: list[str] | None) -> list[Source]:
    if not config.sources:
        raise SyncUsageError(f"{config.root / 'site.yml'} chưa khai báo nguồn nào (khóa “sources”): không có gì để "
                             f"đồng bộ.")
    if not ids:
        return list(config.sources)
    known = {s.id: s for s in config.sources}
    unknown = [i for i in ids if i not in known]
    if unknown:
        import difflib

        close = difflib.get_close_matches(unknown[0], list(known), n=1)
        hint = f" Có phải là “{close[0]}”?" if close else f" Các nguồn: {', '.join(known)}."
        raise SyncUsageError(f"Không có nguồn “{unknown[0]}” trong site.yml.{hint}")
    return [known[i] for i in ids]


def _row_counts(result) -> dict[str, int]:
    counts = {p.sheet: len(p.tasks) for p in result.plans}
    counts.update({c.sheet: len(c.all_items()) for c in result.scores})
    counts.update({t.sheet: len(t.rows) for t in result.tthc})
    for plan in getattr(result, "inspections", []):
        if plan.inspection_sheet:
            counts[plan.inspection_sheet] = len(plan.inspections)
        if plan.remediation_sheet:
            counts[plan.remediation_sheet] = len(plan.remediations)
    return counts


def _check(data: bytes, source: Source, config: SiteConfig, registry):
    """Read and check fetched bytes as they would be published."""
    from generator.commands import check_workbook

    display = f"{config.sheets}/{source.snapshot_name}"
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", prefix=f"cchc-{source.id}-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        result, findings = check_workbook(Path(tmp), registry, display)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    # a remediation sheet belongs to the inspection workbook ("inspection" sources)
    kinds = {"inspection" if kind == "remediation" else kind for kind in result.kinds.values()}
    if result.readable and kinds and source.kind not in kinds:
        from generator.reader import KIND_LABELS

        findings.append(make("source-kind-mismatch", file=display, source=source.id,
                             declared=KINDS[source.kind],
                             found=", ".join(KIND_LABELS[k] for k in sorted(set(result.kinds.values())))))
    return result, findings


def _kept_result(source: Source, meta: dict, message: str, published: bool = True) -> SourceResult:
    """A source skipped because nothing changed: its counts come from the metadata."""
    rejected = meta.get("rejected")
    status = ("kept" if published else "error") if rejected else "unchanged"
    counts = (rejected or meta).get("summary") or {}
    result = SourceResult(source, status, message, rows=sum((meta.get("rows") or {}).values()) or None)
    result.counts = (int(counts.get("errors", 0)), int(counts.get("warnings", 0)))
    return result


def _clear_rejected(config: SiteConfig, source: Source, meta: dict) -> None:
    meta.pop("rejected", None)
    with contextlib.suppress(FileNotFoundError):
        (config.rejected_path / source.snapshot_name).unlink()


MAX_REJECTED_BYTES = 5 * 1024 * 1024  # a refused copy larger than this is not kept (it would be committed)


def sync_source(source: Source, config: SiteConfig, registry, *, google: GoogleSheets | None,
                now: dt.datetime, write_findings: bool = False) -> SourceResult:
    snapshot, meta_path = config.snapshot_path(source), config.meta_path(source)
    meta = read_meta(meta_path)
    rejected = meta.get("rejected") or {}
    if google is not None and source.is_google:
        google.start_budget()
        drive = google.metadata(source.spreadsheet_id)
        modified = drive.get("modifiedTime", "")
        previous = rejected.get("modified_time") or meta.get("modified_time")
        if modified and modified == previous and (snapshot.exists() or rejected):
            return _kept_result(source, meta, "Bảng không đổi từ lần đồng bộ trước.", snapshot.exists())
        data = google.export_xlsx(source.spreadsheet_id)
        title = drive.get("name", "")
    else:
        local = config.root / source.path
        try:
            data = local.read_bytes()
            mtime = local.stat().st_mtime
        except OSError as exc:
            raise SyncError(f"Không đọc được tệp {source.path}: {exc.strerror or exc}.") from None
        modified = _iso(dt.datetime.fromtimestamp(mtime, tz=dt.timezone.utc))
        title = ""
        digest = sha256(data)
        if snapshot.exists() and digest == meta.get("sha256"):
            if rejected:  # put back to the version that stands: the notice goes
                _clear_rejected(config, source, meta)
                write_meta(meta_path, meta)
                return SourceResult(source, "unchanged", "Tệp đã trở lại bản đang công bố: bỏ thông báo lỗi.",
                                    rows=sum((meta.get("rows") or {}).values()) or None)
            return _kept_result(source, meta, "Tệp không đổi từ lần đồng bộ trước.")
        if digest == rejected.get("sha256"):
            return _kept_result(source, meta, "Tệp không đổi từ lần đồng bộ trước.", snapshot.exists())

    result, findings = _check(data, source, config, registry)
    rows = _row_counts(result)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    fetched = _iso(now)
    if google is not None and source.is_google and write_findings:
        if _write_back(google, source, findings, fetched, meta):
            # writing changed the sheet: remember its new time so the next run does not fetch it again
            modified = google.metadata(source.spreadsheet_id).get("modifiedTime", modified)
    if errors:
        if len(data) <= MAX_REJECTED_BYTES:
            atomic_write(config.rejected_path / source.snapshot_name, data)
        meta.update({"id": source.id, "kind": source.kind, "source": source.url})
        meta["rejected"] = {
            "since": rejected.get("since") or fetched,  # when the errors began, not the latest bad copy
            "fetched_at": fetched, "modified_time": modified, "sha256": sha256(data), "rows": rows,
            "file": f"rejected/{source.snapshot_name}" if len(data) <= MAX_REJECTED_BYTES else "",
            "findings": [f.to_dict() for f in findings if f.severity is not Severity.INFO],
            "summary": {"errors": len(errors),
                        "warnings": sum(1 for f in findings if f.severity is Severity.WARNING)},
        }
        write_meta(meta_path, meta)
        has_good = snapshot.exists() and bool(meta.get("sha256"))
        status = "kept" if has_good else "error"
        message = (f"Bản mới có {len(errors)} lỗi: vẫn công bố bản ngày {_short(meta.get('fetched_at'))}."
                   if has_good else f"Bản mới có {len(errors)} lỗi và chưa có bản nào đúng để công bố.")
        return SourceResult(source, status, message, rows=sum(rows.values()), findings=findings)

    # The change log first: a run killed after it is repeated next time (and the repeat is
    # recognised), while one killed before it would lose the entry for good.
    if snapshot.exists() and meta.get("sha256"):
        if sha256(snapshot.read_bytes()) == meta["sha256"]:
            from generator.reader import read_workbook

            old_result = read_workbook(snapshot, registry, f"{config.sheets}/{source.snapshot_name}")
            _record_history(config, source, old_result, result, fetched)
        else:
            log.warning("%s: bản công bố không khớp siêu dữ liệu (lần trước bị ngắt?): không so sánh thay đổi "
                        "lần này.", source.id)
    atomic_write(snapshot, data)
    new_meta = {
        "id": source.id, "kind": source.kind, "source": source.url, "title": title or source.title,
        "modified_time": modified, "fetched_at": fetched, "sha256": sha256(data), "rows": rows,
        "summary": {"errors": 0, "warnings": sum(1 for f in findings if f.severity is Severity.WARNING)},
    }
    if meta.get("findings_written"):
        new_meta["findings_written"] = meta["findings_written"]
    write_meta(meta_path, new_meta)
    _clear_rejected(config, source, {})
    return SourceResult(source, "new", "Đã cập nhật bản mới.", rows=sum(rows.values()), findings=findings)


def _short(iso) -> str:
    try:
        return dt.datetime.fromisoformat(str(iso)).astimezone(VN).strftime("%d/%m/%Y %H:%M")
    except ValueError:
        return "?"


def _record_history(config: SiteConfig, source: Source, old, new, date: str) -> None:
    try:
        from generator.history import append_history, diff_results
    except ImportError:  # pragma: no cover - the history module ships with the package
        return
    changes = diff_results([old], [new], source=source.id, date=date)
    if changes and not _already_logged(config, source, changes):
        append_history(config.history_path, source.id, changes)
        log.info("%s: %d thay đổi được ghi vào %s", source.id, len(changes), config.history_path)


def _already_logged(config: SiteConfig, source: Source, changes) -> bool:
    """The same differences are the last ones logged: a run killed after
    logging them and before publishing the snapshot is being repeated."""
    path = config.history_path / f"{source.id}.jsonl"
    try:
        tail = path.read_text(encoding="utf-8").splitlines()[-len(changes):]
    except (OSError, UnicodeDecodeError):
        return False
    def key(data: dict) -> tuple:
        return tuple(data.get(k) for k in ("kind", "key", "field", "old", "new", "sheet"))
    try:
        logged = [key(json.loads(line)) for line in tail]
    except ValueError:
        return False
    return logged == [key(c.to_dict()) for c in changes]


def _write_back(google: GoogleSheets, source: Source, findings: list[Finding], fetched: str, meta: dict) -> bool:
    """Findings into the sheet's “Kết quả kiểm tra” tab; True if the sheet was written
    (not when it already shows the same findings)."""
    shown = [f for f in findings if f.severity is not Severity.INFO]
    rows = [[f.cell, f.severity.label, f.sheet, f.message, f.hint, f.code] for f in shown]
    digest = sha256(json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    if meta.get("findings_written") == digest:
        return False
    header = [["Ô", "Mức", "Trang tính", "Nội dung", "Cách sửa", f"Kiểm tra lúc {_short(fetched)}"]]
    if not rows:
        rows = [["", "", "", "Không có lỗi hay cảnh báo nào.", "", ""]]
    try:
        google.write_findings(source.spreadsheet_id, header + rows)
    except SyncError as exc:
        log.warning("%s: không ghi được kết quả kiểm tra vào Google Sheet: %s", source.id, exc)
        return False
    meta["findings_written"] = digest
    return True


def sync(content: Path | None = None, source_ids: list[str] | None = None, *, session=None,
         env: Mapping[str, str] | None = None, now: dt.datetime | None = None, write_findings: bool = False,
         google_options: dict | None = None,
         progress: Callable[[int, int, str], None] | None = None) -> SyncRun:
    """Sync the selected sources (default: all) of a content folder."""
    from generator.commands import UsageError, load_units

    content = content or DEFAULT_CONTENT
    try:
        config = load_site_config(content)
    except ConfigError as exc:
        raise SyncUsageError(str(exc)) from None
    sources = _select(config, source_ids)
    try:
        registry = load_units(content)
    except UsageError as exc:
        raise SyncUsageError(str(exc)) from None
    google = None
    if any(s.is_google for s in sources):
        try:
            google = GoogleSheets(load_credentials_info(env), session=session, **(google_options or {}))
        except CredentialsError as exc:
            raise SyncUsageError(str(exc)) from None
    with _lock(config):
        return _sync_all(sources, config, registry, google, now=now, write_findings=write_findings,
                         progress=progress)


@contextlib.contextmanager
def _lock(config: SiteConfig):
    """One sync at a time per content folder (a scheduled run and a dispatched one)."""
    import fcntl

    config.root.mkdir(parents=True, exist_ok=True)
    with open(config.root / ".cchc-sync.lock", "w", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SyncUsageError(f"Một lần đồng bộ khác đang chạy trên {config.root}: chờ nó xong rồi thử lại.") \
                from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sync_all(sources, config, registry, google, *, now, write_findings, progress) -> SyncRun:
    run = SyncRun()
    for index, source in enumerate(sources):
        if progress:
            progress(index, len(sources), source.id)
        moment = now or dt.datetime.now(dt.timezone.utc)
        try:
            result = sync_source(source, config, registry, google=google, now=moment,
                                 write_findings=write_findings)
        except CredentialsError as exc:
            raise SyncUsageError(str(exc)) from None
        except SyncError as exc:
            result = SourceResult(source, "error", str(exc))
        except Exception as exc:  # one source's surprise never stops the others
            log.exception("%s: lỗi không mong đợi", source.id)
            result = SourceResult(source, "error", f"Lỗi không mong đợi ({exc.__class__.__name__}): {exc}")
        log.info("%s: %s", source.id, result.message)
        run.results.append(result)
    return run
