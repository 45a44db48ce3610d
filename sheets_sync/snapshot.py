"""Snapshots of a source on disk: ``sheets/<id>.xlsx`` and ``sheets/<id>.meta.json``.

Every write is atomic (a temporary file in the same folder, flushed, then
renamed over the old one): a sync killed half-way leaves the previous
snapshot whole, and a reader sees either the old file or the new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def read_meta(path: Path) -> dict:
    """The metadata of a snapshot ({} if there is none or it is unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("Bỏ qua %s: không đọc được (%s)", path, exc)
        return {}
    if not isinstance(data, dict):
        log.warning("Bỏ qua %s: không phải siêu dữ liệu của bản chụp", path)
        return {}
    return _clean(data)


def _clean(meta: dict) -> dict:
    """Drop fields of the wrong type (a hand-edited or damaged file) rather than fail on them."""
    for key in ("sha256", "fetched_at", "modified_time", "source", "title", "findings_written"):
        if key in meta and not isinstance(meta[key], str):
            meta.pop(key)
    rows = meta.get("rows")
    if not isinstance(rows, dict) or not all(isinstance(v, int) for v in rows.values()):
        meta["rows"] = {}
    summary = meta.get("summary")
    if not isinstance(summary, dict):
        meta.pop("summary", None)
    rejected = meta.get("rejected")
    if rejected is not None:
        if not isinstance(rejected, dict):
            meta.pop("rejected")
        else:
            if not isinstance(rejected.get("findings"), list):
                rejected["findings"] = []
            for key in ("sha256", "fetched_at", "modified_time", "since"):
                if key in rejected and not isinstance(rejected[key], str):
                    rejected.pop(key)
            if not isinstance(rejected.get("summary"), dict):
                rejected["summary"] = {}
    return meta


def write_meta(path: Path, meta: dict) -> None:
    atomic_write(path, (json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
