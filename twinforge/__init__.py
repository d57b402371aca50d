"""twinforge: executable digital-twin training corpora (prompt, layout sketch, FlexScript)."""

__version__ = "0.8.0"
