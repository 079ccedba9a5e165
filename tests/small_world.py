"""A small data set built in memory, for the rule tests: a handful of initiatives, results,
themes and indicators whose every expected outcome can be worked out by hand.

Frames are built the way :mod:`report_utils.loading` leaves them (the schema's columns plus
``_rad``, ``None`` for a blank, tuples for code lists), so the rules see what they would see
after loading a workbook — without reading one, which keeps these tests fast.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from report_utils import schemas as S
from report_utils.loading import ROW, LoadedSheet
from report_utils.model import Dataset, GoalYear, with_departments


def frame(sheet: S.Sheet, rows: list[dict], first_row: int = 2) -> pd.DataFrame:
    """A loaded sheet's frame: every schema column (blank: None) and the Excel row."""
    records = [{ROW: first_row + i, **row} for i, row in enumerate(rows)]
    out = pd.DataFrame.from_records(records, columns=[ROW, *sheet.column_names])
    return out.astype(object).where(out.notna(), None)


def loaded(workbook: S.Workbook, sheet: str, rows: list[dict], file: str | None = None):
    """A :class:`LoadedSheet` as :func:`report_utils.loading.read_workbook` returns it."""
    spec = workbook.sheet(sheet)
    label = file or workbook.path.format(year=2026)
    return LoadedSheet(workbook, spec, label, frame(spec, rows))


def _sheet(workbook: S.Workbook, name: str, rows: list[dict]) -> pd.DataFrame:
    return frame(workbook.sheet(name), rows)


DEPARTMENTS = ["AMF", "SFF", "SOF", "VOF"]

