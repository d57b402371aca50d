"""The ``twinforge`` command: parses arguments and calls the library. No logic lives here.

Exit codes: 0 success; 1 a check failed (coverage gaps, a script that is not executable, a spec
or prompt with problems); 2 bad input or corrupt data (the message names the file, field or
shard); 130 interrupted (a generate run resumes with the same command).
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from twinforge import __version__
from twinforge.errors import UserError
from twinforge.schemas import SpecError, canonical_json

Handler = Callable[[argparse.Namespace], int]
EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
DESCRIPTION = """Generate executable digital-twin training corpora (prompt, layout sketch, FlexScript),
and read, split, check, export and score them.

exit codes: 0 ok, 1 a check failed, 2 bad input or corrupt data, 130 interrupted"""


def _print_json_line(record: object) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def _out_path(out_dir: str | None, label: str, suffix: str, index: int) -> Path:
    """Output path for the ``index``-th spec of a multi-spec input."""
    stem = Path(label.split(":")[0]).stem
    return Path(out_dir or ".") / f"{stem}-{index:05d}{suffix}"


def _progress(total: int | None, label: str, enabled: bool) -> Any:
    """A progress bar on stderr for long runs (shown only when asked for and there is enough work)."""
    from tqdm import tqdm

    return tqdm(total=total, desc=label, unit="item", file=sys.stderr, dynamic_ncols=True,
                disable=not enabled or (total is not None and total < 2))


def _storage_options(args: argparse.Namespace) -> dict[str, Any]:
    """``--storage-option KEY=VALUE`` pairs (a VALUE that parses as JSON is taken as JSON)."""
    options: dict[str, Any] = {}
    for pair in args.storage_option:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"--storage-option {pair!r}: expected KEY=VALUE")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options


def _location(args: argparse.Namespace, where: str) -> Any:
    """A corpus path or URL with the command line's storage options."""
    from twinforge.pipeline.storage import Location

    return Location.of(where, _storage_options(args))


def _open(args: argparse.Namespace) -> Any:
    from twinforge.pipeline.corpus import open_corpus

    return open_corpus(_location(args, args.corpus), verify=not args.no_verify)


def _writable_file(path: str, flag: str) -> Path:
    """``path`` if a file can be written there (checked before any work), else ``UserError``."""
    target = Path(path)
    if target.is_dir():
        raise UserError(f"{flag} {target}: is a folder; give a file name")
    if not target.parent.is_dir():
        raise UserError(f"{flag} {target}: folder {target.parent} does not exist")
    return target


# ---------------------------------------------------------------- factory specs
def _load_specs(paths: list[str]) -> list:
    from twinforge.families.factory.spec_files import load_specs

    specs = load_specs(paths)
    if not specs:
        raise UserError(f"{', '.join(paths)}: holds no spec")
    return specs


def cmd_sample(args: argparse.Namespace) -> int:
    from twinforge.families.factory.sampler import sample_specs

    if args.seed < 0:
        raise UserError(f"--seed must be >= 0, got {args.seed}")
    filters = {"industry": args.industry, "automation": args.automation, "layout": args.layout,
               "line_type": args.line_type}
    for spec in sample_specs(args.count, args.seed, {k: v for k, v in filters.items() if v}):
        sys.stdout.write(canonical_json(spec) + "\n")
    return EXIT_OK


def cmd_check_spec(args: argparse.Namespace) -> int:
    from twinforge.families.factory.spec_files import spec_problems

    failed = seen = 0
    for path in args.files:
        try:
            results = spec_problems(path)
        except UserError as error:
            print(f"{error}", file=sys.stderr)
            failed += 1
            continue
        if not results:
            print(f"{path}: holds no spec", file=sys.stderr)
            failed += 1
        for label, problems in results:
            seen += 1
            if problems:
                failed += 1
                print(f"{label}: {problems[0]}", file=sys.stderr)
            else:
                print(f"{label}: ok")
    return EXIT_CHECK_FAILED if failed else EXIT_OK


