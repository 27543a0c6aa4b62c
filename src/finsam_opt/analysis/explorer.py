"""The explorer: one self-contained HTML page with a budget slider and a policy selector.

Every allocation the page can show is computed beforehand by the batch solver
(budgets from −30 % to +30 % of the given one in 0.5 Mkr steps, × every
policy) and written into the page as JSON, with the script that draws it: no
server, no network, it works from a USB stick. The page shows each förbund's
decided amount against its ideal and floor, the balancing scalar, who is on
the floor and who wins or loses against the first policy, in Swedish or
English. The amounts are exactly :func:`finsam_opt.allocate`'s at that budget.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from finsam_opt.domain.parameters import Parameters
from finsam_opt.domain.units import MATCH_COLUMNS, Matching, UnitTable, validate_units
from finsam_opt.engine.allocate import allocate
from finsam_opt.engine.batch import allocate_rows
from finsam_opt.engine.explain import matching_line
from finsam_opt.engine.model import Quantities
from finsam_opt.engine.policies import DEFICIT_POLICIES, Policy, resolve_policy
from finsam_opt.engine.rounding import id_ranks, round_rows
from finsam_opt.errors import InputError, SolverError
from finsam_opt.io.safe import atomic_outputs
from finsam_opt.language.words import check_language, label, term

__all__ = ["STATUSES", "Explorer", "explorer_data", "explorer_html", "write_explorer"]

#: Status codes of a förbund in one allocation (the page names them in both languages).
STATUSES = ("ideal", "cap", "floor", "relaxed", "cut")
_TOLERANCE = 0.01  # kronor, as the binding rules
_MOST_BUDGETS = 2001
_WORDS = (
    "explorer_title", "budget", "policy", "balancing_scalar", "effective_limit",
    "on_floor_count", "allocated", "winners", "losers", "against", "unit", "allocation",
    "ideal", "floor", "cap", "from_ideal", "from_baseline", "status", "chart", "no_limit",
    "not_placed", "explorer_note", "status_ideal", "status_cap", "status_floor",
    "status_relaxed", "status_cut",
)  # fmt: skip


@dataclass(frozen=True)
class Explorer:
    """The precomputed results an explorer page shows.

    Attributes
    ----------
    units : tuple of str
        The förbund, in the table's order.
    budgets : numpy.ndarray
        Kronor, shape (budgets,).
    policies : tuple of str
        Policy names; the first is the one winners and losers are measured against.
    amounts : numpy.ndarray
        Decided (rounded) amounts, int64 kronor, shape (policies, budgets, units); −1
        where the policy cannot place that budget.
    ideal : numpy.ndarray
        Ideal allocation per budget and förbund, kronor, shape (budgets, units).
    floor, cap : numpy.ndarray
        Floor and matching cap (``inf``: none) per förbund, kronor, shape (units,).
    status : numpy.ndarray
        Index into :data:`STATUSES`, shape (policies, budgets, units).
    rate, limit : numpy.ndarray
        Balancing scalar λ* and the effective decrease limit (NaN: none), shape
        (policies, budgets).
    start : int
        The index of the given budget.
    matching : Matching
        Whether the contributions were collected (docs/model.md).
    assumed : pandas.DataFrame
        The contributions assumed for förbund that did not answer, as
        :attr:`finsam_opt.Allocation.assumed` (the same at every budget); the page
        names them under the table.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> data = fo.explorer_data(fo.example_units(), fo.Parameters(budget=20_000_000))
    >>> data.amounts.shape  # policies × budgets × förbund
    (3, 25, 5)
    >>> float(data.budgets[data.start]), data.amounts[0, data.start].tolist()
    (20000000.0, [8794737, 4518422, 2500000, 1865789, 2321052])
    """

    units: tuple[str, ...]
    budgets: np.ndarray
    policies: tuple[str, ...]
    amounts: np.ndarray
    ideal: np.ndarray
    floor: np.ndarray
    cap: np.ndarray
    status: np.ndarray
    rate: np.ndarray
    limit: np.ndarray
    start: int
    matching: Matching = Matching.NOT_COLLECTED
    assumed: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["unit", "party", "assumed_as", "amount"])
    )


def explorer_data(
    units: pd.DataFrame,
    params: Parameters,
    policies: Sequence[str | Policy] | None = None,
    *,
    span: float = 0.30,
    step: float = 500_000.0,
) -> Explorer:
    """Allocate every budget of the slider under every policy, with the batch solver.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (see :func:`finsam_opt.allocate`).
    params : Parameters
        Its budget is the slider's starting point.
    policies : sequence of str or Policy, optional
        Default: every built-in policy. Declared policies (``.toml``) are welcome.
    span : float
        The slider runs from ``(1 − span)`` to ``(1 + span)`` times the budget.
    step : float
        Kronor between two budgets of the slider (0.5 Mkr).

    Returns
    -------
    Explorer

    Raises
    ------
    InputError
        Bad units, a span outside [0, 1), a step ≤ 0, or more than 2 001 budgets.

    Examples
    --------
    >>> import finsam_opt as fo
    >>> data = fo.explorer_data(fo.example_units(), fo.Parameters(budget=20_000_000),
    ...                         span=0.1, step=1_000_000)  # kronor
    >>> (data.budgets / 1e6).tolist(), data.policies  # Mkr
    ([18.0, 19.0, 20.0, 21.0, 22.0], ('raise-limit', 'scale-protection', 'scale-gains'))
    """
    chosen = [resolve_policy(p) for p in (policies or list(DEFICIT_POLICIES))]
    table = validate_units(units, params)
    budgets = _budgets(params, span, step, table.size)
    start = int(np.argmin(np.abs(budgets - params.budget)))
    # raise-limit places every budget ≥ N·b, so its quantities give ideal, floor and cap.
    _, q = allocate_rows(table, params, budgets, "raise-limit")
    shape = (len(chosen), len(budgets), table.size)
    amounts = np.full(shape, -1, dtype=np.int64)
    status = np.zeros(shape, dtype=np.int8)
    rate = np.full(shape[:2], np.nan)
    limit = np.full(shape[:2], np.nan)
    ranks = id_ranks(table.ids)
    for k, policy in enumerate(chosen):
        try:
            batch, _ = allocate_rows(table, params, budgets, policy)
        except SolverError:  # not every budget can be placed: allocate the ones that can
            for i, budget in enumerate(budgets):
                try:
                    result = allocate(units, replace(params, budget=float(budget)), policy)
                except SolverError:
                    continue
                amounts[k, i] = result.table["allocation_rounded"].to_numpy()
                status[k, i] = _status(result.table["allocation"].to_numpy()[None], q, [i])[0]
                rate[k, i] = result.balancing_scalar
                limit[k, i] = np.nan if result.decrease_limit is None else result.decrease_limit
            continue
        amounts[k] = round_rows(
            batch.allocation,
            params.rounding_unit,
            limit=budgets,
            cap=q.cap,
            floor=batch.floor,
            tiebreak=ranks,
        )
        status[k] = _status(batch.allocation, q, slice(None))
        rate[k], limit[k] = batch.rate, batch.decrease_limit
    return Explorer(
        units=tuple(str(u) for u in table.ids),
        budgets=budgets,
        policies=tuple(p.name for p in chosen),
        amounts=amounts,
        ideal=np.asarray(q.ideal),
        floor=np.asarray(q.floor[0]),
        cap=np.asarray(q.cap[0]),
        status=status,
        rate=rate,
        limit=limit,
        start=start,
        matching=table.matching,
        assumed=_assumed(table, params),
    )


def _assumed(table: UnitTable, params: Parameters) -> pd.DataFrame:
    """The assumed contributions of a validated table, as ``Allocation.assumed``."""
    given = (table.assumed_municipal, table.assumed_regional)
    flags = {
        party: np.zeros(table.size, bool) if flag is None else flag
        for party, flag in zip(MATCH_COLUMNS, given, strict=True)
    }
    rows = [
        {
            "unit": unit,
            "party": party,
            "assumed_as": str(params.unanswered),
            "amount": float(getattr(table, party)[i]),
        }
        for i, unit in enumerate(table.ids)
        for party in MATCH_COLUMNS
        if flags[party][i]
    ]
    return pd.DataFrame(rows, columns=["unit", "party", "assumed_as", "amount"])


def _budgets(params: Parameters, span: float, step: float, n: int) -> np.ndarray:
    if not (isinstance(span, (int, float)) and 0.0 <= span < 1.0):
        raise InputError(
            f"span must be from 0 up to 1, got {span!r}",
            sv=f"span måste vara från 0 upp till 1, inte {span!r}",
            column="span",
        )
    if not (isinstance(step, (int, float)) and step > 0):
        raise InputError(
            f"step must be > 0 kronor, got {step!r}",
            sv=f"step måste vara > 0 kronor, inte {step!r}",
            column="step",
        )
    count = int(np.floor(params.budget * span / step + 1e-9))
    if 2 * count + 1 > _MOST_BUDGETS:
        raise InputError(
            f"{2 * count + 1} budgets are too many for one page (at most {_MOST_BUDGETS}); "
            "take a larger step",
            sv=f"{2 * count + 1} budgetar är för många för en sida (högst {_MOST_BUDGETS}); "
            "ta ett större steg (step)",
            column="step",
        )
    budgets = params.budget + step * np.arange(-count, count + 1)
    return budgets[budgets >= n * params.base_amount]


def _status(exact: np.ndarray, q: Quantities, rows: slice | list[int]) -> np.ndarray:
    floor, cap, capped = q.floor[rows], q.cap[rows], q.capped[rows]
    protected = q.protected[rows]
    codes = np.select(
        [
            protected & (exact >= floor - _TOLERANCE),
            protected,
            exact < capped - _TOLERANCE,
            cap < q.ideal[rows],
        ],
        [
            STATUSES.index("floor"),
            STATUSES.index("relaxed"),
            STATUSES.index("cut"),
            STATUSES.index("cap"),
        ],
        default=STATUSES.index("ideal"),
    )
    return codes.astype(np.int8)


def write_explorer(
    units: pd.DataFrame,
    params: Parameters,
    path: str | Path,
    policies: Sequence[str | Policy] | None = None,
    *,
    lang: str = "sv",
    span: float = 0.30,
    step: float = 500_000.0,
) -> Path:
    """Write the explorer page: a budget slider and a policy selector over every förbund.

    Parameters
    ----------
    units : pandas.DataFrame
        The unit table (see :func:`finsam_opt.allocate`).
    params : Parameters
        Its budget is where the slider starts.
    path : str or pathlib.Path
        The ``.html`` file to write (one file: data, script and style inline).
    policies : sequence of str or Policy, optional
        Default: every built-in policy; the first is the one winners and losers
        are measured against.
    lang : {'sv', 'en'}
        The page's language when opened; a button switches.
    span, step : float
        See :func:`explorer_data`.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pathlib, tempfile, finsam_opt as fo
    >>> page = fo.write_explorer(fo.example_units(), fo.Parameters(budget=20_000_000),
    ...                          pathlib.Path(tempfile.mkdtemp()) / "utforskare.html")
    >>> text = page.read_text(encoding="utf-8")
    >>> '<input type="range"' in text, "http" in text.replace("http-equiv", "")
    (True, False)
    """
    check_language(lang)
    target = Path(path)
    if target.suffix.lower() not in (".html", ".htm"):
        raise InputError(
            f"{target.name}: the explorer is written as .html",
            sv=f"{target.name}: utforskaren skrivs som .html",
        )
    data = explorer_data(units, params, policies, span=span, step=step)
    page = explorer_html(data, lang)

    with atomic_outputs([target]) as (temporary,):
        temporary.write_text(page, encoding="utf-8")
    return target


def explorer_html(data: Explorer, lang: str = "sv") -> str:
    """The explorer page of ``data`` as one HTML string (see :func:`write_explorer`)."""
    check_language(lang)
    payload = {
        "units": list(data.units),
        "budgets": [float(b) for b in data.budgets],
        "policies": list(data.policies),
        "policyNames": {
            code: [str(term(code, "sv")), str(term(code, "en"))] for code in data.policies
        },
        "amounts": data.amounts.tolist(),
        "ideal": np.round(data.ideal).astype(np.int64).tolist(),
        "floor": np.round(data.floor).astype(np.int64).tolist(),
        "cap": [None if not np.isfinite(c) else round(float(c)) for c in data.cap],
        "status": data.status.tolist(),
        "rate": [[None if np.isnan(v) else float(v) for v in row] for row in data.rate],
        "limit": [[None if np.isnan(v) else float(v) for v in row] for row in data.limit],
        "start": data.start,
        "lang": lang,
        "statuses": list(STATUSES),
        "words": {
            **{key: [label(key, "sv"), label(key, "en")] for key in _WORDS},
            # MODEL.md §4a: the page names the förbund whose contribution was assumed
            "matching": [matching_line(data, "sv"), matching_line(data, "en")],
        },
    }
    # "</" cannot end the script early when written as "<\/" inside JSON strings.
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    page = _TEMPLATE.replace("__STYLE__", _STYLE).replace("__SCRIPT__", _SCRIPT)
    page = page.replace("__LANG__", lang).replace(
        "__TITLE__", html.escape(label("explorer_title", lang))
    )
    return page.replace("__DATA__", text)


_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5em auto;
       max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.4em; margin: 0 0 0.4em; }
.controls { display: flex; flex-wrap: wrap; gap: 1em 2em; align-items: center;
            background: #f3f6fa; padding: 0.8em 1em; border-radius: 6px; }
.controls input[type=range] { width: 28em; max-width: 80vw; }
.figures { display: flex; flex-wrap: wrap; gap: 0.5em 2em; margin: 0.8em 0; }
.figures div { min-width: 10em; }
.figures b { display: block; font-size: 1.3em; font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; font-size: 0.85em; margin-top: 0.6em; width: 100%; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 0.2em 0.5em; white-space: nowrap; }
th { background: #eef2f7; position: sticky; top: 0; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bar { width: 22%; }
td:first-child { white-space: normal; min-width: 12em; }
.up { color: #1a7f37; } .down { color: #b42318; }
.lists { display: flex; flex-wrap: wrap; gap: 2em; }
.lists ol { margin: 0.2em 0; padding-left: 1.4em; font-size: 0.9em; }
.note { color: #666; font-size: 0.85em; }
"""

