"""power_roc_test_paired(method="obuchowski"): pROC's power.roc.test(roc1, roc2,
method = "obuchowski") on pilot curves. Live R twin: validation/cases/roc_toolbox.py."""

import numpy as np
import pytest

from cetrus.errors import InputError, UndefinedStatisticWarning
from cetrus.stats.roc_more import power_roc_test_paired

_I = np.arange(60)
Y = ((_I * 11) % 7 < 3).astype(int)
X = ((_I * 37) % 29) / 4.0 + 1.5 * Y
X2 = ((_I * 13) % 17) / 2.0 + 0.8 * Y


def test_frozen_proc_values():
    # r1 <- roc(y, a, levels = c(0, 1), direction = "<"); r2 likewise with b
    # power.roc.test(r1, r2, method = "obuchowski")$power
    assert power_roc_test_paired(Y, X, X2, method="obuchowski").power == pytest.approx(
        0.44133020661644945, rel=1e-12
    )
    # power.roc.test(r1, r2, power = 0.9, method = "obuchowski"): ncases, ncontrols
    res = power_roc_test_paired(Y, X, X2, power=0.9, method="obuchowski")
    assert res.ncases == pytest.approx(85.05175782136895, rel=1e-12)
    assert res.ncontrols == pytest.approx(111.22152945871325, rel=1e-12)
    # with partial.auc = c(1, 0.8) on both curves, power = 0.8
    res = power_roc_test_paired(Y, X, X2, power=0.8, method="obuchowski", partial=(0.8, 1.0))
    assert res.ncases == pytest.approx(1.9840998009312842, rel=1e-12)


def test_obuchowski_differs_from_delong():
    a = power_roc_test_paired(Y, X, X2, method="obuchowski").power
    b = power_roc_test_paired(Y, X, X2, method="delong").power
    assert abs(a - b) > 1e-3


def test_partial_needs_obuchowski_and_a_valid_range():
    with pytest.raises(InputError, match="no partial-AUC form"):
        power_roc_test_paired(Y, X, X2, partial=(0.8, 1.0))
    with pytest.raises(InputError, match="low < high"):
        power_roc_test_paired(Y, X, X2, method="obuchowski", partial=(1.0, 0.8))
    with pytest.raises(InputError, match="method"):
        power_roc_test_paired(Y, X, X2, method="bootstrap")


def test_binormal_fit_needs_inner_points():
    # a perfectly separating score has no ROC point strictly inside (0, 1) on both axes
    with pytest.raises(InputError, match="binormal fit"):
        power_roc_test_paired(Y, Y.astype(float), X2, method="obuchowski")


def test_negative_variance_gives_nan_and_warns_as_proc():
    # pROC on aSAH s100b vs ndka, partial.auc = c(1, 0.9), method = "obuchowski":
    # covvar gives var1 = 1.378231e-06, var2 = 5.432805e-05, cov12 = 3.621512e-06, so
    # V0 = 2 var1 - 2 cov12 < 0 and power.roc.test prints power = NaN (warning in sqrt)
    from cetrus.stats.roc_more import _two_curve

    with pytest.warns(UndefinedStatisticWarning, match="null variance .* negative"):
        n, level, power = _two_curve(
            1.378231e-06,
            5.432805e-05,
            3.621512e-06,
            0.03275745 - 0.01070461,
            41.0,
            0.05,
            None,
            "two-sided",
            "power_roc_test_paired",
        )
    assert (n, level) == (41.0, 0.05) and np.isnan(power)


def test_proc_spellings_of_alternative_are_aliases():
    from cetrus.stats.roc_more import power_roc_test

    for r_name, py_name in (("two.sided", "two-sided"), ("one.sided", "one-sided")):
        a = power_roc_test(auc=0.8, ncases=20, ncontrols=30, alternative=r_name)
        b = power_roc_test(auc=0.8, ncases=20, ncontrols=30, alternative=py_name)
        assert a.power == b.power and a.alternative == py_name
        c = power_roc_test_paired(Y, X, X2, alternative=r_name, method="obuchowski")
        assert (
            c.power
            == power_roc_test_paired(Y, X, X2, alternative=py_name, method="obuchowski").power
        )


def test_binormal_power_needs_power_or_level_with_ncases():
    from cetrus.stats.roc_more import power_roc_test_binormal

    with pytest.raises(InputError, match="give power or sig_level"):
        power_roc_test_binormal(
            a1=2.6,
            b1=1.0,
            a2=1.9,
            b2=1.0,
            rn=0.6,
            ra=0.6,
            delta=0.037,
            ncases=50,
            sig_level=None,
            power=None,
        )
