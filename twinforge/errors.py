"""The one error type commands raise for bad input; the CLI prints it and exits non-zero."""


class UserError(Exception):
    """Something the user gave us is wrong; the message names the file, field or object."""
