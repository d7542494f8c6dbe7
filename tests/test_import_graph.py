"""The apps depend one way: home → forms → programs (DESIGN.md), all of them
on ``serving`` (the serving infrastructure, which imports none of them);
``webhooks`` on ``serving`` only; ``devtools`` (development only) on anything.

Every import in the apps' modules is read with ``ast`` (those inside functions
too, where a cycle likes to hide), so a wrong-way import fails here before it
becomes a cycle at start-up.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each app, and the apps it must not import.
CONTENT_APPS = {"home", "forms", "programs", "webhooks", "devtools", "cms"}
FORBIDDEN = {
    "serving": CONTENT_APPS,
    "webhooks": CONTENT_APPS - {"webhooks"},
    "programs": {"forms", "home", "webhooks", "devtools", "cms"},
    "forms": {"home", "webhooks", "devtools", "cms"},
    "home": {"devtools", "cms"},
    # Development only: may use any app, none may use it (production lacks it).
    "devtools": {"cms"},
}


def imported_modules(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                names.add(".".join([*base, *([node.module] if node.module else [])]))
            else:
                names.add(node.module)
    return names


def wrong_way_imports(app: str) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in FORBIDDEN[app]:
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("app", list(FORBIDDEN))
def test_the_apps_import_one_way(app):
    assert wrong_way_imports(app) == []


def test_a_wrong_way_import_is_found(tmp_path, monkeypatch):
    """The check itself: relative and in-function imports count too."""
    app = tmp_path / "programs"
    (app / "templatetags").mkdir(parents=True)
    (app / "templatetags" / "tags.py").write_text(
        "def tag():\n    from home.models import HomePage\n"
    )
    (app / "views.py").write_text("from ..forms import models\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)

    assert wrong_way_imports("programs") == [
        "programs/templatetags/tags.py imports home.models",
        "programs/views.py imports forms",
    ]