INSATSER = [
    # id, name, parent, years, measurable goals, status
    ("mhfa", "Första hjälpen", None, (2018, 2019), "ja", "genomförd"),
    ("act", "ACT", None, (2018, 2019), "nej", "avvecklad"),
    ("pshout", "P-SHOUT", None, (2019,), "ja", "genomförd"),
    ("pshout-starka", "Starka tjejer", "pshout", (2019,), "ja", "pågår"),
    ("pshout-egen", "Egen rad", "pshout", (2019,), "ej angivet", "pågår"),
    ("samordning", "Samordning", None, (2018,), "ej angivet", "genomförd"),
    ("ips", "IPS", None, (2018,), "ja", "pågår"),
    ("kurs", "Kurs", None, (2019,), "nej", "pågår"),  # no row in 'ansvar' (validate refuses it)
]
ANSVAR = [
    # id, year, departments, status that year
    ("mhfa", 2018, ("VOF",), "pågår"),
    ("mhfa", 2019, ("SOF", "VOF"), None),
    ("act", 2018, ("SOF",), None),
    ("act", 2019, ("SOF",), None),
    ("pshout", 2019, ("SFF", "AMF"), None),
    ("pshout-egen", 2019, ("SOF",), None),
    ("samordning", 2018, None, None),
    ("ips", 2018, ("AMF",), None),
]
RESULTAT = [
    # id, initiative, year, measure, kind, value, unit, qualifier, key figure, kind of figure, period
    ("mhfa-r1", "mhfa", 2018, "Personer som gått kursen", "utbildade", 150, "personer", None, "ja", "uppnått", None),
    ("mhfa-r2", "mhfa", 2019, "Personer som gått kursen", "utbildade", 291, "personer", "ca", "ja", "uppnått", None),
    ("mhfa-r3", "mhfa", 2019, "Planerade kurser", "tillfallen", 20, "antal", None, "nej", "planerat", None),
    ("act-r1", "act", 2018, "Deltagare", "deltagare", 40, "personer", None, "ja", "uppnått", None),
    ("act-r2", "act", 2019, "Deltagare", "deltagare", None, "personer", None, "nej", "uppnått", None),
    ("starka-r1", "pshout-starka", 2019, "Tjejer", "deltagare", 12, "personer", None, "ja", "uppnått", None),
    ("ips-r1", "ips", 2018, "Deltagare 2012–2018", "deltagare", 212, "personer", "drygt", "nej", "sammanlagt", "2012–2018"),
    ("ips-r2", "ips", 2018, "Deltagare 2016–2018", "deltagare", 90, "personer", None, "nej", "sammanlagt", "2016–2018"),
    ("ips-r3", "ips", 2018, "Kvinnor 2012–2018", "deltagare", 500, "personer", None, "nej", "sammanlagt", "2012–2018"),
    ("ips-r4", "ips", 2018, "Möten 2012–2018", "tillfallen", 900, "antal", None, "nej", "sammanlagt", "2012–2018"),
    ("ips-r5", "ips", 2018, "Utbildade", "utbildade", None, "personer", None, "nej", "sammanlagt", "2012–2018"),
    ("ips-r6", "ips", 2018, "Deltagare 2018", "deltagare", 1000, "personer", None, "nej", "uppnått", None),
    ("samordning-r1", "samordning", 2018, "Möten", "tillfallen", 6, "antal", None, "ja", "uppnått", None),
    ("kurs-r1", "kurs", 2019, "Kurstillfällen", "tillfallen", 3, "antal", None, "nej", "uppnått", None),
]  # fmt: skip
TEMAN = [
    # id, order, name, sub-goals, short-term, long-term
    ("T1", 2, "Kompetens", (1, 2), "finns", "finns"),
    ("T2", 1, "Arbete", (2,), "finns", "saknas"),
    ("T3", 3, "Samverkan", None, "ej angivet", "finns"),
    ("T4", 4, "Stöd", (3,), "saknas", "saknas"),
]
AKTIVITETER = [
    ("A1", "T1", "Utbilda personal", ("SOF",)),
    ("A2", "T2", "Jobbcoacher", ("AMF",)),
    ("A3", "T3", "Gemensamt forum", None),
    ("A4", "T4", "Stödsamtal", ("VOF",)),
]
LANGSIKTIGA = [
    ("L1", "T1", "Fler kan ge första hjälpen", None),
    ("L2", "T3", "Samverkan", None),
    ("L3", "T2", "Fler i arbete", ("AMF",)),
]
INDIKATORER = [
    # id, theme, horizon, text, departments, unit, target type, target
    ("T1-K1", "T1", "kort", "Andel utbildade i MHFA", ("SOF", "VOF"), "andel", "minst", 80.0),
    ("T1-L1", "T1", "lång", "Antal utbildade", None, "antal", "oka", None),
    ("T2-K1", "T2", "kort", "Antal i arbete", None, "antal", "oka_procent", 10.0),
    ("T2-K2", "T2", "kort", "Finns en plan", ("AMF",), "ja-nej", "ja", None),
    ("T3-L1", "T3", "lång", "Samverkansavtal", None, "text", "ingen", None),
]
KOPPLING = [
    # id, initiative, theme, indicator, relation
    ("K1", "mhfa", "T1", "T1-K1", "fortsätter"),
    ("K2", "act", None, None, "avvecklad"),
    ("K3", "ips", "T2", None, "ny form"),
    ("K4", "samordning", "T3", "T3-L1", "ingen efterföljare"),
    ("K5", "pshout", "T9", None, "fortsätter"),  # a theme of another goal year
    ("K6", "ips", None, None, "avvecklad"),
    ("K7", "act", "T1", "T1-L1", "ny form"),
    ("K8", "kurs", "T2", None, "fortsätter"),
    ("K9", "pshout-egen", "T3", None, "fortsätter"),
    ("K10", "mhfa", "T3", "T3-L1", "fortsätter"),
    ("K11", "samordning", None, None, "fortsätter"),
    ("K12", "pshout", None, None, "avvecklad"),
]


def varden_rows(values: list[tuple]) -> list[dict]:
    return [
        {"indikator_id": i, "forvaltning": d, "varde": v, "jamforelsevarde": b, "kommentar": c}
        for i, d, v, b, c in values
    ]


VARDEN_2026 = [
    ("T1-K1", "SOF", 85.0, None, "bra år"),
    ("T1-K1", "VOF", 70.0, 60.0, None),
    ("T2-K1", "AMF", 11.0, 10.0, None),
    ("T2-K2", "AMF", "ja", None, None),
    ("T1-L1", "SOF", 5.0, None, None),
    ("T1-L1", "SFF", 7.0, None, None),  # SFF is not responsible: shown nowhere
]
VARDEN_2027 = [
    ("T1-K1", "SOF", 82.0, None, None),
    ("T1-K1", "VOF", None, None, "ej mätt"),
    ("T1-L1", "SOF", 4.0, None, None),
]
VARDEN_2028 = [
    ("T1-K1", "VOF", 75.0, None, None),
    ("T1-K1", "SOF", 90.0, None, None),
    ("T2-K1", "AMF", 12.0, None, None),
]


