"""Reading many workbooks fast: each reading is cached by what it depends on,
and the workbooks not in the cache are read on every core.

A reading (the WorkbookResult and its findings) depends on the bytes of the
file, the name shown for it, the units registry and the code of the reader. The
cache key is the SHA-256 of all four, so an edited cell, a renamed unit or a
new version of the tool each read the file again; nothing else does. Entries
are pickles written atomically into a folder the tool owns (build/cache/…),
never into the content folder; an entry that cannot be loaded is read again.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from .parallel import jobs_wanted

log = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent

#: Files smaller than this are not worth a worker process on their own.
_PARALLEL_MIN_BYTES = 64 * 1024


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the reader's code: a new version of the tool invalidates the cache."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for extra in ("python_calamine",):
        try:
            from importlib.metadata import version

            digest.update(f"{extra}={version(extra.replace('_', '-'))}".encode())
        except Exception:  # noqa: BLE001 - metadata missing: the code hash still counts
            pass
    return digest.hexdigest()


def cache_key(data: bytes, display: str, registry_fingerprint: str) -> str:
    digest = hashlib.sha256()
    for part in (code_version().encode(), registry_fingerprint.encode(), display.encode("utf-8"), data):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


# --- worker side ----------------------------------------------------------------------

_worker_registry = None


def _init_worker(registry) -> None:
    global _worker_registry
    _worker_registry = registry


def _read_batch_in_worker(items: list[tuple[str, str]], lean: bool = False) -> list[bytes | None]:
    """Several small workbooks in one task: fewer round trips between processes."""
    return [_read_in_worker(path, display, lean) for path, display in items]


def _read_in_worker(path: str, display: str, lean: bool = False) -> bytes | None:
    from .commands import check_workbook

    try:
        return pickle.dumps(check_workbook(Path(path), _worker_registry, display, lean),
                            protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - read again in the main process, where errors are reported
        return None


# --- main side ------------------------------------------------------------------------


def _load(entry: Path):
    try:
        with entry.open("rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - a damaged entry is read again
        log.debug("Bỏ mục bộ nhớ đệm hỏng %s", entry, exc_info=True)
        return None


def store(folder: Path, name: str, blob: bytes) -> None:
    """Write a cache entry whole or not at all (a temporary file renamed); a
    cache that cannot be written only makes the next build slower."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
        os.replace(tmp, folder / name)
    except OSError:
        log.debug("Không ghi được bộ nhớ đệm %s", folder, exc_info=True)


def check_workbooks(files: Sequence[tuple[Path, str]], registry, *, cache: Path | None = None,
                    jobs: int | None = None, progress: Callable[[int, int, str], None] | None = None,
                    lean: bool = False) -> list[tuple[object, list]]:
    """``check_workbook`` on every (path, display name), in order: from the
    cache where possible, the others in ``jobs`` processes (default: one per core).
    ``lean`` readings (findings only) are never cached."""
    if lean:
        cache = None
    from .commands import check_workbook

    total = len(files)
    out: list = [None] * total
    keys: list[str | None] = [None] * total
    blobs: dict[int, bytes] = {}
    misses: list[int] = []
    fingerprint = getattr(registry, "fingerprint", None)
    done = 0
    for i, (path, display) in enumerate(files):
        if cache is not None and fingerprint:
            try:
                keys[i] = cache_key(path.read_bytes(), display, fingerprint)
            except OSError:
                keys[i] = None
            if keys[i] is not None:
                hit = _load(cache / f"{keys[i]}.pickle")
                if hit is not None:
                    try:
                        os.utime(cache / f"{keys[i]}.pickle")  # recently used: kept by prune()
                    except OSError:
                        pass
                    result, findings = hit
                    result.path = path
                    out[i] = (result, findings)
                    done += 1
                    if progress:
                        progress(done, total, display)
                    continue
        misses.append(i)
    if misses:
        log.info("Đọc %d/%d bảng tính (%d lấy từ bộ nhớ đệm)", len(misses), total, total - len(misses))
    workers = min(jobs or jobs_wanted(), len(misses))
    size = 0
    for i in misses:
        try:
            size += files[i][0].stat().st_size
        except OSError:
            pass
    if workers > 1 and size >= _PARALLEL_MIN_BYTES and hasattr(os, "fork"):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                 initializer=_init_worker, initargs=(registry,)) as pool:
            # batches of a few files (about four per worker and round): fewer round trips, still balanced
            step = max(1, min(16, len(misses) // (workers * 4)))
            batches = [misses[k:k + step] for k in range(0, len(misses), step)]
            futures = {pool.submit(_read_batch_in_worker, [(str(files[i][0]), files[i][1]) for i in batch], lean):
                       batch for batch in batches}
            for future in as_completed(futures):
                batch = futures[future]
                try:
                    results = future.result()
                except Exception:  # noqa: BLE001 - a worker that died: read here instead
                    results = [None] * len(batch)
                for i, blob in zip(batch, results):
                    if blob is None:
                        continue
                    blobs[i] = blob
                    out[i] = pickle.loads(blob)
                    out[i][0].path = files[i][0]
                    done += 1
                    if progress:
                        progress(done, total, files[i][1])
    for i in misses:
        if out[i] is None:
            path, display = files[i]
            if progress:
                progress(done, total, display)
            out[i] = check_workbook(path, registry, display, lean)
            done += 1
            if keys[i] is not None:
                blobs[i] = pickle.dumps(out[i], protocol=pickle.HIGHEST_PROTOCOL)
    if cache is not None:
        for i, blob in blobs.items():
            if keys[i] is not None:
                store(cache, f"{keys[i]}.pickle", blob)
    return out


def prune(cache: Path, keep: int = 2000) -> None:
    """Keep the cache folder bounded: drop the oldest entries beyond ``keep``."""
    try:
        entries = sorted(cache.glob("*.pickle"), key=lambda p: p.stat().st_mtime)
    except OSError:
        return
    for entry in entries[:-keep] if len(entries) > keep else []:
        try:
            entry.unlink()
        except OSError:
            pass
