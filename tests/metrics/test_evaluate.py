"""`twinforge eval` on a tiny corpus: scores, prediction-file problems, table and JSON report."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.metrics.corpus_fixture import REFERENCE, row, spec_data, write_corpus
from twinforge.cli import main
from twinforge.errors import UserError
from twinforge.execution import simulated_model
from twinforge.metrics.bleu import bleu_scores
from twinforge.metrics.evaluate import FlexScriptEvaluator
from twinforge.pipeline.corpus import open_corpus
from twinforge.pipeline.evaluate import evaluate_predictions
from twinforge.schemas import load_spec

PREDICTIONS = {
    "s-perfect": REFERENCE,
    "s-missing-conn": REFERENCE.replace('contextdragconnection(q, m, "A");\n', ""),
    "s-exp10": REFERENCE.replace("exponential(0, 15,", "exponential(0, 10,"),
    "s-broken": REFERENCE.split("contextdragconnection")[0] + "contextdragconnection(src, q",
}
TEST_IDS = [*PREDICTIONS, "s-nopred"]


@pytest.fixture
def corpus(tmp_path):
    rows = [row(sample_id, i, industry="food_processing" if sample_id == "s-broken" else "photomask")
            for i, sample_id in enumerate(TEST_IDS)]
    rows.append(row("s-train", len(rows)))
    splits = {sample_id: "test" for sample_id in TEST_IDS} | {"s-train": "train"}
    return write_corpus(tmp_path / "corpus", rows, splits)


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(record) + "\n" for record in records))
    return path


@pytest.fixture
def predictions(tmp_path):
    records = [{"sample_id": k, "code": v} for k, v in PREDICTIONS.items()]
    records += [{"sample_id": "s-perfect", "code": "junk"}, {"sample_id": "s-unknown", "code": REFERENCE},
                {"sample_id": "s-train", "code": REFERENCE}]
    return write_jsonl(tmp_path / "pred.jsonl", records)


def test_textual_scores_per_sample_and_problems_counted(corpus, predictions):
    report = evaluate_predictions(predictions, open_corpus(corpus), split="test", mode="textual")
    by_id = {s.sample_id: s for s in report.samples}
    assert [s.sample_id for s in report.samples] == TEST_IDS
    assert by_id["s-perfect"].textual.svr == by_id["s-perfect"].textual.pmr == 1.0
    assert by_id["s-perfect"].bleu == pytest.approx(1.0)
    assert by_id["s-missing-conn"].textual.cs == 0.75
    assert by_id["s-exp10"].textual.pmr == 7 / 8
    assert by_id["s-broken"].textual.svr == pytest.approx(0.4)
    assert by_id["s-nopred"].textual.svr == 0.0 and not by_id["s-nopred"].predicted
    assert report.missing == ["s-nopred"]
    assert report.duplicates == ["s-perfect"]
    assert report.unknown == ["s-unknown", "s-train"]
    data = report.to_json()
    assert data["counts"] == {"samples": 5, "scored_predictions": 4, "missing": 1, "duplicates": 1, "unknown": 2,
                              "outcomes_reused": 1, "unsupported": 0}  # s-perfect is the reference itself
    expected_svr = (1 + (0.6 * 0.75 + 0.4) + 1 + 0.4 + 0) / 5
    assert data["overall"]["textual"]["svr"] == pytest.approx(expected_svr)
    assert data["breakdown"]["industry"]["food_processing"]["textual"]["svr"] == pytest.approx(0.4)
    assert data["breakdown"]["industry"]["photomask"]["n"] == 4
    assert "photomask" in report.table() and "SVR" in report.table()


def test_parquet_predictions_give_the_same_report(corpus, tmp_path):
    path = tmp_path / "pred.parquet"
    pq.write_table(pa.table({"sample_id": list(PREDICTIONS), "code": list(PREDICTIONS.values())}), path)
    report = evaluate_predictions(path, open_corpus(corpus), split="test", mode="textual")
    assert report.to_json()["overall"]["textual"]["svr"] == pytest.approx((1 + 0.85 + 1 + 0.4) / 5)
    assert report.duplicates == [] and report.unknown == []


def test_malformed_jsonl_names_the_line(corpus, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"sample_id": "s-perfect", "code": "x"}\n\n{"sample_id": "s-exp10", "code": \n')
    with pytest.raises(UserError, match="line 3"):
        evaluate_predictions(path, open_corpus(corpus), mode="textual")


def test_row_without_code_names_the_line(corpus, tmp_path):
    path = write_jsonl(tmp_path / "bad.jsonl", [{"sample_id": "s-perfect", "code": "x"}, {"sample_id": "s-exp10"}])
    with pytest.raises(UserError, match="line 2: missing field"):
        evaluate_predictions(path, open_corpus(corpus), mode="textual")


def test_cli_prints_table_and_writes_json(corpus, predictions, tmp_path, capsys):
    out = tmp_path / "report.json"
    assert main(["eval", "--pred", str(predictions), "--corpus", str(corpus), "--mode", "textual",
                 "--json", str(out)]) == 0
    assert "by automation" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert len(data["samples"]) == 5 and data["bleu_tokenize"] == "13a"


def test_cli_reports_a_bad_file_and_exits_non_zero(corpus, tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    path.write_text("not json\n")
    assert main(["eval", "--pred", str(path), "--corpus", str(corpus), "--mode", "textual"]) == 2
    assert "line 1" in capsys.readouterr().err


def test_both_modes_with_esr_and_a_loop_style_reference(tmp_path):
    from twinforge.renderers.flexscript import render_flexscript

    loop = render_flexscript(load_spec(spec_data()), "loop")
    rows = [row("explicit-ref", 0), row("loop-ref", 1, code=loop, style="loop"), row("broken", 2)]
    corpus = write_corpus(tmp_path / "c", rows, {r["sample_id"]: "test" for r in rows})
    pred = write_jsonl(tmp_path / "p.jsonl", [
        {"sample_id": "explicit-ref", "code": loop},
        {"sample_id": "loop-ref", "code": REFERENCE},
        {"sample_id": "broken", "code": PREDICTIONS["s-broken"]},
    ])
    report = evaluate_predictions(pred, open_corpus(corpus), split="test", mode="both")
    by_id = {s.sample_id: s for s in report.samples}
    for sample_id in ("explicit-ref", "loop-ref"):
        assert by_id[sample_id].executed.svr == by_id[sample_id].executed.pmr == 1.0
        assert by_id[sample_id].outcome == "ok"
    assert by_id["explicit-ref"].textual.svr == 1.0
    assert by_id["loop-ref"].textual.svr == 1.0  # the loop reference is compared in its explicit form
    assert by_id["broken"].outcome == "parse_error" and by_id["broken"].executed.svr == 0.0
    assert report.to_json()["overall"]["esr"] == pytest.approx(2 / 3)


def test_bleu_one_pass_equals_sacrebleu_public_calls():
    from sacrebleu.metrics import BLEU

    preds = [PREDICTIONS["s-exp10"], PREDICTIONS["s-broken"], "x", REFERENCE, "a b", ""]
    refs = [REFERENCE, REFERENCE, REFERENCE, REFERENCE, "a b", ""]
    corpus, sentences = bleu_scores(preds, refs)
    assert corpus == pytest.approx(BLEU(tokenize="13a").corpus_score(preds, [refs]).score / 100)
    sentence = BLEU(tokenize="13a", effective_order=True)
    assert sentences == pytest.approx([sentence.sentence_score(p, [r]).score / 100 for p, r in zip(preds, refs)])


def test_a_prediction_of_the_reference_model_reuses_the_stored_outcome_when_the_recipe_is_known(tmp_path):
    ids = ["same", "restyled", "renamed", "changed"]
    rows = [row(sample_id, i) for i, sample_id in enumerate(ids)]
    for stored in rows:
        stored["exec_outcome"] = "runtime_error"  # a stored outcome the check would not give: shows reuse
    corpus = write_corpus(tmp_path / "c", rows, dict.fromkeys(ids, "test"), recipe={"seed": 20260101})
    restyled = "// the same model, written differently\n" + REFERENCE.replace(";\n", ";\n\n")
    pred = write_jsonl(tmp_path / "p.jsonl", [
        {"sample_id": "same", "code": REFERENCE}, {"sample_id": "restyled", "code": restyled},
        {"sample_id": "renamed", "code": REFERENCE.replace('"Blank Source"', '"blank source"')},
        {"sample_id": "changed", "code": PREDICTIONS["s-exp10"]}])
    report = evaluate_predictions(pred, open_corpus(corpus), split="test", mode="both")
    by_id = {s.sample_id: s for s in report.samples}
    for reused in ("same", "restyled", "renamed"):
        assert by_id[reused].outcome_reused and by_id[reused].outcome == "runtime_error"
    assert by_id["same"].executed.svr == by_id["restyled"].executed.svr == 1.0  # still built for the executed mode
    assert by_id["renamed"].executed.os < 1.0  # the name is still scored, only the outcome is shared
    assert not by_id["changed"].outcome_reused and by_id["changed"].outcome == "ok"
    assert report.to_json()["counts"]["outcomes_reused"] == 3


def test_a_stored_outcome_is_not_reused_when_the_reference_script_builds_another_model():
    from twinforge.execution import build_graph
    from twinforge.metrics.executed import StoredCheck, execute, reference_graph

    spec_graph = reference_graph(spec_data())
    off_spec_reference = StoredCheck(PREDICTIONS["s-exp10"], "runtime_error", spec_graph)
    spec_reference = StoredCheck(REFERENCE, "runtime_error", spec_graph)
    restyled = REFERENCE + "\n"
    assert not off_spec_reference.holds_for(restyled, build_graph(restyled))
    assert spec_reference.holds_for(restyled, build_graph(restyled))
    assert execute(restyled, stored=off_spec_reference).outcome == "ok"
    assert execute(PREDICTIONS["s-exp10"], stored=off_spec_reference).reused  # the very same script


def test_a_reformatted_loop_style_reference_reuses_its_stored_outcome_and_the_explicit_style_may_not():
    from twinforge.execution import build_graph
    from twinforge.metrics.executed import StoredCheck, reference_graph
    from twinforge.renderers.flexscript import render_flexscript

    loop = render_flexscript(load_spec(spec_data()), "loop")
    stored = StoredCheck(loop, "ok", reference_graph(spec_data()))
    reformatted = loop.replace(";\n", ";\n\n")
    assert stored.holds_for(reformatted, build_graph(reformatted))
    explicit = render_flexscript(load_spec(spec_data()), "explicit")
    same_order = simulated_model(build_graph(explicit)) == simulated_model(build_graph(loop))
    assert stored.holds_for(explicit, build_graph(explicit)) == same_order


def test_workers_give_the_same_report(corpus, predictions):
    text_only = FlexScriptEvaluator("textual", lambda index: 0, esr=False)
    one = evaluate_predictions(predictions, open_corpus(corpus), split="test", evaluator=text_only).to_json()
    two = evaluate_predictions(predictions, open_corpus(corpus), split="test", evaluator=text_only,
                               workers=2).to_json()
    assert one["samples"] == two["samples"] and one["overall"] == two["overall"]


@pytest.mark.parametrize("content", ['{"sample_id": "nobody", "code": "x"}\n', ""])
def test_predictions_matching_no_sample_are_refused(corpus, tmp_path, capsys, content):
    path = tmp_path / "p.jsonl"
    path.write_text(content)
    assert main(["eval", "--pred", str(path), "--corpus", str(corpus), "--mode", "textual"]) == 2
    assert "nothing to score" in capsys.readouterr().err


def test_a_bad_json_path_fails_before_any_scoring(corpus, predictions, tmp_path, capsys, monkeypatch):
    scored = []
    monkeypatch.setattr("twinforge.pipeline.evaluate.score_rows", lambda *a, **k: scored.append(1))
    assert main(["eval", "--pred", str(predictions), "--corpus", str(corpus), "--json",
                 str(tmp_path / "nodir" / "rep.json")]) == 2
    assert "--json" in capsys.readouterr().err and not scored


def test_binary_predictions_are_one_clear_error(corpus, tmp_path, capsys):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    assert main(["eval", "--pred", str(path), "--corpus", str(corpus)]) == 2
    assert "not UTF-8" in capsys.readouterr().err


def test_unsupported_predictions_are_counted_on_their_own_and_never_executable(tmp_path, capsys):
    rows = [row("plain", 0), row("file", 1), row("context", 2)]
    corpus = write_corpus(tmp_path / "c", rows, {r["sample_id"]: "test" for r in rows})
    pred = write_jsonl(tmp_path / "p.jsonl", [
        {"sample_id": "plain", "code": REFERENCE},
        {"sample_id": "file", "code": REFERENCE + 'fileopen("log.txt", "w");\n'},
        {"sample_id": "context", "code": REFERENCE + 'Model.find("Queue9").setProperty("MaxContent", 3);\n'},
    ])
    report = evaluate_predictions(pred, open_corpus(corpus), split="test", mode="both")
    data = report.to_json()
    assert [s["outcome"] for s in data["samples"]] == ["ok", "unsupported", "unsupported"]
    assert [s["executable"] for s in data["samples"]] == [True, False, False]
    assert data["counts"]["unsupported"] == 2 and data["overall"]["unsupported"] == 2
    assert data["overall"]["esr"] == pytest.approx(1 / 3)
    assert data["breakdown"]["industry"]["photomask"]["unsupported"] == 2
    table = report.table()
    assert "UNSUP" in table and "cannot judge" in table
    header = next(line for line in table.splitlines() if line.startswith("by industry"))
    assert header.split()[-1] == "UNSUP"
    assert main(["eval", "--pred", str(pred), "--corpus", str(corpus), "--mode", "executed"]) == 0
    assert "UNSUP" in capsys.readouterr().out


@pytest.mark.parametrize("caller_froze", [False, True])
def test_scoring_leaves_the_cycle_collector_as_it_found_it(corpus, predictions, caller_froze):
    import gc

    thresholds = gc.get_threshold()
    if caller_froze:
        gc.freeze()
    try:
        report = evaluate_predictions(predictions, open_corpus(corpus), split="test", mode="both")
        assert report.to_json()["counts"]["samples"] == len(TEST_IDS)
        assert gc.get_threshold() == thresholds
        assert (gc.get_freeze_count() > 0) == caller_froze  # nothing left frozen; the caller's stay frozen
    finally:
        gc.unfreeze()
