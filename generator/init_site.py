"""`cchc init DIR`: start a site for another district or province.

Writes a content folder (site.yml, a units.yml skeleton, the scoring formulas,
the three blank templates as the sources to fill), the MkDocs configuration and
theme overrides to customise, and the CI workflows; then says what to do next.
Nothing existing is overwritten.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from .config import DEFAULT_CONTENT

ROOT = DEFAULT_CONTENT.parent

SITE_YML = """# Cấu hình trang công khai CCHC. Mỗi khóa được kiểm tra; khóa sai sẽ được báo kèm số dòng.
site_name: "Công khai cải cách hành chính {place}"
issuer: "{issuer}"
place: "{place}"
# Địa chỉ công khai của trang (để in mã QR trên bản PDF), ví dụ https://cchc.example.gov.vn/
site_url: ""
units: units.yml
sheets: sheets
formulas: cong-thuc.yml
# Nguồn dữ liệu: tệp .xlsx trong nguon/ (điền từ các tệp mẫu) hoặc Google Sheet (google_sheet: <địa chỉ>).
# `cchc sync` kiểm tra và chỉ công bố bản không có lỗi vào sheets/<id>.xlsx.
sources:
  - id: phan-cong-{year}
    kind: plan
    title: Phân công nhiệm vụ CCHC năm {year}
    path: nguon/phan-cong-{year}.xlsx
  - id: chi-so-{previous}
    kind: scores
    title: Kết quả Chỉ số CCHC năm {previous}
    path: nguon/chi-so-{previous}.xlsx
  - id: tien-do-tthc
    kind: tthc
    title: Tiến độ giải quyết hồ sơ TTHC
    path: nguon/tien-do-tthc.xlsx
"""

UNITS_YML = """{header}
district: {place}

units:
  - id: van-phong-hdnd-ubnd
    name: Văn phòng HĐND và UBND
    kind: phong-ban
    short_names: [Văn phòng]

  - id: phong-noi-vu
    name: Phòng Nội vụ
    kind: phong-ban
    short_names: [Nội vụ, PNV]

  - id: phong-tu-phap
    name: Phòng Tư pháp
    kind: phong-ban
    short_names: [Tư pháp]

  - id: trung-tam-hanh-chinh-cong
    name: Trung tâm Hành chính công
    kind: trung-tam
    short_names: [TTHCC]

groups:
  - id: phong-ban
    name: Các phòng, ban
    aliases:
      - Các phòng, ban chuyên môn
    kinds: [phong-ban]
"""

#: What a new site repository carries besides its content: the tool, its theme, its publish
#: workflow, the Apps Script of the rebuild trigger and the guide for Google Sheets. The test
#: workflow stays behind: it runs this repository's own test suite.
TOOL_FILES = ("pyproject.toml", "Makefile", "mkdocs.yml", "generator", "sheets_sync", "site_templates", "scripts",
              ".github/workflows/publish.yml", "docs/google-sheets.md", "docs/apps-script")
GITIGNORE = ".venv/\n__pycache__/\n*.egg-info/\n/site/\n/build/\n/pdf/\n.cchc-sync.lock\nnode_modules/\n"

NEXT_STEPS = """Đã tạo trang mới trong {target}. Ba bước tiếp theo:
  1. Sửa {target}/content/site.yml (tên trang, cơ quan, địa danh, site_url, nguồn) và
     {target}/content/units.yml (danh mục đơn vị của địa phương).
  2. Điền các tệp mẫu trong {target}/content/nguon/ (hoặc khai báo Google Sheets), rồi chạy:
     cchc sync --content {target}/content && cchc validate --content {target}/content
  3. Dựng trang: cchc build --content {target}/content --out {target}/site
     Đưa thư mục lên GitHub và làm theo "Hướng dẫn quản trị" để trang tự cập nhật."""


def init_site(target: Path, *, issuer: str = "UBND huyện …", place: str = "…", year: int | None = None) -> list[Path]:
    """Create the skeleton of a new site in ``target`` (which must be empty or new)."""
    from .commands import UsageError
    from .units import load_registry
    from .xlsx_templates import write_template

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"“{target}” đã có nội dung: chọn một thư mục mới hoặc trống để không ghi đè gì.")
    year = year or dt.date.today().year
    content = target / "content"
    (content / "nguon").mkdir(parents=True)
    (content / "sheets").mkdir()
    written: list[Path] = []

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    write(content / "site.yml", SITE_YML.format(issuer=issuer, place=place, year=year, previous=year - 1))
    header = (DEFAULT_CONTENT / "units.yml").read_text(encoding="utf-8").split("\ndistrict:", 1)[0]
    header = header.replace("HUYỆN QUẢNG ĐIỀN", "CỦA ĐỊA PHƯƠNG")
    write(content / "units.yml", UNITS_YML.format(header=header, place=place))
    shutil.copy2(DEFAULT_CONTENT / "cong-thuc.yml", content / "cong-thuc.yml")
    written.append(content / "cong-thuc.yml")
    registry = load_registry(content / "units.yml")
    for kind, name in (("plan", f"phan-cong-{year}"), ("scores", f"chi-so-{year - 1}"), ("tthc", "tien-do-tthc")):
        written.append(write_template(kind, content / "nguon" / f"{name}.xlsx", registry,
                                      year=year if kind != "scores" else year - 1, issuer=issuer, place=place))
    # The tool itself comes along, so that the new repository's publish workflow can install and
    # run it as this one does (`pip install -e .`); the theme overrides are there to customise.
    for rel in TOOL_FILES:
        source = ROOT / rel
        if source.is_dir():
            shutil.copytree(source, target / rel, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            written.extend(p for p in (target / rel).rglob("*") if p.is_file())
        elif source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
            written.append(target / rel)
    write(target / ".gitignore", GITIGNORE)
    return written


def next_steps(target: Path) -> str:
    return NEXT_STEPS.format(target=target)
