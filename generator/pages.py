"""Rendering the site's markdown pages from the SiteModel with the Jinja2
templates in site_templates/pages/.

Spreadsheet text is untrusted: the environment autoescapes every value as
HTML, user text is placed inside raw HTML blocks (which Markdown leaves
alone) and, where it must be Markdown (headings), the ``md`` filter also
escapes Markdown's own syntax. ``{{ }}`` typed in a cell is data, never a
template, because values are never rendered twice.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import site as s
from .findings import REGISTRY
from .status import ORDER, Status
from .text import fold, format_count, format_number, format_percent

TEMPLATES = Path(__file__).resolve().parent.parent / "site_templates"

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>])")


def md(value) -> Markup:
    """Escape text for a Markdown context (headings): HTML first, then Markdown."""
    text = html.escape(str(value), quote=False)
    return Markup(_MD_SPECIAL.sub(r"\\\1", text).replace("\n", " "))


def lines(value) -> Markup:
    """Escaped text with line breaks kept."""
    return Markup("<br>".join(html.escape(part) for part in str(value).split("\n")))


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "pages")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    from .index_views import points

    env.filters.update(md=md, lines=lines, fold=fold, date=s.show_date, num=format_number, pts=points,
                       count=format_count, pct=format_percent)
    env.globals.update(ORDER=ORDER, Status=Status, KIND_LABELS=s.KIND_LABELS, REGISTRY=REGISTRY, urls=s)
    return env


def front_matter(title: str, **extra) -> str:
    """YAML front matter; the title is HTML-escaped because MkDocs' theme
    templates print page titles without escaping."""
    data = {"title": html.escape(title), **extra}
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\n"


@dataclass(slots=True)
class Page:
    url: str  # site-relative URL ("ke-hoach/x/")
    path: str  # markdown file inside docs ("ke-hoach/x.md")
    title: str
    text: str


def url_to_path(url: str) -> str:
    if url == "":
        return "index.md"
    if url.endswith("/"):
        base = url.rstrip("/")
        if base.count("/") == 0 and base in {"ke-hoach", "don-vi", "lich", "du-lieu", "kiem-tra"}:
            return f"{base}/index.md"
        return f"{base}.md"
    raise ValueError(url)


def page_specs(model: s.SiteModel, data_files=()) -> list[tuple]:
    """(template, url, title, hide, context) of every page, in site order."""
    specs: list[tuple] = [
        ("home.md.j2", s.HOME, "Trang chủ", ["navigation"], {}),
        ("plans.md.j2", s.PLANS, "Kế hoạch", None, {}),
        ("units.md.j2", s.UNITS, "Đơn vị", None, {}),
        ("calendar.md.j2", s.CALENDAR, "Lịch", None, {}),
        ("data.md.j2", s.DATA, "Dữ liệu mở", None, {"files": list(data_files)}),
        ("checks.md.j2", s.CHECKS, "Kiểm tra dữ liệu", None, {}),
    ]
    if model.scores is not None:
        specs.append(("scores.md.j2", s.SCORES, "Chỉ số CCHC", None, {}))
    if model.tthc is not None:
        specs.append(("tthc.md.j2", s.TTHC, "Tiến độ giải quyết TTHC", None, {}))
    if model.inspections is not None:
        specs.append(("inspections.md.j2", model.inspections.url, "Kiểm tra cải cách hành chính", None,
                      {"iv": model.inspections}))
    if model.sources or model.changes:
        specs.append(("changes.md.j2", s.CHANGES, "Thay đổi", None, {"changes": model.changes}))
    from . import guides

    specs += [
        ("guide-clerk.md.j2", guides.CLERK, "Hướng dẫn cán bộ nhập liệu", None, guides.clerk_context()),
        ("guide-it.md.j2", guides.IT, "Hướng dẫn quản trị (CNTT)", None, {}),
        ("guide-office.md.j2", guides.OFFICE, "Hướng dẫn Văn phòng, Nội vụ", None, {}),
    ]
    for plan in model.plans:
        specs.append(("plan.md.j2", plan.url, plan.plan.title or plan.plan.sheet, None, {"plan": plan}))
    for unit in model.units:
        specs.append(("unit.md.j2", unit.url, unit.name, None, {"unit": unit}))
    return specs


def render_pages(model: s.SiteModel, env: jinja2.Environment | None = None, data_files=(),
                 part: tuple[int, int] = (0, 1)) -> list[Page]:
    """The site's pages; ``part=(i, n)`` renders only every n-th page from
    the i-th (one share of the work for one core)."""
    env = env or environment()

    def render(template: str, url: str, title: str, hide: list[str] | None = None, **ctx) -> Page:
        def rel(target: str) -> str:
            return s.relative(target, url)

        body = env.get_template(template).render(site=model, page_url=url, rel=rel, title=title, **ctx)
        if url in model.pdfs:  # the printable copy, right under the page's title
            link = (f'<p class="cchc-pdf"><a href="{html.escape(rel(model.pdfs[url]))}" download>Tải bản PDF</a> '
                    f'<small>(bản in theo thể thức Nghị định 30/2020/NĐ-CP)</small></p>\n\n')
            head, sep, rest = body.partition("\n\n")
            body = head + sep + link + rest if head.startswith("# ") else link + body
        extra = {"hide": hide} if hide else {}
        return Page(url, url_to_path(url), title, front_matter(title, **extra) + body)

    first, step = part
    return [render(template, url, title, hide, **ctx)
            for template, url, title, hide, ctx in page_specs(model, data_files)[first::step]]


EXTRA = "trang/"  # pages written by hand in the content folder's pages/: trang/<name>/


def extra_pages(folder: Path) -> list[Page]:
    """The content folder's own markdown pages (pages/*.md: "Hiệu năng", an
    introduction…), written by the site's administrators, in name order. The
    title is the front matter's ``title`` or the first ``# `` heading."""
    import unicodedata

    from slugify import slugify

    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.md")):
        try:
            text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        title = ""
        body = text
        if text.startswith("---\n") and "\n---" in text[4:]:
            head, _, body = text[4:].partition("\n---")
            body = body.lstrip("-").lstrip("\n")
            try:
                title = str((yaml.safe_load(head) or {}).get("title", "") or "")
            except yaml.YAMLError:
                title = ""
        if not title:
            heading = next((line[2:].strip() for line in body.splitlines() if line.startswith("# ")), "")
            title = heading or path.stem
        slug = slugify(path.stem) or "trang"
        out.append(Page(f"{EXTRA}{slug}/", f"{EXTRA}{slug}.md", title, front_matter(title) + body))
    return out


