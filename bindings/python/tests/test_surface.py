"""The binding reaches every C function, documents every public name, and loads
the library it should: HOTLINE_LIBRARY first, else the copy pip bundled."""
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import hotline
from hotline import _native

ROOT = Path(__file__).resolve().parents[3]
HEADERS = ROOT / "capi" / "include"
PACKAGE = Path(hotline.__file__).resolve().parent


def exported_functions():
    names = []
    for header in sorted(HEADERS.rglob("*.h")):
        names += re.findall(r"HL_API\s+[^;(]*?\b(hl_\w+)\s*\(", header.read_text())
    return names


def test_every_exported_c_function_is_declared_and_called():
    exported = exported_functions()
    assert len(exported) > 70, "the header scan found the C ABI"
    declared = set(_native.SIGNATURES)
    assert [n for n in exported if n not in declared] == []
    assert [n for n in declared if n not in exported] == [], "declared but not exported"
    sources = "".join(p.read_text() for p in PACKAGE.glob("*.py") if p.name != "_native.py")
    sources += (PACKAGE / "_native.py").read_text().split("SIGNATURES: Dict")[1].split(
        "for _name, (_restype")[1]
    uncalled = [n for n in exported if f"lib.{n}(" not in sources and f"lib.{n}," not in sources]
    assert uncalled == []


def public_members():
    for name in hotline.__all__:
        obj = getattr(hotline, name)
        yield name, obj
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if callable(member) or isinstance(member, (staticmethod, classmethod)):
                    if not attr.startswith("_") or attr in ("__init__", "__enter__",
                                                            "__exit__"):
                        yield f"{name}.{attr}", member


def test_every_public_class_and_method_has_a_docstring():
    missing = []
    for name, obj in public_members():
        fn = obj.__func__ if isinstance(obj, (staticmethod, classmethod)) else obj
        if not (getattr(fn, "__doc__", None) or "").strip():
            missing.append(name)
    assert missing == []


def load_in_subprocess(env):
    code = "import hotline; print(hotline.library_path()); print(hotline.version())"
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                         capture_output=True, text=True, cwd="/").stdout.split()
    return out[0], out[1]


def test_hotline_library_overrides_the_bundled_copy(tmp_path):
    copy = tmp_path / "libhotline-elsewhere.so"
    shutil.copy(hotline.library_path(), copy)
    env = dict(os.environ, HOTLINE_LIBRARY=str(copy))
    path, version = load_in_subprocess(env)
    assert path == str(copy) and version == hotline.version()


def test_a_pip_installed_package_loads_its_bundled_library():
    bundled = sorted(PACKAGE.glob("libhotline.so*"))
    if not bundled:
        pytest.skip("this copy of the package was not built by pip (no bundled library)")
    env = {k: v for k, v in os.environ.items() if k != "HOTLINE_LIBRARY"}
    path, _ = load_in_subprocess(env)
    assert Path(path).parent == PACKAGE


def test_a_missing_override_is_an_error_not_a_fallback(tmp_path):
    env = dict(os.environ, HOTLINE_LIBRARY=str(tmp_path / "nothing-here.so"))
    code = "import hotline"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, cwd="/")
    assert result.returncode != 0 and "nothing-here.so" in result.stderr
