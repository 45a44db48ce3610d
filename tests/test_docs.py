"""The Google Sheets guide and its Apps Script agree with the code they describe."""

from __future__ import annotations

import re

from generator.cli import main

from .conftest import ROOT

GUIDE = ROOT / "docs" / "google-sheets.md"
SCRIPT = ROOT / "docs" / "apps-script" / "cchc-dung-lai-trang.gs"


def test_apps_script_sends_the_event_the_guide_workflow_listens_to():
    script = SCRIPT.read_text(encoding="utf-8")
    (event,) = re.findall(r"var LOAI_SU_KIEN = '([a-z-]+)'", script)
    assert f"types: [{event}]" in GUIDE.read_text(encoding="utf-8")
    assert "/dispatches" in script and "GITHUB_TOKEN" in script
    # the token lives in the script's properties, never in the code
    assert not re.search(r"gh[pousr]_[A-Za-z0-9]{20,}|github_pat_", script)


def test_every_sync_option_in_the_guide_exists():
    guide = GUIDE.read_text(encoding="utf-8")
    documented = set(re.findall(r"cchc sync[^\n`]*?(--[a-z-]+)", guide))
    options = {opt for param in main.commands["sync"].params for opt in param.opts}
    assert documented and documented <= options


def test_the_guide_names_the_credentials_variables_the_code_reads():
    from sheets_sync import google

    code = (ROOT / "sheets_sync" / "google.py").read_text(encoding="utf-8")
    guide = GUIDE.read_text(encoding="utf-8")
    for name in ("CCHC_GOOGLE_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS"):
        assert name in code and name in guide
    assert google.FINDINGS_SHEET in guide