def goal_year(year: int, values: list[tuple]) -> GoalYear:
    teman = _sheet(
        S.MAL,
        "teman",
        [
            {
                "tema_id": t,
                "ordning": o,
                "namn": n,
                "delmal": d,
                "kortsiktiga_indikatorer": k,
                "langsiktiga_indikatorer": lg,
                "kalla_avsnitt": f"Tema {n}",
                "kalla_citat": "…",
            }
            for t, o, n, d, k, lg in TEMAN
        ],
    )
    akt = _sheet(
        S.MAL,
        "aktiviteter",
        [
            {"aktivitet_id": a, "tema_id": t, "text": x, "ansvariga": r}
            for a, t, x, r in AKTIVITETER
        ],
    )
    lang = _sheet(
        S.MAL,
        "langsiktiga_mal",
        [{"mal_id": a, "tema_id": t, "text": x, "ansvariga": r} for a, t, x, r in LANGSIKTIGA],
    )
    ind = _sheet(
        S.MAL,
        "indikatorer",
        [
            {
                "indikator_id": i,
                "tema_id": t,
                "horisont": h,
                "text": x,
                "ansvariga": r,
                "enhet": u,
                "maltyp": m,
                "malvarde": v,
                "mal_text": f"mål för {i}",
            }
            for i, t, h, x, r, u, m, v in INDIKATORER
        ],
    )
    indikatorer = with_departments(ind, akt, lang, DEPARTMENTS)
    varden = _sheet(S.INDIKATORVARDEN, "varden", varden_rows(values))
    return GoalYear(year, teman, akt, lang, indikatorer, varden)


def dataset(goal_years: tuple[int, ...] = (2026, 2027, 2028)) -> Dataset:
    """The small world: 2018–2019 initiatives and the goal years asked for."""
    values = {2026: VARDEN_2026, 2027: VARDEN_2027, 2028: VARDEN_2028}
    return Dataset(
        data_dir=Path("small-world"),
        forvaltningar=_sheet(
            S.REFERENS,
            "forvaltningar",
            [{"kod": d, "namn": f"{d}-förvaltningen"} for d in DEPARTMENTS],
        ),
        fokusomraden=_sheet(S.REFERENS, "fokusomraden", [{"nr": 1, "namn": "Fokus"}]),
        delmal=_sheet(
            S.REFERENS,
            "delmal",
            [
                {"nr": 1, "namn": "Delmål ett"},
                {"nr": 2, "namn": "Delmål två"},
                {"nr": 3, "namn": "Tre"},
            ],
        ),
        dokument=_sheet(S.REFERENS, "dokument", [{"dokument_id": "plan", "titel": "Planen"}]),
        forkortningar=_sheet(S.REFERENS, "forkortningar", []),
        insatser=_sheet(
            S.INSATSER,
            "insatser",
            [
                {
                    "insats_id": i,
                    "namn": n,
                    "overordnad_insats": p,
                    "fokusomrade": 1,
                    "ar": y,
                    "matbara_mal": m,
                    "status": s,
                }
                for i, n, p, y, m, s in INSATSER
            ],
        ),
        ansvar=_sheet(
            S.INSATSER,
            "ansvar",
            [
                {
                    "insats_id": i,
                    "ar": y,
                    "ansvariga": d,
                    "ansvariga_i_texten": ", ".join(d) if d else None,
                    "status": s,
                }
                for i, y, d, s in ANSVAR
            ],
        ),
        resultat=_sheet(
            S.INSATSER,
            "resultat",
            [
                {
                    "resultat_id": r,
                    "insats_id": i,
                    "ar": y,
                    "matt": m,
                    "matt_typ": t,
                    "varde": v,
                    "enhet": u,
                    "kvalifikator": q,
                    "nyckeltal": k,
                    "slag": s,
                    "period": p,
                    "dimension": "kön" if r == "ips-r3" else None,
                }
                for r, i, y, m, t, v, u, q, k, s, p in RESULTAT
            ],
        ),
        koppling=_sheet(
            S.KOPPLING,
            "koppling",
            [
                {"koppling_id": k, "insats_id": i, "tema_id": t, "indikator_id": x, "relation": r}
                for k, i, t, x, r in KOPPLING
            ],
        ),
        goals={y: goal_year(y, values[y]) for y in goal_years},
    )
