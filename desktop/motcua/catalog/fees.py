"""What a catalog fee costs for a quantity, and how to say it.

A fee is either one amount per dossier, or counted in units (trang, bản, trường hợp…): each unit
costs the fee's amount until a tier says otherwise from the N-th unit on, the total for one group
(``per``, e.g. one certified copy) is capped, and every group is charged on its own. Chứng thực
bản sao (Thông tư 226/2016/TT-BTC): 2.000 đồng/trang, from the third page 1.000 đồng/trang, at most
200.000 đồng/bản — a 5-page paper in 3 copies costs 3 × 7.000 đồng.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from motcua.catalog.model import Fee
from motcua.i18n import tr


@dataclass(frozen=True)
class FeeCharge:
    """One fee as charged on one dossier (what the receipt lists)."""

    name: str
    amount_vnd: int | None  # None: the amount is not known (set by the province, not filled in)
    units: int = 1
    groups: int = 1
    note: str = ""

    def as_payload(self) -> dict[str, object]:
        return {"name": self.name, "amount_vnd": self.amount_vnd, "units": self.units, "groups": self.groups,
                "note": self.note}


def vnd(amount: int) -> str:
    """12500000 → "12.500.000 đồng"."""
    return f"{amount:,} đồng".replace(",", ".")


def units_price(fee: Fee, units: int) -> int:
    """The price of the first ``units`` units, tier by tier (arithmetic, not unit by unit: a typed
    quantity may be huge and the writer thread must not loop over it)."""
    bounds = [(1, fee.amount_vnd or 0), *sorted(fee.tiers)]
    price = 0
    for (start, amount), (next_start, _) in zip(bounds, [*bounds[1:], (units + 1, 0)], strict=True):
        price += max(0, min(units + 1, next_start) - start) * amount
    return price


def charge(fee: Fee, units: int = 1, groups: int = 1) -> int | None:
    """What ``groups`` groups of ``units`` units each cost; None when the amount is not known."""
    if units < 0 or groups < 0:
        raise ValueError(tr("Số lượng để tính phí không được âm."))
    if fee.proportional:  # ``units`` is then the declared value in đồng
        if units == 0:
            return None  # the value was not given: the amount is not known yet
        amount = round(units * (fee.percent or 0) / 100)
        if fee.floor_vnd is not None:
            amount = max(amount, fee.floor_vnd)
        return min(amount, fee.cap_vnd) if fee.cap_vnd is not None else amount
    if fee.amount_vnd is None:
        return None
    if not fee.counted:
        return fee.amount_vnd
    one_group = units_price(fee, units)
    if fee.cap_vnd is not None:
        one_group = min(one_group, fee.cap_vnd)
    return one_group * (groups if fee.per else 1)


def charge_all(fees: Iterable[Fee], quantities: dict[int, tuple[int, int]] | None = None) -> tuple[FeeCharge, ...]:
    """Every fee of a procedure charged; ``quantities`` maps a fee's index to (units, groups)."""
    quantities = quantities or {}
    out = []
    for index, fee in enumerate(fees):
        units, groups = quantities.get(index, (0, 1) if fee.proportional else (1, 1))
        if fee.proportional:
            groups = 1
        elif not fee.counted:
            units, groups = 1, 1
        elif not fee.per:
            groups = 1
        out.append(FeeCharge(fee.name, charge(fee, units, groups), units, groups, fee.note))
    return tuple(out)


def total(charges: Iterable[FeeCharge]) -> int:
    """The known part of what the applicant pays (unknown amounts count as nothing)."""
    return sum(c.amount_vnd or 0 for c in charges)


def describe(fee: Fee) -> str:
    """The rate in words, e.g. "2.000 đồng/trang; từ trang thứ 3: 1.000 đồng/trang; tối đa 200.000 đồng/bản"."""
    if fee.proportional:
        parts = [tr("{p}% {base}", p=f"{fee.percent:g}".replace(".", ","), base=fee.base)]
        if fee.floor_vnd is not None:
            parts.append(tr("tối thiểu {v}", v=vnd(fee.floor_vnd)))
        if fee.cap_vnd is not None:
            parts.append(tr("tối đa {v}", v=vnd(fee.cap_vnd)))
        return "; ".join(parts)
    if fee.amount_vnd is None:
        return fee.note or tr("mức thu do tỉnh quy định, chưa điền")
    if not fee.counted:
        return vnd(fee.amount_vnd) if fee.amount_vnd else tr("miễn")
    parts = [f"{vnd(fee.amount_vnd)}/{fee.unit}"]
    for start, amount in sorted(fee.tiers):
        parts.append(tr("từ {unit} thứ {n}: {price}/{unit}", unit=fee.unit, n=start, price=vnd(amount)))
    if fee.cap_vnd is not None:
        parts.append(tr("tối đa {cap}/{per}", cap=vnd(fee.cap_vnd), per=fee.per or tr("hồ sơ")))
    return "; ".join(parts)


def quantity_text(item: FeeCharge, fee: Fee) -> str:
    """"5 trang × 3 bản" — how a counted fee was charged; "" for a flat fee."""
    if fee.proportional:
        return f"{fee.base} {vnd(item.units)}" if item.units else ""
    if not fee.counted:
        return ""
    text = f"{item.units} {fee.unit}"
    return f"{text} × {item.groups} {fee.per}" if fee.per else text
