"""The seed: SKR's published page, turned into the site's first pages.

``parser`` reads the text in ``data/`` into plain data; ``loader`` builds pages from
it without ever overwriting an editor's work; the ``load_seed_content`` command
puts the two together.
"""

from .loader import (
    CREATED,
    SKIPPED,
    UNCHANGED,
    SeedReport,
    ensure_object,
    ensure_page,
)
from .parser import (
    SEED_FILE,
    SeedContent,
    SeedFormatError,
    SeedProgram,
    load,
    parse,
    read_html,
)

__all__ = [
    "CREATED",
    "SEED_FILE",
    "SKIPPED",
    "UNCHANGED",
    "SeedContent",
    "SeedFormatError",
    "SeedProgram",
    "SeedReport",
    "ensure_object",
    "ensure_page",
    "load",
    "parse",
    "read_html",
]
