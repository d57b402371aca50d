"""The ``twinforge`` command: parses arguments and calls the library. No logic lives here."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from twinforge.errors import UserError
from twinforge.schemas import SpecError, canonical_json

Handler = Callable[[argparse.Namespace], int]


def _print_json_line(record: object) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")


def _out_path(out_dir: str | None, label: str, suffix: str, index: int) -> Path:
    """Output path for the ``index``-th spec of a multi-spec input."""
    stem = Path(label.split(":")[0]).stem
    return Path(out_dir or ".") / f"{stem}-{index:05d}{suffix}"


# ---------------------------------------------------------------- foundation (schema, sampler)
def cmd_sample(args: argparse.Namespace) -> int:
    from twinforge.pipeline.sampler import sample_specs

    filters = {
        "industry": args.industry, "automation": args.automation,
        "layout": args.layout, "line_type": args.line_type,
    }
    for spec in sample_specs(args.count, args.seed, {k: v for k, v in filters.items() if v}):
        sys.stdout.write(canonical_json(spec) + "\n")
    return 0


def cmd_check_spec(args: argparse.Namespace) -> int:
    from twinforge.pipeline.spec_files import read_spec_data
    from twinforge.schemas import load_spec

    failed = 0
    for path in args.files:
        try:
            for label, data in read_spec_data(path):
                try:
                    load_spec(data)
                    print(f"{label}: ok")
                except SpecError as error:
                    failed += 1
                    print(f"{label}: {error.problems[0]}", file=sys.stderr)
        except UserError as error:
            print(f"{error}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


def cmd_fit(args: argparse.Namespace) -> int:
    from twinforge.distributions.fitting import fit_file

    report = fit_file(args.data, column=args.column, role=args.role)
    _print_json_line(report)
    return 0


# ---------------------------------------------------------------- FlexScript and the executable check
def cmd_render(args: argparse.Namespace) -> int:
    from twinforge.pipeline.spec_files import load_specs
    from twinforge.renderers.flexscript import render_flexscript

    specs = load_specs(args.specs)
    if len(specs) == 1 and not args.out_dir:
        sys.stdout.write(render_flexscript(specs[0][1], args.style))
        return 0
    for index, (label, spec) in enumerate(specs):
        path = _out_path(args.out_dir, label, ".fs", index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_flexscript(spec, args.style), encoding="utf-8")
        print(path)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from twinforge.execution import validate_file

    all_ok = True
    for path in args.files:
        record = validate_file(path)
        all_ok &= record["outcome"] == "ok"
        _print_json_line(record)
    return 0 if all_ok else 1


# ---------------------------------------------------------------- sketches
def cmd_sketch(args: argparse.Namespace) -> int:
    from twinforge.pipeline.spec_files import load_specs
    from twinforge.renderers.sketch import parse_size, render_sketch_svg, svg_to_png

    specs = load_specs(args.specs)
    size = parse_size(args.size)
    for index, (label, spec) in enumerate(specs):
        svg = render_sketch_svg(spec, style=args.style, seed=args.seed, size=size)
        single = len(specs) == 1 and not args.out_dir
        svg_path = Path(args.out) if single and args.out else _out_path(args.out_dir, label, ".svg", index)
        svg_path.parent.mkdir(parents=True, exist_ok=True)
        svg_path.write_text(svg, encoding="utf-8")
        print(svg_path)
        if args.png or not single:
            png_path = Path(args.png) if single and args.png else svg_path.with_suffix(".png")
            png_path.write_bytes(svg_to_png(svg, size))
            print(png_path)
    return 0


# ---------------------------------------------------------------- prompts
def cmd_prompt(args: argparse.Namespace) -> int:
    from twinforge.pipeline.spec_files import load_specs
    from twinforge.renderers.prompt import check_fidelity, draft_prompt_for_seed

    failed = False
    for index, (label, spec) in enumerate(load_specs(args.specs)):
        text = draft_prompt_for_seed(spec, args.mode, args.seed, index)
        if len(args.specs) > 1 or label.count(":"):
            print(f"# {label}")
        print(text)
        if args.check:
            problems = check_fidelity(text, spec, args.mode)
            for problem in problems:
                print(f"{label}: fidelity: {problem}", file=sys.stderr)
            failed |= bool(problems)
    return 1 if failed else 0


# ---------------------------------------------------------------- corpus pipeline
def cmd_generate(args: argparse.Namespace) -> int:
    from twinforge.pipeline.generate import generate_corpus

    print(generate_corpus(
        args.recipe, n=args.n, out=args.out, workers=args.workers,
        scheduler=args.scheduler, resume=not args.no_resume, progress=not args.quiet,
    ))
    return 0


def cmd_dedup(args: argparse.Namespace) -> int:
    from twinforge.pipeline.dedup import dedup_corpus

    print(dedup_corpus(args.corpus, threshold=args.threshold))
    return 0


def cmd_split(args: argparse.Namespace) -> int:
    from twinforge.pipeline.splits import split_corpus

    print(split_corpus(args.corpus, strategy=args.strategy))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from twinforge.pipeline.coverage import coverage_report

    report = coverage_report(args.corpus, min_count=args.min_count)
    print(report.table())
    return 0 if report.ok else 1


def cmd_card(args: argparse.Namespace) -> int:
    from twinforge.pipeline.card import write_card

    print(write_card(args.corpus))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from twinforge.pipeline.show import show_sample

    print(show_sample(args.corpus, args.sample_id, sketch_out=args.sketch_out))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from twinforge.pipeline.export import export_corpus

    print(export_corpus(args.corpus, fmt=args.format, out=args.out, split=args.split))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from twinforge.metrics.evaluate import evaluate_predictions

    if args.workers < 1:
        raise UserError(f"--workers must be at least 1, got {args.workers}")
    report = evaluate_predictions(args.pred, args.corpus, split=args.split, mode=args.mode, workers=args.workers)
    print(report.table())
    if args.json:
        Path(args.json).write_text(json.dumps(report.to_json(), indent=2, sort_keys=True), encoding="utf-8")
    return 0


# ---------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twinforge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    p = add("sample", cmd_sample, "print sampled factory specs as JSON lines")
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--industry")
    p.add_argument("--automation")
    p.add_argument("--layout")
    p.add_argument("--line-type", dest="line_type")

    p = add("check-spec", cmd_check_spec, "validate spec files (.json or .jsonl); non-zero exit on any problem")
    p.add_argument("files", nargs="+")

    p = add("fit", cmd_fit, "fit the best distribution family to observations in a CSV file")
    p.add_argument("data")
    p.add_argument("--column", help="CSV column (default: the first numeric one)")
    p.add_argument("--role", choices=["arrival", "service"], default="service")

    p = add("render", cmd_render, "render specs to FlexScript")
    p.add_argument("specs", nargs="+")
    p.add_argument("--style", choices=["explicit", "loop"], default="explicit")
    p.add_argument("--out-dir")

    p = add("validate", cmd_validate, "run twinforge's executable check on FlexScript files (not FlexSim)")
    p.add_argument("files", nargs="+")

    p = add("sketch", cmd_sketch, "draw layout sketches (SVG, optional PNG)")
    p.add_argument("specs", nargs="+")
    p.add_argument("--out")
    p.add_argument("--png")
    p.add_argument("--size", default="768x384")
    p.add_argument("--style", choices=["clean", "hand"], default="clean")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out-dir")

    p = add("prompt", cmd_prompt, "draft prompts for specs with the offline drafter")
    p.add_argument("specs", nargs="+")
    p.add_argument("--mode", choices=["text", "sketch"], default="text")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--check", action="store_true", help="print fidelity problems; exit 1 if any")

    p = add("generate", cmd_generate, "generate a corpus from a recipe")
    p.add_argument("recipe")
    p.add_argument("--n", type=int, help="override the recipe's sample count")
    p.add_argument("--out", help="output directory (default outputs/<recipe name>)")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--workers", type=int)
    group.add_argument("--scheduler", help="address of a dask.distributed scheduler")
    p.add_argument("--no-resume", action="store_true", help="regenerate finished shards too")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = add("dedup", cmd_dedup, "find exact and near duplicates across all shards")
    p.add_argument("corpus")
    p.add_argument("--threshold", type=float, help="Jaccard threshold (default: the recipe's)")

    p = add("split", cmd_split, "cut train/val/test splits")
    p.add_argument("corpus")
    p.add_argument("--strategy", default="grouped", help="random | grouped | ood:<layer>=<value>")

    p = add("coverage", cmd_coverage, "check that every layer value, pair and family role is covered")
    p.add_argument("corpus")
    p.add_argument("--min-count", type=int, default=1)

    p = add("card", cmd_card, "write the dataset card with figures")
    p.add_argument("corpus")

    p = add("show", cmd_show, "print one sample and write its sketch")
    p.add_argument("corpus")
    p.add_argument("sample_id")
    p.add_argument("--sketch-out", help="where to write the sketch (default <sample_id>.svg)")

    p = add("export", cmd_export, "export a corpus to training formats")
    p.add_argument("corpus")
    p.add_argument("--format", choices=["gdt-vlsm", "jsonl", "hf"], required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--split", default="all", help="train | val | test | all")

    p = add("eval", cmd_eval, "score predictions against a corpus (SVR, PMR, ESR, BLEU-4)")
    p.add_argument("--pred", required=True)
    p.add_argument("--corpus", required=True)
    p.add_argument("--split", default="test", choices=["test", "val", "train", "all"])
    p.add_argument("--mode", default="both", choices=["textual", "executed", "both"])
    p.add_argument("--json")
    p.add_argument("--workers", type=int, default=1, help="score in this many processes (same results)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (UserError, SpecError) as error:
        print(f"twinforge {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
