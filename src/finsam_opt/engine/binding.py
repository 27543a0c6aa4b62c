"""Why each unit got what it got: the rule that set its amount."""

from __future__ import annotations

import numpy as np

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
) -> np.ndarray:
    """The ``binding`` label of each unit (a key of :data:`BINDING_RULES`).

    ``q`` holds the quantities the solved phase started from; ``target`` the
    targets before phase E took ``equity_cut`` (kronor) from them. A unit that
    phase E cut and nothing else is labelled ``equity``.
    """
    near = lambda a: np.abs(allocation - a) <= _TOLERANCE  # noqa: E731
    ideal_fits = q.ideal <= q.cap + _TOLERANCE
    at_ideal = np.where(q.new, "new", "ideal")
    capped_rule = np.where(ideal_fits, at_ideal, "cap")
    n = len(allocation)
    exempt = np.zeros(n, bool) if q.equity_exempt is None else q.equity_exempt
    conditions = [
        exempt & near(q.target),
        near(q.target) & q.protected,
        near(q.target) | near(q.capped),
        near(q.floor),
        near(q.base),
        allocation < q.floor,
    ]
    choices = [
        np.full(n, "no-floor-equity"),
        np.full(n, "floor"),
        capped_rule,
        np.full(n, "floor"),
        np.where(q.base < q.cap, "base", "cap"),
        np.full(n, "relaxed-floor"),
    ]
    labels = np.select(conditions, choices, default="scaled").astype(object)
    if equity_cut is not None and target is not None:
        labels[(equity_cut > _TOLERANCE) & near(target - equity_cut)] = "equity"
    return labels