def cmd_fit(args: argparse.Namespace) -> int:
    from twinforge.distributions.fitting import fit_file

    _print_json_line(fit_file(args.data, column=args.column, role=args.role))
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from twinforge.renderers.flexscript import render_flexscript

    specs = _load_specs(args.specs)
    if len(specs) == 1 and not args.out_dir:
        sys.stdout.write(render_flexscript(specs[0][1], args.style))
        return EXIT_OK
    with _progress(len(specs), "render", not args.quiet) as bar:
        for index, (label, spec) in enumerate(specs):
            path = _out_path(args.out_dir, label, ".fs", index)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render_flexscript(spec, args.style), encoding="utf-8")
            print(path)
            bar.update()
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from twinforge.execution import validate_file

    all_ok = True
    for path in args.files:
        record = validate_file(path)
        all_ok &= record["outcome"] == "ok"
        _print_json_line(record)
        if record["outcome"] == "unsupported":
            print(f"{path}: not judged: the script uses what twinforge's check does not implement, which is not "
                  f"an error of the script: {record['message']}", file=sys.stderr)
    return EXIT_OK if all_ok else EXIT_CHECK_FAILED


def cmd_sketch(args: argparse.Namespace) -> int:
    from twinforge.renderers.sketch import parse_size, render_sketch_svg, svg_to_png

    specs = _load_specs(args.specs)
    size = parse_size(args.size)
    single = len(specs) == 1 and not args.out_dir
    if not single and (args.out or args.png):
        raise UserError(f"--out and --png name one file, but {len(specs)} specs were given; use --out-dir")
    with _progress(len(specs), "sketch", not args.quiet and not single) as bar:
        for index, (label, spec) in enumerate(specs):
            svg = render_sketch_svg(spec, style=args.style, seed=args.seed, size=size)
            svg_path = Path(args.out) if single and args.out else _out_path(args.out_dir, label, ".svg", index)
            svg_path.parent.mkdir(parents=True, exist_ok=True)
            svg_path.write_text(svg, encoding="utf-8")
            print(svg_path)
            if args.png or not single:
                png_path = Path(args.png) if single and args.png else svg_path.with_suffix(".png")
                png_path.write_bytes(svg_to_png(svg, size))
                print(png_path)
            bar.update()
    return EXIT_OK


def cmd_prompt(args: argparse.Namespace) -> int:
    from twinforge.renderers.prompt import check_fidelity, draft_prompt_for_seed

    failed = False
    specs = _load_specs(args.specs)
    with _progress(len(specs), "prompt", not args.quiet) as bar:
        for index, (label, spec) in enumerate(specs):
            text = draft_prompt_for_seed(spec, args.mode, args.seed, index, code_style=args.code_style)
            if len(specs) > 1:
                print(f"# {label}")
            print(text)
            if args.check:
                problems = check_fidelity(text, spec, args.mode, code_style=args.code_style)
                for problem in problems:
                    print(f"{label}: fidelity: {problem}", file=sys.stderr)
                failed |= bool(problems)
            bar.update()
    return EXIT_CHECK_FAILED if failed else EXIT_OK


# ---------------------------------------------------------------- corpus pipeline
def cmd_generate(args: argparse.Namespace) -> int:
    from twinforge.pipeline.generate import generate_corpus

    print(generate_corpus(args.recipe, n=args.n, out=args.out, workers=args.workers, scheduler=args.scheduler,
                          resume=not args.no_resume, progress=not args.quiet, reuse=args.reuse,
                          storage_options=_storage_options(args)))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from twinforge.pipeline.verify import verify_corpus

    report = verify_corpus(_location(args, args.corpus))
    print(report.table())
    return EXIT_OK if report.ok else EXIT_BAD_INPUT


