"""Fees counted in units: per page, tiers from the N-th unit, a cap per copy, and how they read."""

from __future__ import annotations

import pytest

from motcua.catalog.fees import charge, charge_all, describe, total
from motcua.catalog.model import Fee

COPY = Fee("phi", "Phí chứng thực bản sao", 2000, unit="trang", tiers=((3, 1000),), cap_vnd=200_000, per="bản")
SIGNATURE = Fee("phi", "Phí chứng thực chữ ký", 10_000, unit="trường hợp")
LICENCE = Fee("le_phi", "Lệ phí cấp giấy phép", 50_000)
PROVINCIAL = Fee("le_phi", "Lệ phí đăng ký", None, note="Theo nghị quyết của HĐND tỉnh", needs_confirmation=True)


@pytest.mark.parametrize(("units", "groups", "expected"), [
    (1, 1, 2_000), (2, 1, 4_000), (3, 1, 5_000), (5, 3, 21_000), (0, 1, 0),
    (199, 1, 200_000), (198, 1, 200_000), (197, 1, 199_000), (400, 2, 400_000),
])
def test_tiered_fee_with_a_cap_per_copy(units: int, groups: int, expected: int) -> None:
    assert charge(COPY, units, groups) == expected


def test_a_counted_fee_without_groups_ignores_them() -> None:
    assert charge(SIGNATURE, 3, 5) == 30_000


def test_flat_and_unknown_fees() -> None:
    assert charge(LICENCE, 7, 7) == 50_000
    assert charge(PROVINCIAL, 2, 2) is None


def test_negative_quantities_are_refused() -> None:
    with pytest.raises(ValueError, match="không được âm"):
        charge(COPY, -1, 1)


def test_charge_all_and_total_skip_unknown_amounts() -> None:
    charges = charge_all((LICENCE, COPY, PROVINCIAL), {1: (5, 3)})
    assert [(c.amount_vnd, c.units, c.groups) for c in charges] == [(50_000, 1, 1), (21_000, 5, 3), (None, 1, 1)]
    assert total(charges) == 71_000


def test_rates_in_words() -> None:
    assert describe(COPY) == "2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang; tối đa 200.000 đồng/bản"
    assert describe(SIGNATURE) == "10.000 đồng/trường hợp"
    assert describe(LICENCE) == "50.000 đồng"
    assert describe(PROVINCIAL) == "Theo nghị quyết của HĐND tỉnh"


TRANSFER = Fee("phi", "Phí thẩm định hợp đồng", None, percent=0.1, base="giá trị hợp đồng", cap_vnd=10_000_000,
               floor_vnd=5_000_000)


@pytest.mark.parametrize(("value", "expected"), [
    (6_000_000_000, 6_000_000), (20_000_000_000, 10_000_000), (1_000_000_000, 5_000_000), (0, None),
])
def test_a_fee_by_percentage_of_a_declared_value(value: int, expected: int | None) -> None:
    assert charge(TRANSFER, value) == expected


def test_percentage_rate_and_what_was_charged_in_words() -> None:
    from motcua.catalog.fees import quantity_text

    assert describe(TRANSFER) == "0,1% giá trị hợp đồng; tối thiểu 5.000.000 đồng; tối đa 10.000.000 đồng"
    [item] = charge_all((TRANSFER,), {0: (6_000_000_000, 7)})
    assert (item.amount_vnd, item.groups) == (6_000_000, 1)
    assert quantity_text(item, TRANSFER) == "giá trị hợp đồng 6.000.000.000 đồng"
    assert charge_all((TRANSFER,))[0].amount_vnd is None  # not declared yet: not known, not zero


def test_a_huge_quantity_is_priced_at_once() -> None:
    """A mistyped quantity (a billion pages) must not make the writer loop over every page."""
    uncapped = Fee("phi", "Phí", 2000, unit="trang", tiers=((3, 1000),))
    assert charge(uncapped, 10**12) == 2 * 2000 + (10**12 - 2) * 1000
    assert charge(COPY, 10**12, 2) == 400_000
