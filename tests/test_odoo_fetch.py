"""Where there is no folder at ODOO_SRC, the make targets fetch Odoo 18.0 themselves (tools/common.sh, fetch_odoo):
a shallow clone of ODOO_GIT_REF of ODOO_GIT_URL into ODOO_FETCH_DIR, kept only when it is 18.0. Offline: the
repositories are tiny local ones with a fake Odoo in them, given by file:// URLs."""

import os
import pathlib
import subprocess

import pytest

PROJECT = pathlib.Path(__file__).resolve().parent.parent
FETCH_VARS = ("ODOO_SRC", "ODOO_GIT_URL", "ODOO_GIT_REF", "ODOO_FETCH_DIR", "MAKEFLAGS", "MAKELEVEL")


def _git(cwd, *args):
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@localhost", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def fake_odoo_repo(path, branch, version_info):
    """A git repository shaped like Odoo's at ``branch``: odoo-bin, odoo/release.py, addons/sale."""
    (path / "odoo").mkdir(parents=True)
    (path / "README.md").write_text("an older commit, which a shallow clone leaves out\n")
    _git(path, "init", "--quiet", "--initial-branch", branch)
    _git(path, "add", ".")
    _git(path, "commit", "--quiet", "-m", "older")
    (path / "addons" / "sale").mkdir(parents=True)
    (path / "odoo-bin").write_text("#!/usr/bin/env python3\n")
    (path / "odoo" / "release.py").write_text(f"RELEASE_LEVELS = []\nFINAL = 'final'\nversion_info = {version_info}\n")
    (path / "addons" / "sale" / "__manifest__.py").write_text("{'name': 'Sales'}\n")
    _git(path, "add", ".")
    _git(path, "commit", "--quiet", "-m", "fake Odoo")
    return f"file://{path}"


def run(tmp_path, command, **variables):
    """``command`` in bash, from the project, with only the fetch variables given here (none of the caller's)."""
    env = {key: value for key, value in os.environ.items() if key not in FETCH_VARS}
    env.update({"ODOO_SRC": str(tmp_path / "missing"), "ODOO_FETCH_DIR": str(tmp_path / "odoo"), **variables})
    return subprocess.run(["bash", "-c", command], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)


def resolved_odoo_src(tmp_path, **variables):
    """ODOO_SRC as every make target's script sees it once tools/common.sh is sourced and Odoo required."""
    result = run(tmp_path, 'source tools/common.sh && require_odoo && echo "ODOO_SRC=$ODOO_SRC"', **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().removeprefix("ODOO_SRC=")


def test_a_missing_odoo_is_fetched_and_used(tmp_path):
    url = fake_odoo_repo(tmp_path / "repo", "18.0", "(18, 0, 0, FINAL, 0, '')")
    result = run(tmp_path, "make -s check-odoo", ODOO_GIT_URL=url)
    assert result.returncode == 0, result.stderr
    assert "fetching Odoo 18.0 from" in result.stderr
    fetched = tmp_path / "odoo"
    assert (fetched / "odoo-bin").is_file() and (fetched / "addons" / "sale").is_dir()
    # a shallow clone of the branch, nothing left beside it
    log = subprocess.run(["git", "-C", fetched, "log", "--format=%s"], capture_output=True, text=True, check=True)
    assert log.stdout.split("\n")[0] == "fake Odoo" and "older" not in log.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["odoo", "repo"]
    # the next targets use it as ODOO_SRC, without fetching again (the URL no longer answers)
    assert resolved_odoo_src(tmp_path, ODOO_GIT_URL=f"file://{tmp_path}/gone") == str(fetched)
    # an ODOO_SRC that exists is used as before, the fetched copy left alone
    assert resolved_odoo_src(tmp_path, ODOO_SRC=str(fetched)) == str(fetched)


def test_the_branch_is_overridable(tmp_path):
    url = fake_odoo_repo(tmp_path / "repo", "my-18.0", "(18, 0, 0, FINAL, 0, '')")
    assert resolved_odoo_src(tmp_path, ODOO_GIT_URL=url, ODOO_GIT_REF="my-18.0") == str(tmp_path / "odoo")


def test_an_odoo_other_than_18_is_refused(tmp_path):
    url = fake_odoo_repo(tmp_path / "repo", "17.0", "(17, 0, 0, FINAL, 0, '')")
    result = run(tmp_path, "make -s check-odoo", ODOO_GIT_URL=url, ODOO_GIT_REF="17.0")
    assert result.returncode != 0
    assert f"what {url} has at 17.0 is not Odoo 18.0 (version_info = (17, 0, 0, FINAL, 0, ''))" in result.stderr
    assert "ODOO_GIT_REF=18.0" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"], "the refused clone is left behind"


@pytest.mark.parametrize("target", ["check-odoo", "run"])
def test_an_unreachable_repository_stops_with_the_message(tmp_path, target):
    result = run(tmp_path, f"make -s {target}", ODOO_GIT_URL=f"file://{tmp_path}/nowhere")
    assert result.returncode != 0
    missing = tmp_path / "missing"
    assert f"ERROR: no Odoo 18.0 source at ODOO_SRC={missing}, and fetching it failed: git clone" in result.stderr
    assert "Set ODOO_SRC=/path/to/odoo or put it at /opt/odoo." in result.stderr
    assert "ODOO_GIT_URL" in result.stderr
    assert not list(tmp_path.iterdir()), "a failed clone is left behind"