def cmd_dedup(args: argparse.Namespace) -> int:
    from twinforge.pipeline.dedup import dedup_corpus

    corpus = _open(args)
    with _progress(None, "dedup", not args.quiet) as bar:
        summary = dedup_corpus(corpus, threshold=args.threshold, progress=bar.update)
    print(summary)
    return EXIT_OK


def cmd_split(args: argparse.Namespace) -> int:
    from twinforge.pipeline.splits import split_corpus

    print(split_corpus(_open(args), strategy=args.strategy))
    return EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    from twinforge.pipeline.coverage import coverage_report

    report = coverage_report(_open(args), min_count=args.min_count)
    print(report.table())
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED


def cmd_card(args: argparse.Namespace) -> int:
    from twinforge.pipeline.card import write_card

    print(write_card(_open(args)))
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from twinforge.pipeline.show import show_sample

    print(show_sample(_open(args), args.sample_id, files_out=args.sketch_out))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from twinforge.pipeline.export import export_corpus

    print(export_corpus(_open(args), fmt=args.format, out=args.out, split=args.split, overwrite=args.overwrite))
    return EXIT_OK


def cmd_eval(args: argparse.Namespace) -> int:
    from twinforge.pipeline.evaluate import evaluate_predictions

    json_path = _writable_file(args.json, "--json") if args.json else None
    corpus = _open(args)
    with _progress(None, "eval", not args.quiet) as bar:
        report = evaluate_predictions(args.pred, corpus, split=args.split, mode=args.mode, workers=args.workers,
                                      on_progress=bar.update)
    print(report.table())
    if json_path:
        from twinforge.pipeline.atomic import write_json_atomically

        write_json_atomically(json_path, report.to_json())
    return EXIT_OK


def cmd_grammar(args: argparse.Namespace) -> int:
    from twinforge.families import load_family

    hook = load_family(args.family).declaration.grammar
    if hook is None:
        raise UserError(f"--family {args.family}: has no grammar")
    sys.stdout.write(hook(args.format, args.category, args.values))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from twinforge.pipeline.review import build_site

    with _progress(None, "review", not args.quiet) as bar:
        print(build_site(_open(args), args.out, split=args.split, where=args.where, sample=args.sample,
                         seed=args.seed, overwrite=args.overwrite, progress=bar.update))
    return EXIT_OK


def cmd_apply_edits(args: argparse.Namespace) -> int:
    from twinforge.pipeline.edits import apply_edits

    report = apply_edits(_open(args), args.edits)
    print(report.table())
    return EXIT_OK if report.ok else EXIT_CHECK_FAILED


