"""Fitting recovers the generating family; ``fit_file`` reads CSV columns and names bad input."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from twinforge.distributions import sample
from twinforge.distributions.fitting import fit, fit_file
from twinforge.errors import UserError
from twinforge.schemas import (
    ARRIVAL_FAMILIES,
    Exponential,
    Gamma,
    Lognormal,
    Normal,
    Poisson,
    Triangular,
    Uniform,
    Weibull,
)

SEPARATED = [
    Exponential(mean=20), Normal(mean=100, std=25), Uniform(min=10, max=30), Triangular(min=0, mode=40, max=50),
    Lognormal(mu=2, sigma=0.9), Poisson(mean=4), Weibull(shape=0.6, scale=10), Gamma(shape=9, scale=2),
]


def test_fit_recovers_the_family_of_most_synthetic_samples():
    rng = np.random.default_rng(2024)
    confusion = Counter()
    for index in range(200):
        truth = SEPARATED[index % len(SEPARATED)]
        confusion[truth.family, fit(sample(truth, rng, 500)).family.value] += 1
    right = sum(n for (truth, found), n in confusion.items() if truth == found)
    assert right >= 180, confusion


def test_fit_ranks_candidates_by_aic_and_estimates_parameters():
    data = sample(Gamma(shape=4, scale=5), np.random.default_rng(3), 2000)
    result = fit(data)
    aics = [c.aic for c in result.candidates]
    assert aics == sorted(aics) and result.aic == aics[0]
    assert result.family.value == "gamma"
    assert result.distribution.shape == pytest.approx(4, rel=0.15)
    assert result.distribution.scale == pytest.approx(5, rel=0.15)
    assert 0 <= result.ks_statistic < 0.05


def test_arrival_role_only_offers_arrival_families_and_constant_data_is_constant():
    data = sample(Weibull(shape=2, scale=10), np.random.default_rng(4), 300)
    assert fit(data, ARRIVAL_FAMILIES).family in ARRIVAL_FAMILIES
    assert fit([7, 7, 7, 7, 7]).distribution.model_dump() == {"family": "constant", "value": 7.0}


def test_fit_refuses_too_few_or_impossible_observations():
    with pytest.raises(ValueError, match="at least 5"):
        fit([1, 2, 3])
    with pytest.raises(ValueError, match="negative"):
        fit([-5, -3, -2, -1, -4], ["lognormal", "gamma"])


def test_fit_file_reports_the_best_family_as_json(tmp_path):
    values = sample(Exponential(mean=30), np.random.default_rng(5), 400)
    path = tmp_path / "times.csv"
    path.write_text("order,minutes\n" + "".join(f"A{i},{v:.3f}\n" for i, v in enumerate(values)) + "A9,\n")
    report = fit_file(path)
    assert report["column"] == "minutes" and report["count"] == 400 and report["skipped_empty"] == 1
    assert report["family"] == "exponential"
    assert report["flexsim"].startswith("exponential(0, ")
    assert json.loads(json.dumps(report)) == report


@pytest.mark.parametrize(("text", "column", "words"), [
    ("a,b\n1,2\n3,x\n", "b", ["times.csv:3", "'b'", "'x'"]),
    ("a,b\n1,2\n", "c", ["no column 'c'", "a, b"]),
    ("name\nfoo\nbar\n", None, ["no column holds only numbers"]),
    ("a\n1\n2\n", None, ["at least 5"]),
    ("t\n1\n2\nnan\n4\n", None, ["times.csv:4", "'nan' is not a finite number"]),
    ("t\n1\ninf\n3\n", None, ["times.csv:3", "'inf' is not a finite number"]),
    ("t\n1\n2\n-3\n4\n5\n", None, ["times.csv:4", "negative"]),
])
def test_fit_file_names_file_line_and_column_on_bad_input(tmp_path, text, column, words):
    path = tmp_path / "times.csv"
    path.write_text(text)
    with pytest.raises(UserError) as error:
        fit_file(path, column=column)
    for word in words:
        assert word in str(error.value)


def test_fit_file_without_header_and_missing_file(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("".join(f"{v}\n" for v in (3, 4, 5, 4, 6, 5, 4, 3, 5, 4)))
    assert fit_file(path, role="arrival")["column"] == "1"
    with pytest.raises(UserError, match="no such file"):
        fit_file(tmp_path / "missing.csv")
