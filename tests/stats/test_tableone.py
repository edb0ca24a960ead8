"""Table 1 layout (cetrus.stats.tableone) and the old module name cetrus.stats.baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cetrus.stats.groups import compare_groups
from cetrus.stats.tableone import TableOne, format_pvalue, table_one


def _cohort(seed=0, n=200):
    rng = np.random.default_rng(seed)
    dm = (rng.random(n) < 0.3).astype(int)
    return pd.DataFrame(
        {
            "DM": dm,
            "Age": np.round(rng.normal(60, 8, n)),
            "CRP": rng.lognormal(1, 1, n) * (1 + dm),
            "Sex": np.where(rng.random(n) < 0.6, "Male", "Female"),
            "Drinking": (rng.random(n) < 0.3).astype(int),
            "Rare": np.where(np.arange(n) < 4, "yes", "no"),
        }
    )


def test_table_one_paper_shape():
    d = _cohort()
    t = table_one(
        d,
        "DM",
        ["Sex", "Age", "CRP", "Drinking"],
        order=[1, 0],
        labels={1: "Distant metastasis group", 0: "Non-distant metastasis group"},
        category_order={"Sex": ["Male", "Female"], "Drinking": [1, 0]},
    )
    assert list(t.frame.columns) == [
        "Variable",
        "Distant metastasis group",
        "Non-distant metastasis group",
        "P",
        "Test",
    ]
    assert t.frame["Variable"].str.strip().tolist() == [
        "Sex",
        "Male",
        "Female",
        "Age",
        "CRP",
        "Drinking",
        "1",
        "0",
    ]
    n_male_dm = int(((d.Sex == "Male") & (d.DM == 1)).sum())
    assert t.frame.iloc[1, 1] == f"{n_male_dm} ({100 * n_male_dm / len(d):.2f}%)"  # cohort base
    age = t.frame.iloc[3]
    assert "±" in age.iloc[1] and age["Test"] == "student"
    crp = t.frame.iloc[4]
    med = np.quantile(d.CRP[d.DM == 1], [0.5, 0.25, 0.75])
    assert crp.iloc[1] == f"{med[0]:.2f} ({med[1]:.2f}, {med[2]:.2f})"
    md = t.to_markdown()
    assert md.splitlines()[0].startswith("| Variable") and "Test" not in md
    by_group = table_one(d, "DM", ["Sex"], percent_base="group")
    n_dm = int((d.DM == 1).sum())
    assert by_group.frame.iloc[2, 2].endswith(f"({100 * n_male_dm / n_dm:.2f}%)")


@pytest.mark.parametrize(
    "p, text", [(0.0004, "<0.001"), (0.001, "0.001"), (0.1476, "0.148"), (float("nan"), "NA")]
)
def test_format_pvalue(p, text):
    assert format_pvalue(p) == text


def test_uncorrected_chi_square_reproduces_the_papers_p_values():
    # Table 1 counts (cetrus/data/paper/published.toml): Sex 84/38 vs 469/287 printed P = 0.148
    d = pd.DataFrame(
        {
            "DM": [1] * 122 + [0] * 756,
            "Sex": ["Male"] * 84 + ["Female"] * 38 + ["Male"] * 469 + ["Female"] * 287,
        }
    )
    assert format_pvalue(compare_groups(d, "DM", "Sex", correct=False).pvalue) == "0.148"
    assert format_pvalue(compare_groups(d, "DM", "Sex").pvalue) == "0.178"  # Yates
    t = table_one(d, "DM", ["Sex"], correct=False)
    assert t.frame.iloc[0]["P"] == "0.148"


def test_old_module_name_still_imports():
    import cetrus.stats.baseline as old
    from cetrus.stats import groups, tableone

    assert old.table_one is tableone.table_one and old.TableOne is TableOne
    assert old.mann_whitney is groups.mann_whitney and old._zeroin is groups._zeroin
