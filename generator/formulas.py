"""content/cong-thuc.yml: official scoring rules of some CCHC-index criteria, as formulas.

A province edits the file without code; from the TTHC figures (``tthc.FIGURES`` by
``var`` name) the site shows a projected score next to each criterion's maximum.
Formulas are checked node by node, then evaluated with ``simpleeval``: numbers, names,
+ - * / // **, comparisons, and/or/not, ``a if c else b``, min/max/round/abs; ``95%`` = 0.95.
Every problem in the file is reported in Vietnamese with the file and the line.
"""

from __future__ import annotations

import ast
import difflib
import functools
import keyword
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import simpleeval
import yaml

from .tthc import FIGURES

log = logging.getLogger(__name__)

DEFAULT_FORMULAS_NAME = "cong-thuc.yml"
FIGURE_VARS = {f.var: f for f in FIGURES}
FUNCTIONS = {"min": min, "max": max, "round": round, "abs": abs}
_PERCENT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|\.\d+)\s*%")
_SYMBOLS = str.maketrans({"≥": ">=", "≤": "<=", "≠": "!=", "×": "*", "÷": "/"})
_SAFE = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call,
         ast.Name, ast.Constant, ast.Load, ast.And, ast.Or)
_OPERATORS = {op: fn for op, fn in simpleeval.DEFAULT_OPERATORS.items() if op in (
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Pow, ast.Eq, ast.NotEq,
    ast.Gt, ast.Lt, ast.GtE, ast.LtE, ast.Not, ast.USub, ast.UAdd)}
_OPERATORS[ast.Pow] = math.pow  # float power: overflows at once instead of building huge integers
_HELP = "Chỉ dùng số, tên số liệu, + - * /, so sánh (>=, <, ==), “a if điều_kiện else b” và các hàm min, max, round, abs."


class FormulaConfigError(Exception):
    """A problem in the formula file; the message names the file and line, in Vietnamese."""


@dataclass(slots=True)
class Variable:
    name: str
    label: str
    formula: str
    line: int


@dataclass(slots=True)
class Criterion:
    code: str
    title: str
    max_points: float
    formula: str
    note: str
    line: int


@dataclass(slots=True)
class Projection:
    code: str
    title: str
    max_points: float
    score: float | None  # clamped to [0, max_points], 2 decimals; None when not computable
    note: str = ""
    missing: list[str] = field(default_factory=list)  # Vietnamese labels of the missing figures
    error: str = ""  # "chia cho 0: …" and the like


@functools.lru_cache(maxsize=512)
def _parse(formula: str) -> ast.Expression:
    """``95%`` becomes ``(95/100)``, ≥ ≤ ≠ × ÷ their ASCII operators; lines are joined."""
    return ast.parse(_PERCENT.sub(r"(\1/100)", " ".join(formula.translate(_SYMBOLS).split())), mode="eval")


def _names(formula: str) -> set[str]:
    tree = _parse(formula)
    funcs = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in funcs}


def _run(formula: str, names: dict[str, float]):
    evaluator = simpleeval.SimpleEval(operators=_OPERATORS, functions=dict(FUNCTIONS), names=names)
    for node in (ast.Attribute, ast.Subscript, ast.Slice, ast.JoinedStr, ast.FormattedValue):
        evaluator.nodes.pop(node, None)  # already refused by _problem; defence in depth
    return evaluator.eval(formula, previously_parsed=_parse(formula).body)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value))


def _comma(text: str) -> str:
    dotted = re.sub(r"(\d)\s*,\s*(\d)", r"\1.\2", text)
    return f" Dùng dấu chấm cho số thập phân trong công thức: {dotted}" if dotted != text else ""


def _not_a_number(value) -> NoReturn:
    raise TypeError(f"{value!r} is not a number")


def _hint(word: str, known) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" Có phải là “{close[0]}”?" if close else ""


