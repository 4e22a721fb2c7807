"""The wheel as a user gets it: built from the committed sources, installed in a fresh virtual environment,
and run from a folder outside the source tree. Its German, Arabic and Chinese plans must carry their
language's fixed texts (title, footer, "Page 1 of N" as the .po translates them), not the English ones.

How the environment is made, and why it is honest and fast (about 10 s, against minutes for installing
PySide6 again): ``python -m venv --without-pip``; the wheel installed into it by this venv's pip
(``pip --python``); the DEPENDENCIES reached through one .pth file naming a folder of links to this
venv's installed distributions, the project's own files left out (its editable finder, its dist-info, its
top-level packages). A path in a .pth file is not a site folder, so no other .pth (the editable install's
hook) runs from there; ``pip check`` then proves the wheel's declared requirements are met by what is
visible, and every top-level module is shown to come from the new environment's site-packages.

The wheel is built from a copy of the files git would commit (tracked and new, not ignored), so no
``build/``, ``*.egg-info`` or compiled catalog of the working tree can leak into it, with this venv's
setuptools and no build isolation (offline; the isolated build is what ``pip install -e`` does in the set-up).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import unicodedata
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TOP_LEVEL = {"cli", "db", "desktop", "planning", "reports", "resources", "services", "translations"}
LOCALES = ("de", "ar", "zh_CN")
TITLE = "Treatment plan and cost estimate"
FOOTER = "Counseling information, not a medical decision."
PAGE = "Page {page} of {pages}"


@dataclass(frozen=True)
class Installed:
    wheel: Path
    venv: Path
    site: Path
    work: Path
    """A folder outside the source tree, where the installed commands run."""

    def bin(self, name: str) -> Path:
        return self.venv / ("Scripts" if os.name == "nt" else "bin") / name

    def env(self, **extra: str) -> dict[str, str]:
        """No PYTHON* and no CAREPLAN_* of the test run; a data and a cache folder of its own."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CAREPLAN_", "VIRTUAL_ENV"))}
        env.update(
            CAREPLAN_DATA_DIR=str(self.work / "data"),
            CAREPLAN_CACHE_DIR=str(self.work / "cache"),
            HOME=str(self.work),
            **extra,
        )
        return env

    def run(self, *command: str | Path, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(c) for c in command], cwd=self.work, env=self.env(**extra), capture_output=True, text=True, timeout=120
        )


