"""Set-up on a new machine: clear messages where it can't work, locks that install everywhere.

The supported Pythons are the Makefile's PYTHON_MIN to PYTHON_MAX; the locks are
compiled with the command written in their own headers (``make lock``).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import tools
from jobs import background
from tools import ROOT, run

MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
PYTHON_MIN = re.search(r"^PYTHON_MIN\s*=\s*(\S+)", MAKEFILE, re.MULTILINE).group(1)
PYTHON_MAX = re.search(r"^PYTHON_MAX\s*=\s*(\S+)", MAKEFILE, re.MULTILINE).group(1)
LOCKS = ["requirements.txt", "tests/requirements.txt"]
UV = Path(sys.executable).parent / "uv"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
#: uv reads the system's certificates, as pip does (a proxy's own CA among them).
UV_ENV = {"UV_SYSTEM_CERTS": "1"}


def stub(folder: Path, name: str, script: str) -> Path:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return run(["make", "--no-print-directory", *args], env=env, check=False)


# -- Messages where set-up can't work ---------------------------------------------


def test_a_python_older_than_supported_stops_make_html_before_any_venv(tmp_path):
    old = stub(tmp_path, "python3", 'case "$1" in --version) echo "Python 3.9.2";; esac; exit 1')
    venv = tmp_path / "venv"

    result = make("html", f"PYTHON={old}", f"VENV={venv}", f"BUILDDIR={tmp_path / 'b'}")

    assert result.returncode != 0
    lines = [line for line in result.stdout.splitlines() if line.startswith("make: ")]
    assert lines[0] == (
        f"make: {old} is Python 3.9.2: the book needs Python {PYTHON_MIN} to {PYTHON_MAX}; "
        "name another with make PYTHON=..."
    )
    assert not venv.exists()


def test_a_python_without_venv_names_the_debian_package_to_install(tmp_path):
    python = stub(
        tmp_path,
        "python3",
        f'case "$*" in *ensurepip*) exit 1;; esac; exec {sys.executable} "$@"',
    )
    version = "{}.{}".format(*sys.version_info[:2])

    result = make("html", f"PYTHON={python}", f"VENV={tmp_path / 'venv'}")

    assert result.returncode != 0
    assert (
        f"make: {python} (Python {version}) cannot make a virtual environment: "
        f"sudo apt-get install python{version}-venv"
    ) in result.stdout.splitlines()
    assert not (tmp_path / "venv").exists()


@pytest.mark.parametrize("fault", ["python deleted", "made by an older Python"])
def test_a_broken_venv_is_made_again(tmp_path, fault):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    if fault == "python deleted":
        (venv / "bin" / "python").symlink_to(tmp_path / "gone")
    else:
        stub(venv / "bin", "python", "exit 1")
    (venv / ".book-installed").touch()

    planned = make("--dry-run", "html", f"VENV={venv}")
    assert "tools/venv.sh" in planned.stdout  # the stamp was dropped: set-up runs again

    made = run(["bash", "tools/venv.sh", sys.executable, str(venv), PYTHON_MIN, PYTHON_MAX])
    assert f"make: {venv} is broken or was made by an older Python: making it again." in (
        made.stdout
    )
    assert run([str(venv / "bin" / "python"), "-c", "import sys"]).returncode == 0


def test_livehtml_installs_the_books_dependencies_not_the_test_toolchain(tmp_path):
    planned = make("--dry-run", "livehtml", f"VENV={tmp_path / 'venv'}").stdout
    assert "-r requirements.txt" in planned
    assert "tests/requirements.txt" not in planned
    assert "tools/live/preview.py" in planned


def test_a_working_venv_is_kept():
    planned = make("--dry-run", "html")
    assert "tools/venv.sh" not in planned.stdout, planned.stdout


def test_latexpdf_without_tex_names_the_packages_to_install(tmp_path):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    for tool in ["make", "sh", "bash", "awk", "dirname", "rm", "git", "cat"]:
        if found := shutil.which(tool):
            (bin_ / tool).symlink_to(found)

    result = make("latexpdf", env={"PATH": str(bin_)})

    assert result.returncode != 0
    packages = tools.APT_PACKAGES["xelatex"]
    assert "make: xelatex is missing: the PDF needs TeX Live. Install it with:" in result.stdout
    assert f"    sudo apt-get install --no-install-recommends {packages}" in result.stdout


def test_without_root_or_sudo_the_install_script_prints_the_command_and_installs_nothing(
    tmp_path,
):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    stub(bin_, "id", "echo 1000")
    stub(bin_, "sudo", "exit 1")
    stub(bin_, "dpkg-query", "exit 1")
    stub(bin_, "apt-get", f"touch {tmp_path}/apt-get-ran; exit 1")
    env = {"PATH": f"{bin_}:{os.environ['PATH']}", "VENV": str(tmp_path / "no-venv")}

    result = run(["bash", "tests/install-system-tools.sh"], env=env)

    assert "Missing system tools; the tests that need them will be skipped." in result.stdout
    command = re.search(r"sudo apt-get update && sudo (apt-get install .*)", result.stdout)
    assert command, result.stdout
    wanted = set(" ".join(tools.APT_PACKAGES.values()).split())
    assert set(command.group(1).split()[4:]) == wanted
    assert not (tmp_path / "apt-get-ran").exists()


@pytest.mark.parametrize("on_ci", [False, True], ids=["locally it skips", "on CI it fails"])
def test_a_missing_tool_names_its_install_command(monkeypatch, on_ci):
    monkeypatch.setattr(tools, "ON_CI", on_ci)
    monkeypatch.setattr(tools.shutil, "which", lambda tool: None)
    outcome = pytest.fail.Exception if on_ci else pytest.skip.Exception
    packages = tools.APT_PACKAGES["pdftotext"]

    with pytest.raises(
        outcome, match=re.escape(f"apt-get install --no-install-recommends {packages}")
    ):
        tools.require("pdftotext")


# -- Configuration files valid against their published schemas ----------------------


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (".github/workflows/ci.yml", "vendor.github-workflows"),
        ("renovate.json", "vendor.renovate"),
        (".readthedocs.yaml", "vendor.readthedocs"),
    ],
)
def test_configuration_file_is_valid_against_its_schema(path, schema):
    if not (ROOT / path).exists():
        pytest.fail(f"{path} is missing")
    run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(ROOT / path)])


# -- The locks ------------------------------------------------------------------------


def compile_command(lock: str) -> list[str]:
    """The uv command a lock's header says it was compiled with."""
    header = (ROOT / lock).read_text(encoding="utf-8").splitlines()[1]
    return shlex.split(header.lstrip("# "))


