"""Incremental MkDocs builds: after one edited cell only the pages whose
markdown changed are rendered again.

MkDocs' own ``dirty`` build renders a page only when its markdown is newer
than its HTML. That is right for our pages when, and only when, everything
shared by all pages is unchanged: the navigation, the set of files, the theme
and its overrides, mkdocs.yml, the site's name and address, and the
versions of the tools. (The build date is not among them: it changes the
statuses, hence the markdown, of the pages it concerns, and the sitemap, which
is written again by every build.) Those go into a fingerprint kept next to the last
output (build/cache/site/); when it differs the build is a full, clean one.

Two more things make a dirty build exact:

* the HTML of every changed markdown file (and the copy of every changed data
  file) is deleted first, so a change is never missed because two writes fell
  in the same tick of a coarse file-system clock;
* Material's search plugin only indexes the pages it rendered: the entries of
  the other pages are taken from the previous search index and the whole index
  is put back in page order, as a full build writes it.

The state file is removed before MkDocs starts and written when it succeeded:
a build that fails or is killed half-way leaves a full build for next time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path, PurePosixPath

from mkdocs.plugins import BasePlugin, event_priority

log = logging.getLogger(__name__)

STATE = "trang-thai.json"


def html_dest(rel: str) -> str:
    """Where MkDocs (use_directory_urls) writes the output of a docs file."""
    path = PurePosixPath(rel)
    if path.suffix != ".md":
        return rel
    if path.stem in ("index", "README"):
        return str(path.with_name("index.html"))
    return str(path.with_suffix("") / "index.html")


def _tree_digest(digest, folder: Path) -> None:
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())


def fingerprint(*, navigation, files: list[str], mkdocs_yml: Path, overrides: Path, settings: dict) -> str:
    """What every page of the site depends on (see the module's docstring)."""
    from importlib.metadata import version

    from .read_cache import code_version

    digest = hashlib.sha256()
    payload = {
        "nav": navigation, "files": sorted(files), "settings": settings,
        "versions": {name: version(name) for name in ("mkdocs", "mkdocs-material")},
        "code": code_version(),
    }
    digest.update(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
    digest.update(mkdocs_yml.read_bytes() if mkdocs_yml.is_file() else b"")
    _tree_digest(digest, overrides)
    return digest.hexdigest()


def read_state(site: Path) -> str | None:
    try:
        return json.loads((site / STATE).read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None


def write_state(site: Path, value: str) -> None:
    (site / STATE).write_text(json.dumps({"fingerprint": value}), encoding="utf-8")


def forget_state(site: Path) -> None:
    try:
        (site / STATE).unlink()
    except FileNotFoundError:
        pass


def drop_outputs(site: Path, changed: set[str]) -> None:
    """Delete the output of each changed docs file: MkDocs renders it again."""
    for rel in changed:
        try:
            (site / html_dest(rel)).unlink()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass


class KeepSearchIndex(BasePlugin):
    """In a dirty build, the search entries of the pages not rendered again
    come from the previous index."""

    def __init__(self, previous: list[dict]):
        super().__init__()
        self.previous = previous
        self.rendered: set[str] = set()
        self.order: dict[str, int] = {}

    def on_files(self, files, *, config):
        # a page's entries are located at its URL; the home page's is "" where File.url says "./"
        self.order = {("" if f.url == "./" else f.url): i for i, f in enumerate(files.documentation_pages())}
        return files

    def on_page_context(self, context, *, page, config, nav):
        self.rendered.add("" if page.url == "./" else page.url)
        return context

    @event_priority(50)  # before the search plugin writes its index
    def on_post_build(self, *, config):
        search = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "search"), None)
        index = getattr(search, "search_index", None)
        if index is None:
            return
        kept = [e for e in self.previous if e.get("location", "").split("#")[0] not in self.rendered
                and e.get("location", "").split("#")[0] in self.order]
        entries = kept + list(index.entries)
        last = len(self.order)
        entries.sort(key=lambda e: self.order.get(e.get("location", "").split("#")[0], last))
        index.entries = entries
        log.debug("Chỉ mục tìm kiếm: %d mục giữ lại, %d mục mới", len(kept), len(entries) - len(kept))


class CompactSearchIndex(BasePlugin):
    """Material writes its search index with every Vietnamese letter escaped
    (\\u1ea1: six bytes for three): written again as UTF-8 it is a third
    smaller, and a phone downloads it with the first page it opens."""

    @event_priority(-100)  # after the search plugin has written it
    def on_post_build(self, *, config):
        path = Path(config.site_dir) / "search" / "search_index.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def previous_entries(site: Path) -> list[dict]:
    try:
        data = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        return [e for e in data.get("docs", []) if isinstance(e, dict)]
    except (OSError, ValueError, AttributeError):
        return []


class _DirtyWarning(logging.Filter):
    """MkDocs warns that a dirty build may be inaccurate: ours is made exact."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage() and "contains stale files" not in record.getMessage()


DIRTY_WARNING = _DirtyWarning()
