"""Views of a FactorySpec: FlexScript code, layout sketch, prompt. Renderers import only schemas
(and the leaf modules: errors, compiled)."""

from pathlib import Path

from twinforge.compiled import ensure_fresh

ensure_fresh(Path(__file__).parent)  # a compiled routine older than its .pyx must not run: fail the import, naming it