def test_make_lock_compiles_each_lock_as_its_header_says_for_the_oldest_python():
    planned = make("--dry-run", "lock").stdout.splitlines()
    for lock in LOCKS:
        command = compile_command(lock)
        assert {"--universal", "--generate-hashes"} <= set(command)
        assert command[command.index("--python-version") + 1] == PYTHON_MIN
        line = next(line for line in planned if line.endswith(f" -o {lock}"))
        made = shlex.split(line)
        made = [arg for arg in made[made.index("compile") + 1 :] if arg != "--quiet"]
        assert made == command[3:], f"make lock and the header of {lock} differ"


@background(waits=True)
def recompiled_locks(tmp_path_factory) -> dict[str, str]:
    """Each lock compiled again from its .in file, with the committed lock as the
    preference (as `make lock` does), in a copy; all at once, as they wait on the
    package registry."""
    tmp = tmp_path_factory.mktemp("locks")
    for path in [*(lock.replace(".txt", ".in") for lock in LOCKS), *LOCKS]:
        (tmp / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / path, tmp / path)
    for lock in LOCKS:  # the tests' lock is constrained by the book's: one after the other
        run([str(UV), *compile_command(lock)[1:], "--quiet"], cwd=tmp, env=UV_ENV)
    return {lock: (tmp / lock).read_text(encoding="utf-8") for lock in LOCKS}


@pytest.mark.slow
def test_each_lock_matches_what_its_in_file_compiles_to(recompiled_locks):
    """A new release upstream changes nothing; a hand edit, a lost marker or hash does."""
    for lock, compiled in recompiled_locks.items():
        assert compiled == (ROOT / lock).read_text(encoding="utf-8"), (
            f"{lock} does not match its .in file: run make lock"
        )


#: 3.11.2 is Debian 12's Python, 3.12 Read the Docs', 3.13 Debian 13's.
SUPPORTED = [f"{PYTHON_MIN}.2", "3.12", "3.13", PYTHON_MAX]


@background(waits=True)
def lock_installs(tmp_path_factory) -> dict[tuple[str, str], subprocess.CompletedProcess]:
    """Each lock installed (dry run) for each supported Python, from wheels only (a
    minimal machine has no compiler): uv's answers, all asked at once."""
    tmp = tmp_path_factory.mktemp("installs")

    def install(python: str, lock: str) -> subprocess.CompletedProcess:
        command = [str(UV), "pip", "install", "--dry-run", "--require-hashes", "--quiet"]
        command += ["--python-version", python, "--python-platform", "x86_64-manylinux_2_36"]
        command += ["--only-binary", ":all:", "--target", str(tmp / python / lock), "-r", lock]
        return run(command, env=UV_ENV, check=False)

    asked = [(python, lock) for python in SUPPORTED for lock in LOCKS]
    with ThreadPoolExecutor(len(asked)) as pool:
        return dict(zip(asked, pool.map(lambda pair: install(*pair), asked), strict=True))


@pytest.mark.slow
@pytest.mark.parametrize("python", SUPPORTED, ids=lambda v: f"Python {v}")
def test_the_locks_resolve_to_wheels_for_every_supported_python(lock_installs, python):
    for lock in LOCKS:
        result = lock_installs[python, lock]
        assert result.returncode == 0, f"{lock} on Python {python}:\n{result.stdout}"
