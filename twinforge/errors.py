"""The error types commands raise for bad input or bad data; the CLI prints them and exits 2."""


class UserError(Exception):
    """Something the user gave us is wrong; the message names the file, field or object."""


class CorruptCorpus(UserError):
    """A corpus is not what its manifest says (missing, foreign, damaged or incomplete shards)."""
