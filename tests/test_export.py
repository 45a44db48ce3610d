"""The JSON export of the embedded appendix against its reviewed golden copy."""

from __future__ import annotations

import json

from generator import commands

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "golden" / "quang-dien-2022.json"


def test_export_matches_the_reviewed_golden_file(in_root):
    produced = commands.export(ROOT / "content" / "sheets" / "quang-dien-2022-phan-cong.xlsx", "json")
    expected = GOLDEN.read_text(encoding="utf-8")
    if produced != expected:  # show a readable difference on the first differing task
        got, want = json.loads(produced), json.loads(expected)
        for a, b in zip(got["plans"][0]["tasks"], want["plans"][0]["tasks"]):
            assert a == b
        assert got == want
    assert produced == expected


def test_golden_file_has_every_task_row_once():
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    rows = [t["row"] for t in data["plans"][0]["tasks"]]
    assert len(rows) == len(set(rows)) == 86