@dataclass(slots=True)
class FormulaSet:
    source: str
    variables: list[Variable]
    criteria: list[Criterion]
    file: str

    def evaluate(self, figures: Mapping[str, float | None]) -> list[Projection]:
        """Variables in order, then every criterion; never raises for missing data or 0 divisors."""
        names = {k: float(v) for k, v in figures.items() if k in FIGURE_VARS and v is not None}
        deps: dict[str, set[str]] = {}  # variable -> the figures it needs, transitively
        errors: dict[str, str] = {}  # variable -> why it has no value ("" when a figure is missing)

        def compute(formula: str, what: str) -> tuple[set[str], float | None, str]:
            need = set().union(*(deps.get(n, {n}) for n in _names(formula)))
            try:
                value = _run(formula, names)
                value = float(value) if _is_number(value) else _not_a_number(value)
            except simpleeval.NameNotDefined as exc:
                return need, None, errors.get(exc.name, "")
            except ZeroDivisionError:
                zero = ", ".join(f.label for f in FIGURES if f.var in need and names.get(f.var) == 0)
                return need, None, f"chia cho 0: {what} = {formula}" + (f" ({zero} đang bằng 0)" if zero else "")
            except (ArithmeticError, TypeError, ValueError, simpleeval.InvalidExpression) as exc:
                log.debug("%s: %s = %s: %s", self.file, what, formula, exc)
                return need, None, f"không tính được: {what} = {formula}"
            return need, value, ""

        for var in self.variables:
            deps[var.name], value, errors[var.name] = compute(var.formula, var.label)
            if value is not None:
                names[var.name] = value
        projections = []
        for crit in self.criteria:
            need, value, error = compute(crit.formula, f"tiêu chí {crit.code}")
            missing = [f.label for f in FIGURES if f.var in need and f.var not in names] if value is None else []
            if value is None and not missing and not error:
                error = f"không tính được: tiêu chí {crit.code} = {crit.formula}"
            score = None if value is None else round(min(max(value, 0.0), crit.max_points), 2)
            projections.append(Projection(crit.code, crit.title, crit.max_points, score, crit.note, missing, error))
        return projections


def _problem(text: str, known: list[str], later: dict[str, int]) -> str:
    """Why the formula is refused, in Vietnamese ("" when it is fine): a whitelist of nodes."""
    try:
        tree = _parse(text)
    except SyntaxError:
        return f"công thức “{text}” viết sai cú pháp.{_comma(text) or ' ' + _HELP}"
    funcs = set()
    for sub in ast.walk(tree):  # breadth first: a call is seen before its function name
        if isinstance(sub, ast.Call):
            name = sub.func.id if isinstance(sub.func, ast.Name) else ast.unparse(sub.func)
            if name not in FUNCTIONS or sub.keywords:
                return f"hàm “{name}” không được phép trong công thức “{text}”; chỉ dùng min, max, round, abs."
            funcs.add(id(sub.func))
        elif isinstance(sub, ast.Name) and id(sub) not in funcs and sub.id not in known:
            where = (f" Biến “{sub.id}” được khai báo sau (dòng {later[sub.id]}); hãy chuyển nó lên trước."
                     if sub.id in later else _hint(sub.id, known))
            return f"tên “{sub.id}” trong công thức “{text}” không phải số liệu hay biến đã khai báo.{where}"
        elif isinstance(sub, ast.Tuple):
            return f"công thức “{text}” không ra một số.{_comma(text) or ' ' + _HELP}"
        elif isinstance(sub, ast.Attribute):
            return f"không được truy cập thuộc tính “.{sub.attr}” trong công thức “{text}”. {_HELP}"
        elif isinstance(sub, ast.Constant) and not _is_number(sub.value):
            return f"“{sub.value!r}” không phải là số: công thức “{text}” không được chứa chuỗi ký tự. {_HELP}"
        elif isinstance(sub, ast.Mod):
            return f"dấu % chỉ dùng ngay sau một số để chỉ phần trăm (ví dụ 95%): “{text}”."
        elif not isinstance(sub, _SAFE) and type(sub) not in _OPERATORS:
            return f"cấu trúc “{type(sub).__name__}” không được phép trong công thức “{text}”. {_HELP}"
    return ""


class _Loader:
    def __init__(self, file: str):
        self.file = file
        self.trial: dict[str, float] = dict.fromkeys(FIGURE_VARS, 1.0)  # for the trial runs

    def fail(self, where, message: str) -> NoReturn:
        line = where if isinstance(where, int) else where.start_mark.line + 1
        raise FormulaConfigError(f"{self.file}, dòng {line}: {message}")

    def mapping(self, node, keys: tuple[str, ...] | None, what: str) -> dict[str, tuple]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} phải là các cặp “khóa: giá trị”.")
        found: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if keys is not None and key not in keys:
                hint = _hint(key, keys) or f" Các khóa hợp lệ: {', '.join(keys)}."
                self.fail(key_node, f"khóa “{key}” không hợp lệ trong {what}.{hint}")
            if key in found:
                self.fail(key_node, f"khóa “{key}” bị lặp lại (đã có ở dòng {found[key][0].start_mark.line + 1}).")
            found[key] = (key_node, value_node)
        return found

    def text(self, found: dict, key: str, parent, what: str, required: bool = True) -> str:
        if key not in found:
            if required:
                self.fail(parent, f"{what} thiếu khóa “{key}”.")
            return ""
        key_node, node = found[key]
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null") or (required and not node.value.strip()):
            self.fail(key_node, f"“{key}” của {what} phải là một giá trị (chuỗi hoặc số), không để trống.")
        return node.value.strip()

    def formula(self, found: dict, parent, what: str, known: list[str], later: dict[str, int]):
        text = self.text(found, "formula", parent, what)
        node = found["formula"][1]
        line = node.start_mark.line + 1 + (node.style in ("|", ">"))  # block scalar: text starts below
        if problem := _problem(text, known, later):
            self.fail(line, problem)
        try:  # trial run, every figure = 1: the result must be a number
            value = _run(text, self.trial)
            value = float(value) if _is_number(value) else _not_a_number(value)
        except (ZeroDivisionError, simpleeval.NameNotDefined):
            return text, line, None
        except (ArithmeticError, TypeError, ValueError, simpleeval.InvalidExpression):
            self.fail(line, f"công thức “{text}” không tính ra một số (số quá lớn, sai số đối số của hàm?).{_comma(text)}")
        return text, line, value

    def number(self, found: dict, parent, what: str) -> float:
        raw, node = self.text(found, "max", parent, what), found["max"][1]
        try:
            value = math.nan if node.tag.endswith(":bool") else float(raw.replace(",", "."))
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0:
            self.fail(node, f"điểm tối đa “max” của {what} phải là số dương (ví dụ 2 hoặc 0,5), không phải “{raw}”.")
        return value