_SCRIPT = r"""
const D = JSON.parse(document.getElementById("data").textContent);
let lang = D.lang;
const $ = (id) => document.getElementById(id);
const w = (key) => D.words[key][lang === "sv" ? 0 : 1];
function group(n) {
  const sep = lang === "sv" ? "\u00a0" : ",";
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return (n < -0.5 ? "\u2212" : "") + s;
}
const kr = (n) => group(n) + " kr";
function mkr(n) {
  const t = (n / 1e6).toFixed(1);
  return (lang === "sv" ? t.replace(".", ",") : t) + " Mkr";
}
function pct(x) {
  if (x === null) return "\u2013";
  const t = (100 * x).toFixed(2);
  return lang === "sv" ? t.replace(".", ",") + "\u00a0%" : t + "%";
}
function decimal(x) {
  if (x === null) return "\u2013";
  const t = x.toFixed(4);
  return lang === "sv" ? t.replace(".", ",") : t;
}
function policyName(code) { return D.policyNames[code][lang === "sv" ? 0 : 1]; }
function fillPolicies() {
  const select = $("policy");
  const chosen = select.value || D.policies[0];
  select.innerHTML = "";
  D.policies.forEach((code, k) => {
    const option = document.createElement("option");
    option.value = String(k);
    option.textContent = policyName(code);
    select.appendChild(option);
  });
  select.value = chosen;
}
function texts() {
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-word]").forEach((el) => {
    el.textContent = w(el.dataset.word);
  });
  $("language").textContent = lang === "sv" ? "English" : "Svenska";
  fillPolicies();
}
function draw() {
  const b = Number($("budget").value), k = Number($("policy").value);
  const amounts = D.amounts[k][b], base = D.amounts[0][b], ideal = D.ideal[b];
  $("budget-value").textContent = kr(D.budgets[b]);
  $("budget-value").dataset.budget = String(D.budgets[b]);
  const placed = amounts[0] >= 0;
  $("not-placed").hidden = placed;
  $("rate").textContent = placed ? decimal(D.rate[k][b]) : "\u2013";
  $("limit").textContent = placed ? pct(D.limit[k][b]) : "\u2013";
  const onFloor = D.status[k][b].filter((s) => D.statuses[s] === "floor").length;
  $("on-floor").textContent = placed ? String(onFloor) : "\u2013";
  const total = amounts.reduce((a, x) => a + x, 0);
  $("total").textContent = placed ? kr(total) : "\u2013";
  $("baseline-name").textContent = policyName(D.policies[0]);
  const top = Math.max(...ideal, ...amounts, ...D.floor);
  const rows = D.units.map((unit, i) => {
    const x = amounts[i], diff = x - base[i], cap = D.cap[i];
    const status = placed ? w("status_" + D.statuses[D.status[k][b][i]]) : "\u2013";
    const bar = `<svg width="100%" height="12" viewBox="0 0 100 12" preserveAspectRatio="none">` +
      `<rect x="0" y="2" height="8" width="${Math.max(0, 100 * x / top)}" fill="#5b8def"></rect>` +
      `<rect x="${100 * ideal[i] / top}" y="0" width="0.6" height="12" fill="#111"></rect>` +
      `<rect x="${100 * D.floor[i] / top}" y="0" width="0.6" height="12" fill="#d33"></rect></svg>`;
    return `<tr data-unit="${i}"><td>${unit}</td>` +
      `<td class="num" data-amount="${placed ? x : ""}">${placed ? group(x) : "\u2013"}</td>` +
      `<td class="num">${group(ideal[i])}</td><td class="num">${group(D.floor[i])}</td>` +
      `<td class="num">${cap === null ? w("no_limit") : group(cap)}</td>` +
      `<td class="num ${x - ideal[i] >= 0 ? "up" : "down"}">` +
      `${placed ? group(x - ideal[i]) : ""}</td>` +
      `<td class="num ${diff > 0 ? "up" : diff < 0 ? "down" : ""}">` +
      `${placed && k > 0 ? group(diff) : ""}</td>` +
      `<td>${status}</td><td class="bar">${bar}</td></tr>`;
  });
  $("rows").innerHTML = rows.join("");
  const order = D.units.map((u, i) => i).filter(() => placed && k > 0);
  const byDiff = order.map((i) => [amounts[i] - base[i], D.units[i]]).filter((p) => p[0] !== 0);
  byDiff.sort((p, q) => q[0] - p[0]);
  const item = (p) => `<li>${p[1]}: ${group(p[0])} kr</li>`;
  $("winners").innerHTML = byDiff.filter((p) => p[0] > 0).slice(0, 5).map(item).join("");
  $("losers").innerHTML = byDiff.filter((p) => p[0] < 0).reverse().slice(0, 5).map(item).join("");
  $("winner-count").textContent = String(byDiff.filter((p) => p[0] > 0).length);
  $("loser-count").textContent = String(byDiff.filter((p) => p[0] < 0).length);
}
function fromHash() {
  const args = new URLSearchParams(location.hash.slice(1));
  if (args.has("lang") && (args.get("lang") === "sv" || args.get("lang") === "en")) {
    lang = args.get("lang");
    texts();
  }
  if (args.has("policy")) {
    const k = D.policies.indexOf(args.get("policy"));
    if (k >= 0) { $("policy").value = String(k); $("policy").dispatchEvent(new Event("change")); }
  }
  if (args.has("budget")) {
    const wanted = Number(args.get("budget"));
    let best = 0;
    D.budgets.forEach((v, i) => {
      if (Math.abs(v - wanted) < Math.abs(D.budgets[best] - wanted)) best = i;
    });
    $("budget").value = String(best);
    $("budget").dispatchEvent(new Event("input"));
  }
}
$("budget").max = String(D.budgets.length - 1);
$("budget").value = String(D.start);
$("budget").addEventListener("input", draw);
$("policy").addEventListener("change", draw);
$("language").addEventListener("click", () => {
  lang = lang === "sv" ? "en" : "sv";
  texts();
  draw();
});
window.addEventListener("hashchange", fromHash);
texts();
draw();
fromHash();
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="__LANG__">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>__STYLE__</style>
</head>
<body>
<h1 data-word="explorer_title"></h1>
<div class="controls">
  <label><span data-word="budget"></span>
    <input type="range" id="budget" min="0" step="1"> <b id="budget-value"></b></label>
  <label><span data-word="policy"></span> <select id="policy"></select></label>
  <button id="language" type="button"></button>
</div>
<p id="not-placed" class="note" data-word="not_placed" hidden></p>
<div class="figures">
  <div><span data-word="balancing_scalar"></span><b id="rate"></b></div>
  <div><span data-word="effective_limit"></span><b id="limit"></b></div>
  <div><span data-word="on_floor_count"></span><b id="on-floor"></b></div>
  <div><span data-word="allocated"></span><b id="total"></b></div>
  <div><span data-word="winners"></span><b id="winner-count"></b></div>
  <div><span data-word="losers"></span><b id="loser-count"></b></div>
</div>
<div class="lists">
  <div><span data-word="winners"></span> (<span data-word="against"></span>
    <span id="baseline-name"></span>)<ol id="winners"></ol></div>
  <div><span data-word="losers"></span><ol id="losers"></ol></div>
</div>
<table>
<thead><tr><th data-word="unit"></th><th data-word="allocation"></th><th data-word="ideal"></th>
<th data-word="floor"></th><th data-word="cap"></th><th data-word="from_ideal"></th>
<th data-word="from_baseline"></th><th data-word="status"></th><th data-word="chart"></th>
</tr></thead>
<tbody id="rows"></tbody>
</table>
<p class="note" data-word="explorer_note"></p>
<p class="note" data-word="matching"></p>
<script type="application/json" id="data">__DATA__</script>
<script>__SCRIPT__</script>
</body>
</html>
"""
