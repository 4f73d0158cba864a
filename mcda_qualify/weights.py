"""Criterion weights from a criteria file, a mapping, an array or a YAML file, validated once."""
from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from .criteria import CriteriaSet
from .errors import InputError, WeightsError
from .io.problems import raise_problems

__all__ = ["load_weights", "resolve_weights"]


def load_weights(path: str | Path) -> dict[str, float]:
    """Read a YAML mapping criterion -> weight (also accepted: a mapping under the key ``weights``)."""
    from .io.yaml_loader import read_yaml

    p = Path(path)
    data = read_yaml(p, "a YAML mapping criterion -> weight", error=WeightsError, noun="weights file")
    if isinstance(data, dict) and isinstance(data.get("weights"), dict):
        data = data["weights"]
    if not isinstance(data, dict) or not data:
        raise WeightsError("no weights in the file", file=str(p), value=type(data).__name__, has_value=True,
                           expected="a YAML mapping criterion -> weight, e.g. 'risk: 0.2'")
    out: dict[str, float] = {}
    problems: list[InputError] = []
    for k, v in data.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            problems.append(WeightsError("weight is not a number", file=str(p), column=str(k), value=v, has_value=True,
                                         expected="a number > 0"))
            continue
        x = float(v) if isinstance(v, float) or abs(v) < 10**300 else math.inf
        if not math.isfinite(x):
            problems.append(WeightsError("weight must be a finite number > 0", file=str(p), column=str(k), value=x,
                                         expected="a positive weight (to drop a criterion, exclude it)"))
            continue
        out[str(k)] = x
    raise_problems(problems, file=str(p))
    return out


def resolve_weights(
    criteria: CriteriaSet,
    weights: Mapping[str, float] | Sequence[float] | np.ndarray | None = None,
    *,
    source: str | None = None,
    exclude: Sequence[str] = (),
) -> np.ndarray:
    """Weights in criteria order, normalised to sum 1, for every criterion not in ``exclude``.

    ``None`` takes the criteria file's weights (equal weights if it has none). A mapping must name
    known criteria and give each used criterion a finite weight > 0. Excluded criteria get weight 0
    and the rest are renormalised.
    """
    ids = criteria.ids
    where = source or "weights"
    unknown_ex = [e for e in exclude if e not in ids]
    if unknown_ex:
        raise WeightsError("cannot exclude an unknown criterion", value=unknown_ex[0], file=where,
                           expected=f"one of {', '.join(ids)}")
    used = [i for i in ids if i not in exclude]
    if not used:
        raise WeightsError("every criterion is excluded", file=where, expected="at least one criterion left")
    if weights is None:
        w = criteria.default_weights()
        where = criteria.source or "criteria file"
    elif isinstance(weights, Mapping):
        problems: list[InputError] = []
        absent = [i for i in used if i not in weights]
        for k in weights:
            if k in ids:
                continue
            near = difflib.get_close_matches(str(k), absent or ids, n=1, cutoff=0.6)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append(WeightsError("weight for an unknown criterion" + hint, file=where, column=str(k),
                                         expected=f"criteria of '{criteria.name}': {', '.join(ids)}"))
        if absent:
            problems.append(WeightsError(
                f"no weight for criterion '{absent[0]}'" + (f" (nor {', '.join(absent[1:])})" if len(absent) > 1 else ""),
                file=where, column=absent[0],
                expected=f"a weight > 0 for every criterion (or exclude it); missing: {', '.join(absent)}"))
        for i in used:
            v = weights.get(i, 1.0)
            if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
                problems.append(WeightsError("weight is not a number", file=where, column=i, value=v, has_value=True,
                                             expected="a number > 0"))
            elif isinstance(v, (int, np.integer)) and abs(int(v)) >= 10**300:  # a whole number beyond a float
                problems.append(WeightsError("weight must be a finite number > 0", file=where, column=i, value=v,
                                             has_value=True, expected="a positive weight of ordinary size"))
        raise_problems(problems, file=where)
        w = np.array([float(weights[i]) if i in used else 0.0 for i in ids])
    else:
        try:
            w = np.asarray(weights, dtype=float)
        except (TypeError, ValueError):
            raise WeightsError("weights are not numbers", file=where, value=weights, has_value=True,
                               expected=f"{len(ids)} numbers in the order {', '.join(ids)}") from None
        if w.shape != (len(ids),):
            raise WeightsError("wrong number of weights", file=where, value=list(np.ravel(w)), has_value=True,
                               expected=f"{len(ids)} weights in the order {', '.join(ids)}")
    for i, cid in enumerate(ids):
        if cid in exclude:
            continue
        x = float(w[i])
        if not math.isfinite(x) or x <= 0:
            raise WeightsError("weight must be a finite number > 0", file=where, column=cid, value=x,
                               expected="a positive weight (to drop a criterion, exclude it)")
    w = np.where([i in exclude for i in ids], 0.0, w)
    if not np.isfinite(w.sum()):  # huge weights: to the largest first, so that the sum cannot overflow
        w = w / w.max()
    return w / w.sum()
