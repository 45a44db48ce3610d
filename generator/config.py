"""content/site.yml: the site's settings, validated key by key.

Like mkdocs' config schema: every key is known, a wrong one is named with its
line and a "did you mean" suggestion, and nothing is silently ignored.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

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
}


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

    @property
    def units_path(self) -> Path:
        return self.root / self.units

    @property
    def sheets_path(self) -> Path:
        return self.root / self.sheets

    @property
    def formulas_path(self) -> Path:
        return self.root / self.formulas


def load_site_config(content: Path) -> SiteConfig:
    path = content / "site.yml"
    config = SiteConfig(root=content)
    if not path.exists():
        return config
    name = str(path)
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"))
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
        if not isinstance(value_node, yaml.ScalarNode) or value_node.tag.endswith((":null",)):
            raise ConfigError(f"{name}, dòng {line}: “{key}” phải là một chuỗi ({_KEYS[key]}).")
        setattr(config, key, str(value_node.value).strip())
    return config
