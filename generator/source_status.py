"""What the site says about each source: when its published data was taken,
and whether a newer copy was refused because it had errors ("Bảng X có lỗi
từ dd/mm/yyyy hh:mm, đang hiển thị dữ liệu ngày …").

Read from the snapshots' metadata (``sheets/<id>.meta.json``) that
``cchc sync`` writes; a content folder without sources has no states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sheets_sync.snapshot import read_meta
from sheets_sync.sources import Source

from .config import SiteConfig
from .findings import Finding, Severity
from .text import VN



def _when(value) -> dt.datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(VN) if moment.tzinfo else moment


def _finding(data: dict) -> Finding | None:
    try:
        return Finding(code=data["code"], severity=Severity(data["severity"]), file=data.get("file", ""),
                       sheet=data.get("sheet", ""), cell=data.get("cell", ""), row=data.get("row"),
                       message=data["message"], hint=data.get("hint", ""))
    except (KeyError, ValueError, TypeError):
        return None


@dataclass(slots=True)
class SourceState:
    source: Source
    file: str  # the published workbook, as pages name it ("sheets/<id>.xlsx"), "" if none
    published_at: dt.datetime | None = None  # when the published copy was taken
    modified_at: dt.datetime | None = None  # when the sheet itself was last changed
    rejected_at: dt.datetime | None = None  # when a newer copy with errors was refused
    rejected_findings: list[Finding] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"nguon-{self.source.id}"

    @property
    def notice(self) -> str:
        """The sentence shown on every page, or "" when all is well."""
        label = self.source.label
        if self.rejected_at is not None:
            since = self.rejected_at.strftime("%d/%m/%Y %H:%M")
            if self.file and self.published_at is not None:
                return (f"Bảng {label} có lỗi từ {since}, đang hiển thị dữ liệu ngày "
                        f"{self.published_at.strftime('%d/%m/%Y %H:%M')}.")
            return f"Bảng {label} có lỗi từ {since}, chưa có dữ liệu nào được công bố."
        if not self.file:
            return f"Bảng {label} chưa được đồng bộ lần nào nên chưa có dữ liệu."
        return ""


def source_states(config: SiteConfig) -> list[SourceState]:
    states = []
    for source in config.sources:
        meta = read_meta(config.meta_path(source))
        workbook = config.workbook_of(source)
        file = ""
        if workbook is not None:
            try:
                file = workbook.resolve().relative_to(config.root.resolve()).as_posix()
            except ValueError:
                file = workbook.name
        state = SourceState(source, file, published_at=_when(meta.get("fetched_at")),
                            modified_at=_when(meta.get("modified_time")))
        rejected = meta.get("rejected")
        if isinstance(rejected, dict):
            state.rejected_at = (_when(rejected.get("since")) or _when(rejected.get("fetched_at"))
                                 or dt.datetime.fromtimestamp(0, VN))
            state.rejected_findings = [f for f in map(_finding, rejected.get("findings") or []) if f is not None]
        states.append(state)
    return states