def committed_sources(target: Path) -> Path:
    """The files git would commit (tracked or new, not ignored), copied to ``target``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is not copied
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def dependencies_only(into: Path) -> Path:
    """A folder of links to this environment's installed distributions, without the project itself."""
    into.mkdir()
    folders = {Path(sysconfig.get_paths()[kind]).resolve() for kind in ("purelib", "platlib")}
    for folder in folders:
        for entry in folder.iterdir():
            name = entry.name
            own = name.startswith(("__editable__", "careplan_desk")) or name.split(".")[0] in TOP_LEVEL
            if own or name.endswith(".pth") or name == "__pycache__" or (into / name).exists():
                continue
            (into / name).symlink_to(entry, target_is_directory=entry.is_dir())
    return into


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("the wheel is built from the files git would commit: needs git and the repository")
    base = tmp_path_factory.mktemp("wheel")
    source = committed_sources(base / "source")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    built = subprocess.run(
        [*pip, "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(base / "dist"), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, f"the wheel was not built (setuptools >= 77 in this venv?):\n{built.stderr[-3000:]}"
    (wheel,) = (base / "dist").glob("careplan_desk-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "_careplan_test_dependencies.pth").write_text(f"{dependencies_only(base / 'dependencies')}\n", "utf-8")
    install = subprocess.run(
        [*pip, "--python", str(python), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    work = base / "work"
    work.mkdir()
    return Installed(wheel, venv, site, work)


def test_the_wheel_holds_the_packages_the_catalog_sources_and_the_licence(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
    tops = {name.split("/")[0] for name in names}
    dist_info = {top for top in tops if top.endswith(".dist-info")}
    assert tops - dist_info == TOP_LEVEL  # nothing else: no tests, no stale build output
    (info,) = dist_info
    assert f"{info}/licenses/LICENSE" in names
    sources = {n for n in names if n.endswith(".po")}
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "translations").glob("*/LC_MESSAGES/careplan.po")}
    assert sources == on_disk
    assert "translations/careplan.pot" in names
    assert not [n for n in names if n.endswith((".mo", ".pyc"))]  # never a compiled catalog older than its .po


def test_the_declared_requirements_are_met_and_nothing_comes_from_the_source_tree(installed: Installed) -> None:
    check = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(installed.bin("python")), "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    where = installed.run(
        installed.bin("python"),
        "-c",
        "import json, importlib, importlib.metadata as m;"
        f"print(json.dumps({{n: importlib.import_module(n).__file__ for n in {sorted(TOP_LEVEL)!r}}}));"
        "print(m.distribution('careplan-desk').locate_file(''))",
    )
    assert where.returncode == 0, where.stderr
    files, distribution = where.stdout.splitlines()
    site = installed.site.resolve()
    for name, file in json.loads(files).items():
        assert Path(file).resolve().is_relative_to(site), (name, file)
        assert not Path(file).resolve().is_relative_to(ROOT), (name, file)
    assert Path(distribution).resolve() == site


def translated(locale: str, msgid: str) -> str:
    """A fixed text of the plan as the .po of ``locale`` translates it."""
    with (Path(str(resources.files("translations"))) / locale / "LC_MESSAGES" / "careplan.po").open("rb") as handle:
        message = read_po(handle, locale=locale).get(msgid)
    assert message is not None and message.string and not message.fuzzy, (locale, msgid)
    return str(message.string)


def readable(text: str) -> str:
    """Text as compared: Arabic presentation forms folded to letters, no vowel marks (the shaping drops
    them), no direction marks, no spaces."""
    text = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", unicodedata.normalize("NFKC", text))
    return "".join(c for c in re.sub(r"\s+", "", text) if unicodedata.category(c) != "Mn")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_installed_command_writes_a_plan_with_the_fixed_texts_of_its_language(
    installed: Installed, locale: str
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is needed to read the plan back")
    from pypdf import PdfReader

    samples = json.loads((ROOT / "resources" / "samples" / "sample_cases.json").read_text("utf-8"))
    case = installed.work / "case.json"
    case.write_text(json.dumps(samples[0], ensure_ascii=False), "utf-8")
    target = installed.work / f"plan-{locale}.pdf"
    result = installed.run(installed.bin("careplan"), "plan", case, "-o", target, "--locale", locale)
    assert result.returncode == 0, result.stderr
    assert f"Wrote {target}" in result.stdout and "Traceback" not in result.stderr
    pages = len(PdfReader(target).pages)
    text = readable(subprocess.run(["pdftotext", target, "-"], capture_output=True, text=True, check=True).stdout)
    for whole in (translated(locale, TITLE), translated(locale, PAGE).format(page=1, pages=pages)):
        assert readable(whole) in text, (locale, whole)
    # the footer word by word: poppler reads a right-to-left line with punctuation in another word order
    for word in translated(locale, FOOTER).split():
        assert readable(word.strip("،.,;")) in text, (locale, word)
    for english in (TITLE, FOOTER, PAGE.format(page=1, pages=pages)):
        assert readable(english) not in text, (locale, english)
    # compiled from the installed .po into this run's cache folder: the wheel carries no .mo
    assert list((installed.work / "cache" / "catalogs").glob(f"{locale}-*.mo"))


def test_a_missing_catalog_is_one_clear_line_and_no_plan(installed: Installed) -> None:
    samples = json.loads((ROOT / "resources" / "samples" / "sample_cases.json").read_text("utf-8"))
    case = installed.work / "case.json"
    case.write_text(json.dumps(samples[0], ensure_ascii=False), "utf-8")
    po = installed.site / "translations" / "de" / "LC_MESSAGES" / "careplan.po"
    hidden = po.with_name("careplan.po.hidden")
    target = installed.work / "no-plan.pdf"
    po.rename(hidden)
    try:
        result = installed.run(installed.bin("careplan"), "plan", case, "-o", target, "--locale", "de")
    finally:
        hidden.rename(po)
    assert result.returncode == 1
    wanted = f"error: The German catalog is missing ({po}): reinstall CarePlan Desk."
    assert result.stderr.strip() == wanted, result.stderr
    assert not target.exists()


def test_the_installed_gui_starts_offscreen_and_quits(installed: Installed) -> None:
    result = installed.run(installed.bin("careplan-desk"), CAREPLAN_EXIT_WHEN_READY="1", QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready "), result.stdout + result.stderr
    assert "Traceback" not in result.stderr