def nav(pages: list[Page], model: s.SiteModel) -> list:
    """The navigation in the order citizens look for things."""
    by_url = {p.url: p.path for p in pages}
    plans = [{html.escape(p.plan.title or p.plan.sheet): by_url[p.url]} for p in model.plans]
    units = [{html.escape(u.name): by_url[u.url]} for u in model.units if u.tasks]
    indicators = [{"Chỉ số CCHC": by_url[u]} if u == s.SCORES else {"Tiến độ TTHC": by_url[u]}
                  for u in (s.SCORES, s.TTHC) if u in by_url]
    return [
        {"Trang chủ": by_url[s.HOME]},
        {"Kế hoạch": [by_url[s.PLANS], *plans]},
        {"Đơn vị": [by_url[s.UNITS], *units]},
        *indicators,
        *([{"Kiểm tra CCHC": by_url["kiem-tra-cchc/"]}] if "kiem-tra-cchc/" in by_url else []),
        {"Lịch": by_url[s.CALENDAR]},
        *([{"Thay đổi": by_url[s.CHANGES]}] if s.CHANGES in by_url else []),
        {"Dữ liệu mở": by_url[s.DATA]},
        {"Hướng dẫn": [{"Cán bộ nhập liệu": by_url["huong-dan/nhap-lieu/"]},
                       {"Văn phòng, Nội vụ": by_url["huong-dan/van-phong/"]},
                       {"Quản trị (CNTT)": by_url["huong-dan/quan-tri/"]},
                       *[{html.escape(p.title): p.path} for p in pages if p.url.startswith(EXTRA)]]},
        {"Kiểm tra dữ liệu": by_url[s.CHECKS]},
    ]