def load_formulas(path: Path) -> FormulaSet:
    """Read and check the formula file; raise FormulaConfigError naming the file and line."""
    name, raw = str(path), path.read_bytes()
    loader = _Loader(name)
    try:
        root = yaml.compose(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except UnicodeDecodeError as exc:
        loader.fail(raw[: exc.start].count(b"\n") + 1, "tệp phải được lưu với bảng mã UTF-8.")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loader.fail(mark.line + 1 if mark else 1, f"không đọc được YAML ({getattr(exc, 'problem', exc)}).")
    if root is None:
        loader.fail(1, "tệp công thức trống; cần có danh sách “criteria”.")
    top = loader.mapping(root, ("source", "variables", "criteria"), "tệp công thức")
    source = loader.text(top, "source", root, "tệp công thức", required=False)
    var_root = top.get("variables", (None, None))[1]
    declared = {} if var_root is None or var_root.tag.endswith(":null") else loader.mapping(var_root, None, "“variables”")
    later = {key: key_node.start_mark.line + 1 for key, (key_node, _) in declared.items()}
    variables: list[Variable] = []
    known = list(FIGURE_VARS)
    for key, (key_node, node) in declared.items():
        if key in FIGURE_VARS:
            loader.fail(key_node, f"tên biến “{key}” trùng với số liệu “{FIGURE_VARS[key].label}”; hãy đặt tên khác.")
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", key) or key in FUNCTIONS or keyword.iskeyword(key):
            loader.fail(key_node, f"tên biến “{key}” không hợp lệ: chỉ dùng chữ không dấu, chữ số và "
                                  "dấu gạch dưới, bắt đầu bằng chữ (ví dụ ty_le_dung_han).")
        what = f"biến “{key}”"
        found = loader.mapping(node, ("label", "formula"), what)
        del later[key]
        formula, line, value = loader.formula(found, key_node, what, known, later)
        label = loader.text(found, "label", key_node, what, required=False) or key
        variables.append(Variable(key, label, formula, line))
        known.append(key)
        if value is not None:
            loader.trial[key] = value
    if "criteria" not in top:
        loader.fail(root, "thiếu khóa “criteria” (danh sách tiêu chí).")
    crit_key, crit_root = top["criteria"]
    if not isinstance(crit_root, yaml.SequenceNode) or not crit_root.value:
        loader.fail(crit_key, "“criteria” phải là một danh sách tiêu chí, mỗi tiêu chí bắt đầu bằng “- code:”.")
    criteria: list[Criterion] = []
    codes: dict[str, int] = {}
    for node in crit_root.value:
        found = loader.mapping(node, ("code", "title", "max", "formula", "note"), "tiêu chí")
        code = loader.text(found, "code", node, "tiêu chí")
        what = f"tiêu chí {code}"
        if code in codes:
            loader.fail(found["code"][0], f"mã tiêu chí “{code}” bị lặp lại (đã có ở dòng {codes[code]}).")
        codes[code] = node.start_mark.line + 1
        title, max_points = loader.text(found, "title", node, what), loader.number(found, node, what)
        formula, line, _ = loader.formula(found, node, what, known, {})
        criteria.append(Criterion(code, title, max_points, formula, loader.text(found, "note", node, what, False), line))
    log.debug("%s: %d biến, %d tiêu chí", name, len(variables), len(criteria))
    return FormulaSet(source, variables, criteria, name)
