"""content/site.yml: the site's settings, validated key by key.

Like mkdocs' config schema: every key is known, a wrong one is named with its
line and a "did you mean" suggestion, and nothing is silently ignored.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from sheets_sync.sources import Source, SourceError, parse_sources

from .inspection import COVERAGE_GROUPS as _GROUPS  # the groups inspection_targets may name
from .inspection import DEFAULT_TARGETS  # the default coverage, defined once with the inspection model
from .text import normalize

#: The embedded default content shipped in the repository.
DEFAULT_CONTENT = Path(__file__).resolve().parent.parent / "content"

_KEYS = {
    "site_name": "Tên trang (hiển thị trên đầu trang)",
    "site_url": "Địa chỉ công khai của trang",
    "issuer": "Cơ quan ban hành (UBND huyện …)",
    "place": "Địa danh dùng trong ngày tháng (Quảng Điền, ngày …)",
    "units": "Tệp danh mục đơn vị, tính từ thư mục nội dung",
    "sheets": "Thư mục chứa các tệp .xlsx, tính từ thư mục nội dung",
    "formulas": "Tệp công thức tính điểm dự kiến từ số liệu TTHC, tính từ thư mục nội dung",
    "sources": "Danh sách nguồn dữ liệu (id, kind, path hoặc google_sheet)",
    "inspection_targets": "Chỉ tiêu kiểm tra CCHC: agencies, districts (tỷ lệ tối thiểu %), communes ([tối thiểu, tối đa] %)",
}

_TARGET_LABELS = {"agencies": "cơ quan chuyên môn, sở, ban, ngành", "districts": "UBND cấp huyện",
                  "communes": "UBND cấp xã"}


class ConfigError(Exception):
    """A problem in site.yml; the message names the file and line, in Vietnamese."""


@dataclass(slots=True)
class SiteConfig:
    root: Path
    site_name: str = "Công khai cải cách hành chính"
    site_url: str = ""
    issuer: str = ""
    place: str = ""
    units: str = "units.yml"
    sheets: str = "sheets"
    formulas: str = "cong-thuc.yml"
    sources: list[Source] = field(default_factory=list)
    inspection_targets: dict[str, tuple[float, float | None]] = field(default_factory=lambda: dict(DEFAULT_TARGETS))

    @property
    def units_path(self) -> Path:
        return self.root / self.units

    @property
    def sheets_path(self) -> Path:
        return self.root / self.sheets

    @property
    def formulas_path(self) -> Path:
        return self.root / self.formulas

    def snapshot_path(self, source: Source) -> Path:
        """Where ``cchc sync`` keeps the last good copy of a source."""
        return self.sheets_path / source.snapshot_name

    def meta_path(self, source: Source) -> Path:
        return self.sheets_path / f"{source.id}.meta.json"

    def workbook_of(self, source: Source) -> Path | None:
        """What the site reads for a source: its snapshot, else (a local file
        never synced) the file itself, else nothing yet."""
        snapshot = self.snapshot_path(source)
        if snapshot.exists():
            return snapshot
        if source.path and (self.root / source.path).exists():
            return self.root / source.path
        return None

    @property
    def history_path(self) -> Path:
        return self.root / "history"

    @property
    def rejected_path(self) -> Path:
        """New copies that failed validation, kept for the clerk, never published."""
        return self.root / "rejected"


def load_site_config(content: Path) -> SiteConfig:
    path = content / "site.yml"
    config = SiteConfig(root=content)
    if not path.exists():
        return config
    name = str(path)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", dòng {mark.line + 1}" if mark else ""
        raise ConfigError(f"{name}{where}: không đọc được YAML ({getattr(exc, 'problem', exc)}).") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{name}: tệp phải được lưu với bảng mã UTF-8.") from None
    if node is None:
        return config
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{name}, dòng {node.start_mark.line + 1}: site.yml phải là các cặp “khóa: giá trị”.")
    for key_node, value_node in node.value:
        key = key_node.value
        line = key_node.start_mark.line + 1
        if key not in _KEYS:
            close = difflib.get_close_matches(key, list(_KEYS), n=1)
            hint = f" Có phải là “{close[0]}”?" if close else f" Các khóa hợp lệ: {', '.join(_KEYS)}."
            raise ConfigError(f"{name}, dòng {line}: khóa “{key}” không hợp lệ.{hint}")
        if key == "sources":
            try:
                config.sources = parse_sources(value_node, name)
            except SourceError as exc:
                raise ConfigError(str(exc)) from None
            continue
        if key == "inspection_targets":
            config.inspection_targets = _targets(value_node, name)
            continue
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag.endswith((":null",)):
            raise ConfigError(f"{name}, dòng {line}: “{key}” phải là một chuỗi ({_KEYS[key]}).")
        setattr(config, key, normalize(str(value_node.value)).strip())
    snapshots = {config.snapshot_path(source).resolve(): source for source in config.sources}
    for source in config.sources:
        if source.path and (config.root / source.path).resolve() in snapshots:
            owner = snapshots[(config.root / source.path).resolve()]
            raise ConfigError(f"{name}, dòng {source.line}: “path” của nguồn “{source.id}” trùng với bản công bố "
                              f"của nguồn “{owner.id}” ({config.sheets}/{owner.snapshot_name}): đặt tệp nguồn ngoài "
                              f"thư mục {config.sheets}/ (ví dụ nguon/…) để bản đúng gần nhất không bị ghi đè.")
    return config


def _percent(node, name: str, what: str) -> float:
    line = node.start_mark.line + 1
    try:
        value = float(str(node.value).replace(",", ".").rstrip("% "))
    except (TypeError, ValueError, AttributeError):
        raise ConfigError(f"{name}, dòng {line}: {what} phải là một tỷ lệ phần trăm (ví dụ 30).") from None
    if not 0 <= value <= 100:
        raise ConfigError(f"{name}, dòng {line}: {what} = {node.value} nằm ngoài 0–100%.")
    return value


def _targets(node, name: str) -> dict[str, tuple[float, float | None]]:
    """inspection_targets: {agencies: 30, districts: 30, communes: [15, 20]}, key by key."""
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(f"{name}, dòng {line}: “inspection_targets” phải là các cặp “nhóm: tỷ lệ” "
                          f"(agencies, districts, communes).")
    targets = dict(DEFAULT_TARGETS)
    for key_node, value_node in node.value:
        key, at = key_node.value, key_node.start_mark.line + 1
        if key not in _GROUPS:
            close = difflib.get_close_matches(key, list(_GROUPS), n=1)
            hint = f" Có phải là “{close[0]}”?" if close else " Dùng agencies, districts hoặc communes."
            raise ConfigError(f"{name}, dòng {at}: nhóm “{key}” không hợp lệ.{hint}")
        what = f"chỉ tiêu kiểm tra {_TARGET_LABELS[key]}"
        if isinstance(value_node, yaml.SequenceNode):
            if len(value_node.value) != 2:
                raise ConfigError(f"{name}, dòng {at}: {what} ghi [tối thiểu, tối đa], ví dụ [15, 20].")
            low, high = (_percent(v, name, what) for v in value_node.value)
            if low > high:
                raise ConfigError(f"{name}, dòng {at}: {what}: tối thiểu {low:g}% lớn hơn tối đa {high:g}%.")
            targets[key] = (low, high)
        elif isinstance(value_node, yaml.ScalarNode):
            targets[key] = (_percent(value_node, name, what), None)
        else:
            raise ConfigError(f"{name}, dòng {at}: {what} phải là một số hoặc [tối thiểu, tối đa].")
    return targets