# ---------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twinforge", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"twinforge {__version__}")
    parser.add_argument("--storage-option", action="append", default=[], metavar="KEY=VALUE",
                        help="an fsspec storage option for corpus URLs (s3://, gs://, ...), e.g. "
                             "endpoint_url=http://127.0.0.1:9000; repeatable; never written to the manifest")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text,
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
        command.set_defaults(handler=handler)
        return command

    def corpus_argument(command: argparse.ArgumentParser) -> None:
        command.add_argument("corpus", help="corpus folder or fsspec URL (with manifest.json)")
        command.add_argument("--no-verify", action="store_true",
                             help="skip each shard's SHA-256 check (trusted speed runs; the shard set is still checked)")

    p = add("sample", cmd_sample, "print sampled factory specs as JSON lines")
    p.add_argument("--count", type=int, default=10, help="how many specs")
    p.add_argument("--seed", type=int, default=0, help="seed (>= 0)")
    p.add_argument("--industry", help="only this industry (e.g. semiconductor)")
    p.add_argument("--automation", help="manual | operator | robot | agv | task_executer")
    p.add_argument("--layout", help="linear | u_shaped | parallel | conveyor")
    p.add_argument("--line-type", dest="line_type", help="workstation | conveyor")

    p = add("check-spec", cmd_check_spec, "validate spec files (.json or .jsonl); exit 1 on any problem")
    p.add_argument("files", nargs="+")

    p = add("fit", cmd_fit, "fit the best distribution family to observations in a CSV file")
    p.add_argument("data")
    p.add_argument("--column", help="CSV column (default: the first numeric one)")
    p.add_argument("--role", choices=["arrival", "service"], default="service", help="which families to try")

    p = add("render", cmd_render, "render specs to FlexScript")
    p.add_argument("specs", nargs="+")
    p.add_argument("--style", choices=["explicit", "loop"], default="explicit", help="code style")
    p.add_argument("--out-dir", help="folder for one .fs file per spec (default: stdout for one spec)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("validate", cmd_validate, "run twinforge's executable check on FlexScript files (not FlexSim); "
                                      "exit 1 unless all are executable (an 'unsupported' file, which the "
                                      "check cannot judge, also exits 1 and says why on stderr)")
    p.add_argument("files", nargs="+")

    p = add("sketch", cmd_sketch, "draw layout sketches (SVG, optional PNG)")
    p.add_argument("specs", nargs="+")
    p.add_argument("--out", help="SVG file for a single spec")
    p.add_argument("--png", help="PNG file for a single spec")
    p.add_argument("--size", default="768x768", help="PNG size WxH (square: a CLIP centre crop keeps all)")
    p.add_argument("--style", choices=["clean", "hand"], default="clean", help="drawing style")
    p.add_argument("--seed", type=int, default=0, help="seed of the hand style's jitter")
    p.add_argument("--out-dir", help="folder for one SVG and PNG per spec")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("prompt", cmd_prompt, "draft prompts for specs with the offline drafter")
    p.add_argument("specs", nargs="+")
    p.add_argument("--mode", choices=["text", "sketch"], default="text", help="prompt mode")
    p.add_argument("--code-style", choices=["explicit", "loop"], help="state this FlexScript style in the prompt")
    p.add_argument("--seed", type=int, default=0, help="seed of the wording")
    p.add_argument("--check", action="store_true", help="print fidelity problems; exit 1 if any")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("generate", cmd_generate, "generate a corpus from a recipe (resumes a killed run)")
    p.add_argument("recipe", help="recipe TOML file")
    p.add_argument("--n", type=int, help="override the recipe's sample count")
    p.add_argument("--out", help="output folder or fsspec URL, e.g. s3://bucket/prefix "
                                 "(default outputs/<recipe name>)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--workers", type=int, help="local worker processes (default: one per CPU)")
    group.add_argument("--scheduler", help="address of a dask.distributed scheduler")
    p.add_argument("--no-resume", action="store_true", help="regenerate finished shards too")
    p.add_argument("--reuse", metavar="DIR", help="a previous corpus of this recipe: copy the stages whose inputs "
                                                  "and versions did not change (e.g. the check after a prompt change)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("verify", cmd_verify, "check a corpus against its manifest: shards, hashes, derived outputs; "
                                  "exit 2 on any problem")
    p.add_argument("corpus", help="corpus folder or fsspec URL (with manifest.json)")

    p = add("dedup", cmd_dedup, "find exact and near duplicates across all shards")
    corpus_argument(p)
    p.add_argument("--threshold", type=float, help="Jaccard threshold (default: the recipe's)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("split", cmd_split, "cut train/val/test splits")
    corpus_argument(p)
    p.add_argument("--strategy", default="grouped", help="random | grouped | ood:<key>=<value>")

    p = add("coverage", cmd_coverage, "check that every layer value, pair and family role is covered; "
                                      "exit 1 on any gap")
    corpus_argument(p)
    p.add_argument("--min-count", type=int, help="samples each value needs (default: the recipe's)")

    p = add("card", cmd_card, "write the dataset card with figures")
    corpus_argument(p)

    p = add("show", cmd_show, "print one sample and write its files (e.g. the sketch)")
    corpus_argument(p)
    p.add_argument("sample_id")
    p.add_argument("--sketch-out", help="base name of the written files (default: <sample_id>.<suffix>)")

    p = add("export", cmd_export, "export a corpus to training formats")
    corpus_argument(p)
    p.add_argument("--format", choices=["gdt-vlsm", "jsonl", "hf"], required=True, help="output format")
    p.add_argument("--out", required=True, help="output folder (must be empty or new)")
    p.add_argument("--split", default="all", choices=["all", "train", "val", "test"], help="which split")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty --out")

    p = add("grammar", cmd_grammar, "print a constrained-decoding grammar of a family's responses to stdout")
    p.add_argument("--family", required=True, help="corpus family (e.g. gene)")
    p.add_argument("--category", help="only this category (default: all)")
    p.add_argument("--format", required=True, choices=["lark", "gbnf", "json-schema", "regex"], help="grammar format")
    p.add_argument("--values", default="float", choices=["float", "release", "paper"],
                   help="how values are written: floats, release float tokens (2048-3071) or paper indices (0-1023)")

    p = add("review", cmd_review, "write a static review site (grid, a page per sample, prompt edits and flags "
                                  "kept in the browser); open OUT/index.html from disk")
    corpus_argument(p)
    p.add_argument("--out", required=True, help="site folder (must be empty or new)")
    p.add_argument("--split", default="all", choices=["all", "train", "val", "test"], help="which split")
    p.add_argument("--sample", type=int, help="show this many samples, drawn at random (seeded)")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample")
    p.add_argument("--where", help='keep rows matching e.g. \'industry == semiconductor and n_machines >= 3\'')
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty --out")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("apply-edits", cmd_apply_edits, "check reviewers' edits (a review site's JSONL) and apply the good "
                                            "ones as an overlay; exit 1 if any line is refused or malformed")
    corpus_argument(p)
    p.add_argument("edits", help="edits file (.jsonl) downloaded from the review site")

    p = add("eval", cmd_eval, "score predictions against a corpus (factory: SVR, PMR, ESR, BLEU-4; "
                              "gene: Concept Accuracy, Float Error, Chamfer distance, F-score)")
    p.add_argument("--pred", required=True, help="predictions (.jsonl or .parquet with sample_id and the "
                                                 "family's response: code for factory, gene for gene)")
    p.add_argument("--corpus", required=True, help="corpus folder or fsspec URL (with manifest.json)")
    p.add_argument("--no-verify", action="store_true", help="skip each shard's SHA-256 check")
    p.add_argument("--split", default="test", choices=["test", "val", "train", "all"], help="which split")
    p.add_argument("--mode", default="both", choices=["textual", "executed", "both"],
                   help="how to read predicted FlexScript (factory; a gene is always built and aligned)")
    p.add_argument("--json", help="also write the full report here")
    p.add_argument("--workers", type=int, default=1, help="score in this many processes (same results)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


@contextmanager
def _errors(command: str) -> Iterator[list[int]]:
    """Turn every expected failure into one line on stderr and an exit code (never a traceback)."""
    code = [EXIT_OK]

    def fail(message: str, status: int) -> None:
        print(f"twinforge {command}: error: {message}", file=sys.stderr)
        code[0] = status

    try:
        yield code
    except (UserError, SpecError) as error:
        fail(str(error), EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        again = "; resume with the same command" if command == "generate" else ""
        fail(f"interrupted{again}", EXIT_INTERRUPTED)
    except BrokenPipeError:
        code[0] = EXIT_OK
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        reason = {errno.ENOSPC: "the disk is full", errno.EACCES: "permission denied",
                  errno.EROFS: "read-only file system"}.get(error.errno or 0, error.strerror or str(error))
        fail(f"{where}{reason}", EXIT_BAD_INPUT)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="twinforge: %(message)s")
    args = build_parser().parse_args(argv)
    with _errors(args.command) as code:
        code[0] = args.handler(args)
    return code[0]


if __name__ == "__main__":
    sys.exit(main())
