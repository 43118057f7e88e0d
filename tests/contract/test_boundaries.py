"""Architecture contracts: the public API, and I/O kept at the edges."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import parallax

SRC = Path(parallax.__file__).parent
PURE = ["stages", "pipeline", "crossdoc", "records.py", "ids.py", "contract.py"]
FORBIDDEN_IMPORTS = {
    "parallax.io", "parallax.store", "parallax.runners", "parallax.api", "parallax.cli",
    "parallax.report", "duckdb", "httpx", "dask", "socket", "requests", "urllib.request",
}


def pure_files() -> list[Path]:
    files: list[Path] = []
    for name in PURE:
        path = SRC / name
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def test_public_api_is_exactly_all():
    assert parallax.__all__ == sorted(parallax.__all__)
    for name in parallax.__all__:
        assert hasattr(parallax, name), name
    public = {n for n in vars(parallax) if not n.startswith("_")} - {
        "api", "errors", "records", "ids", "contract", "io", "stages", "pipeline", "crossdoc",
        "runners", "store", "schema", "report", "cli", "evaluation", "export", "query", "web",
    }
    assert public <= set(parallax.__all__)


def test_pure_modules_do_no_io():
    problems = []
    for path in pure_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS):
                    problems.append(f"{path.relative_to(SRC)} imports {name}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                problems.append(f"{path.relative_to(SRC)}:{node.lineno} calls open()")
    assert problems == []


def test_stages_declare_their_contract_and_pickle():
    from parallax.stages.clean import Cleaner, QualityFlagger
    from parallax.stages.extract import Extractor
    from parallax.stages.langid import LanguageDetector
    from parallax.stages.reader import ArticleReader

    for stage_type in (Extractor, Cleaner, LanguageDetector, QualityFlagger, ArticleReader):
        stage = stage_type()
        assert stage.name != "stage" and stage.version >= 1
        assert stage.provides, stage.name
        assert stage_type.__doc__
        clone = pickle.loads(pickle.dumps(stage))
        assert clone.fingerprint() == stage.fingerprint()


def test_cli_commands_have_help():
    from click.testing import CliRunner

    from parallax.cli import cli

    runner = CliRunner()
    for args in (["--help"], ["analyze", "--help"], ["eval", "--help"], ["serve", "--help"],
                 ["export", "--help"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def _imports(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    found: list[tuple[ast.AST, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node, node.module))
    return found


def test_dask_is_imported_lazily_and_only_by_runners():
    """Dask stays optional at import time: only runners/ import it, and only inside functions."""
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        for node, name in _imports(tree):
            if name.split(".")[0] not in {"dask", "distributed"}:
                continue
            where = path.relative_to(SRC)
            if where.parts[0] != "runners":
                problems.append(f"{where} imports {name}")
            elif id(node) in top_level:
                problems.append(f"{where} imports {name} at module level")
    assert problems == []


def test_importing_parallax_does_not_import_dask():
    import subprocess
    import sys

    code = ("import sys, parallax, parallax.cli, parallax.runners; "
            "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
