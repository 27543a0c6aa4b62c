"""Fan charts of a forecast: each förbund's median and 10–90 % band, year by year.

matplotlib is imported only when a chart is drawn (the ``plot`` extra).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from finsam_opt.analysis.forecast import Forecast
from finsam_opt.analysis.plots import _figure as new_figure
from finsam_opt.errors import InputError
from finsam_opt.language.words import check_language, label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["plot_fan", "plot_forecast"]

_MKR = 1e6


def plot_forecast(
    forecast: Forecast, units: Sequence[Hashable] | None = None, lang: str = "sv"
) -> Figure:
    """Fan charts of a forecast, one panel per förbund.

    Parameters
    ----------
    forecast : Forecast
        What :func:`finsam_opt.forecast` returned.
    units : sequence, optional
        The förbund to draw (default: the first three of the first year).
    lang : {'sv', 'en'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import finsam_opt as fo
    >>> f = fo.forecast(fo.example_units(), fo.Parameters(budget=20_000_000), years=3,
    ...                 scenarios=50, support=fo.Drift(0.0, 0.05))
    >>> len(fo.plot_forecast(f, ["A", "B"]).axes)
    2
    """
    check_language(lang)
    bands = forecast.bands
    chosen = list(forecast.outcomes[0].ids[:3]) if units is None else list(units)
    absent = [u for u in chosen if u not in set(bands["unit"])]
    if absent or not chosen:
        raise InputError(
            f"unit {absent[0] if absent else None!r} is not in this forecast",
            sv=f"förbundet {absent[0] if absent else None!r} finns inte i den här prognosen",
            units=absent,
        )
    figure, axes = new_figure(8.0, 2.6 * len(chosen), rows=len(chosen))
    for ax, unit in zip(axes, chosen, strict=True):
        _draw(ax, bands[bands["unit"] == unit], str(unit), lang)
    axes[0].legend(fontsize=8, loc="best")
    axes[-1].set_xlabel(label("year", lang))
    return figure


def plot_fan(table: pd.DataFrame, unit: str, lang: str = "sv") -> Figure:
    """One förbund's fan chart from its bands (``year``, ``p10``, ``median``, ``p90``, kronor).

    Parameters
    ----------
    table : pandas.DataFrame
        A förbund's rows of :attr:`Forecast.bands` or a planning letter's table.
    unit : str
        The title.
    lang : {'sv', 'en'}

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd, finsam_opt as fo
    >>> bands = pd.DataFrame({"year": [1, 2], "p10": [1e6, 0.9e6], "median": [1e6, 1e6],
    ...                       "p90": [1e6, 1.1e6]})  # kronor
    >>> fo.plot_fan(bands, "A").axes[0].get_title()
    'A'
    """
    check_language(lang)
    figure, (ax,) = new_figure(6.4, 3.2)
    _draw(ax, table, unit, lang)
    ax.legend(fontsize=8, loc="best")
    ax.set_xlabel(label("year", lang))
    return figure


def _draw(ax, rows: pd.DataFrame, title: str, lang: str) -> None:
    years = rows["year"].to_numpy()
    ax.fill_between(
        years,
        rows["p10"] / _MKR,
        rows["p90"] / _MKR,
        alpha=0.3,
        color="tab:blue",
        linewidth=0,
        label=label("forecast_band", lang),
    )
    ax.plot(
        years,
        rows["median"] / _MKR,
        marker="o",
        markersize=3,
        color="tab:blue",
        label=label("forecast_median", lang),
    )
    if "capped_median" in rows:
        ax.plot(
            years,
            rows["capped_median"] / _MKR,
            linestyle="--",
            color="black",
            linewidth=0.9,
            label=label("capped_ideal", lang),
        )
    ax.set_xticks(list(years))
    ax.set_ylabel(label("allocation_mkr", lang))
    ax.set_title(title)
    ax.grid(alpha=0.3)
