"""The open-data download and its Frictionless Data Package descriptor."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from generator import export
from generator.opendata import COLUMN_INFO, open_data_files

from .conftest import APPENDIX

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def workbook() -> tuple[str, bytes]:
    return APPENDIX.name, APPENDIX.read_bytes()


@pytest.fixture(scope="module")
def files(plan, workbook) -> dict[str, bytes]:
    return open_data_files([plan], [workbook])


@pytest.fixture(scope="module")
def package(files) -> dict:
    return json.loads(files["datapackage.json"].decode("utf-8"))


def test_paths(files, workbook):
    assert set(files) == {"nhiem-vu.csv", "ke-hoach.json", f"bang-tinh/{workbook[0]}", "datapackage.json"}


def test_csv_starts_with_bom_and_is_the_export(files, plan):
    assert files["nhiem-vu.csv"].startswith(b"\xef\xbb\xbf")
    assert files["nhiem-vu.csv"] == export.to_csv([plan]).encode("utf-8")
    assert files["ke-hoach.json"] == export.to_json([plan]).encode("utf-8")


def test_workbook_bytes_unchanged(files, workbook):
    name, content = workbook
    assert files[f"bang-tinh/{name}"] == content
    assert hashlib.sha256(files[f"bang-tinh/{name}"]).hexdigest() == hashlib.sha256(content).hexdigest()


def test_descriptor_hashes_and_sizes_match(files, package):
    assert package["name"] == "cchc-cong-khai"
    assert package["title"]
    paths = [r["path"] for r in package["resources"]]
    assert sorted(paths) == sorted(p for p in files if p != "datapackage.json")
    for resource in package["resources"]:
        content = files[resource["path"]]
        assert resource["bytes"] == len(content), resource["path"]
        assert resource["hash"] == "sha256:" + hashlib.sha256(content).hexdigest(), resource["path"]
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names))
    assert all(set(n) <= set("abcdefghijklmnopqrstuvwxyz0123456789-._") for n in names)


def test_resource_formats(package, workbook):
    by_path = {r["path"]: r for r in package["resources"]}
    csv_res = by_path["nhiem-vu.csv"]
    assert (csv_res["format"], csv_res["mediatype"], csv_res["encoding"]) == ("csv", "text/csv", "utf-8-sig")
    json_res = by_path["ke-hoach.json"]
    assert (json_res["format"], json_res["mediatype"]) == ("json", "application/json")
    xlsx_res = by_path[f"bang-tinh/{workbook[0]}"]
    assert (xlsx_res["format"], xlsx_res["mediatype"]) == ("xlsx", XLSX)


def _header(content: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_every_csv_column_in_schema(files, package):
    header = _header(files["nhiem-vu.csv"])
    fields = next(r for r in package["resources"] if r["path"] == "nhiem-vu.csv")["schema"]["fields"]
    assert [f["name"] for f in fields] == header
    for field in fields:
        assert field["type"] in ("string", "integer", "number")
        assert field["description"]
    types = {f["name"]: f["type"] for f in fields}
    assert types["row"] == "integer"
    assert types["points"] == "number"


def test_every_export_column_has_its_own_description():
    assert list(COLUMN_INFO) == export.CSV_COLUMNS


def test_extra_columns_of_the_workbook_are_described(plan, workbook):
    import copy

    task = copy.copy(plan.tasks[0])
    task.extra = {**task.extra, "Ghi chú riêng": "=1+1"}
    other = copy.copy(plan)
    other.tasks = [task]
    files = open_data_files([other], [workbook])
    header = _header(files["nhiem-vu.csv"])
    assert header[-1] == "Ghi chú riêng"
    package = json.loads(files["datapackage.json"])
    fields = package["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == header
    assert fields[-1]["type"] == "string" and "Ghi chú riêng" in fields[-1]["description"]


def test_points_parse_with_the_declared_decimal_comma(files, package):
    fields = package["resources"][0]["schema"]["fields"]
    points = next(f for f in fields if f["name"] == "points")
    rows = list(csv.DictReader(io.StringIO(files["nhiem-vu.csv"].decode("utf-8-sig"))))
    values = [r["points"] for r in rows if r["points"]]
    assert values
    for value in values:
        float(value.replace(points.get("decimalChar", "."), "."))
    for row in rows:
        int(row["row"])


def test_deterministic(plan, workbook, files):
    again = open_data_files([plan], [workbook])
    assert again == files
    assert list(again) == list(files)
    package = json.loads(files["datapackage.json"])
    assert not {"created", "modified", "updated"} & set(package)


def test_two_workbooks_get_distinct_resource_names(plan, workbook):
    name, content = workbook
    files = open_data_files([plan], [(name, content), ("Quảng Điền 2022 (bản sao).xlsx", b"PK fake")])
    package = json.loads(files["datapackage.json"])
    assert files["bang-tinh/Quảng Điền 2022 (bản sao).xlsx"] == b"PK fake"
    names = [r["name"] for r in package["resources"]]
    assert len(names) == len(set(names)) == 4


@pytest.mark.parametrize("bad", ["../x.xlsx", "a/b.xlsx", ""])
def test_unsafe_workbook_names_are_refused(plan, bad):
    with pytest.raises(ValueError):
        open_data_files([plan], [(bad, b"x")])


@pytest.fixture(scope="module")
def indicator_files(plan, registry):
    from generator.reader import read_workbook

    from .conftest import DATA, ROOT

    cards = read_workbook(DATA / "quang-dien-2021-chi-so.xlsx", registry).scores
    reports = read_workbook(ROOT / "content" / "sheets" / "tien-do-tthc.xlsx", registry).tthc
    return cards, reports, open_data_files([plan], [], cards, reports)


def _rows(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_scores_csv_has_one_row_per_criterion_with_decimal_commas(indicator_files):
    cards, _, files = indicator_files
    rows = _rows(files["chi-so-cchc.csv"])
    assert len(rows) == len(cards[0].all_items()) == 55
    row_35 = next(r for r in rows if r["code"] == "3.5")
    assert row_35["year"] == "2021" and row_35["maximum"] == "4" and row_35["appraised"] == "2,46"
    assert row_35["lost"] == "1,54" and "trễ hạn" in row_35["reason"]
    row_92 = next(r for r in rows if r["code"] == "9.2")
    assert row_92["not_applicable"] == "2" and row_92["lost"] == "1,56"


def test_tthc_csv_keeps_empty_figures_empty_and_flags_illustrative_rows(indicator_files):
    _, reports, files = indicator_files
    rows = _rows(files["tien-do-tthc.csv"])
    assert len(rows) == len(reports[0].rows)
    real = rows[0]
    assert real["received_new"] == "6690" and real["online"] == "1962" and real["resolved_total"] == ""
    assert real["online_rate"].startswith("29,32") and real["illustrative"] == "false"
    assert all(r["illustrative"] == "true" for r in rows[1:])


def test_indicator_csvs_are_described_in_the_package(indicator_files):
    _, _, files = indicator_files
    package = json.loads(files["datapackage.json"])
    resources = {r["path"]: r for r in package["resources"]}
    for path in ("chi-so-cchc.csv", "tien-do-tthc.csv"):
        resource = resources[path]
        header = next(csv.reader(io.StringIO(files[path].decode("utf-8-sig"))))
        assert [f["name"] for f in resource["schema"]["fields"]] == header
        assert resource["hash"] == "sha256:" + hashlib.sha256(files[path]).hexdigest()


def test_indicator_csv_numbers_keep_their_sign_and_text_stays_inert():
    from generator.indicator_export import scores_csv
    from generator.scores import ScoreCard, ScoreItem

    item = ScoreItem("1", "=HYPERLINK(\"http://x\")", 5, maximum=1, appraised=-0.5, reason="-1 điểm")
    text = scores_csv([ScoreCard(file="a.xlsx", sheet="2021", year=2021, items=[item])])
    row = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))[0]
    assert row["appraised"] == "-0,5" and row["lost"] == "1,5"
    assert row["title"].startswith("'=") and row["reason"] == "'-1 điểm"
