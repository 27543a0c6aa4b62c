"""Why each unit got what it got: the rule that set its amount."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finsam_opt.engine.model import Quantities

__all__ = ["BINDING_RULES", "SURPLUS_BINDING_RULES", "binding_rules"]

BINDING_RULES: dict[str, str] = {
    "ideal": "at its ideal allocation",
    "new": "a new unit (no floor) at its ideal allocation",
    "cap": "held at its matching cap (state ≤ 2 × the smaller of municipalities and region)",
    "floor": "lifted to its floor (the decrease limit)",
    "relaxed-floor": "below its floor: the decrease limit was relaxed to balance the budget",
    "scaled": "its gain above its floor was scaled down to balance the budget",
    "base": "cut to the base amount to balance the budget",
    "no-floor-equity": "no floor: its equity exceeds the staircase level, so the decrease "
    "limit does not protect it",
    "equity": "its protection was cut within its excess equity before any floor was relaxed "
    "(equity is considered first in a deficit)",
}
"""Every value of the ``binding`` column, with its meaning."""

SURPLUS_BINDING_RULES: dict[str, str] = {
    "not-applied": "applied for no additional funds",
    "full": "granted its application in full",
    "equity-cut": "cut within its excess equity (units with large equity are cut first)",
    "equity-rationed": "its excess equity cut entirely, the rest of its application cut by "
    "the same fraction as everyone's",
    "rationed": "cut by the same (weighted) fraction of its application as the others",
    "key-share": "offered its share by the need key, less than it applied for",
}
"""Every value of the surplus round's ``binding`` column (``redistribute``)."""

_TOLERANCE = 0.01  # kronor; exact amounts agree with the quantity that set them to far less


def binding_rules(
    allocation: np.ndarray,
    q: Quantities,
    target: np.ndarray | None = None,
    equity_cut: np.ndarray | None = None,
) -> pd.Categorical:
    """The ``binding`` rule of each unit, as int8 codes over the keys of
    :data:`BINDING_RULES` (a :class:`pandas.Categorical`; no string per unit).

    ``q`` holds the quantities the solved phase started from; ``target`` the
    targets before phase E took ``equity_cut`` (kronor) from them. A unit that
    phase E cut and nothing else is labelled ``equity``.
    """
    code = {rule: np.int8(i) for i, rule in enumerate(BINDING_RULES)}
    near = lambda a: np.abs(allocation - a) <= _TOLERANCE  # noqa: E731
    at_target = near(q.target)
    ideal_fits = q.ideal <= q.cap + _TOLERANCE
    capped_rule = np.where(ideal_fits, np.where(q.new, code["new"], code["ideal"]), code["cap"])
    conditions = [
        at_target & q.protected,
        at_target | near(q.capped),
        near(q.floor),
        near(q.base),
        allocation < q.floor,
    ]
    choices = [
        code["floor"],
        capped_rule,
        code["floor"],
        np.where(q.base < q.cap, code["base"], code["cap"]),
        code["relaxed-floor"],
    ]
    if q.equity_exempt is not None:
        conditions.insert(0, q.equity_exempt & at_target)
        choices.insert(0, code["no-floor-equity"])
    codes = np.select(conditions, choices, default=code["scaled"]).astype(np.int8)
    if equity_cut is not None and target is not None:
        codes[(equity_cut > _TOLERANCE) & near(target - equity_cut)] = code["equity"]
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(BINDING_RULES)))
