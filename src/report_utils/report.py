"""The sections a report notebook displays, one method each, all in Swedish.

The notebook only builds a :class:`Report` and displays its sections; every rule lives in
:mod:`report_utils.compare` and every number is formatted by :mod:`report_utils.formatting`.
A section that does not apply to the report's year returns ``None`` (nothing shown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import charts, compare
from . import formatting as F
from . import schemas as S
from .model import Dataset, GoalYear, load_dataset_cached, load_for_report
from .settings import Settings

DOC_2018 = "stimulans-2018-2019"
DOC_2026 = "overenskommelse-2026"
UNIT_LABELS = {"antal": "antal", "andel": "andel (%)", "ja-nej": "ja/nej", "text": "text"}
STATUS_CLASS = {
    compare.UPPNATT: "uppnatt",
    compare.PA_VAG: "pa-vag",
    compare.EJ_UPPNATT: "ej-uppnatt",
    compare.EJ_RAPPORTERAT: "ej-rapporterat",
    compare.MAL_SAKNAS: "mal-saknas",
}


def load(data_dir: str | Path | None = None) -> Dataset:
    """The validated data set (default: the project's ``data/``)."""
    return load_dataset_cached(Path(data_dir) if data_dir else Settings().data_dir)


def _h(level: int, text: str, anchor: str | None = None) -> str:
    return F.tag(f"h{level}", F.esc(text), id=anchor)


def _codes(cell) -> str:
    return ", ".join(cell) if cell else compare.SHARED


def _status_badge(status: str) -> str:
    return F.tag("span", F.esc(status), class_=f"status status-{STATUS_CLASS[status]}")


def _years_text(cell) -> str:
    return F.join_list(cell or ())


@dataclass
class Report:
    """One department's report for one year."""

    data: Dataset
    department: str
    year: int
    notes: F.Footnotes = field(default_factory=F.Footnotes)
    _memo: dict = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, department: str, year: int | str, data_dir: str | Path | None = None) -> Report:
        """Load the data and check the parameters (unknown values name the valid ones)."""
        data = load_for_report(data_dir or Settings().data_dir, department, year)
        year = int(year)
        data.check_parameters(department, year)
        report = cls(data, department, year)
        report.notes.documents = dict(
            zip(data.dokument["dokument_id"], data.dokument["titel"], strict=True)
        )
        return report

    # -- helpers ------------------------------------------------------------------------
    @property
    def is_goal_year(self) -> bool:
        return self.year in self.data.goals

    @property
    def is_overview(self) -> bool:
        return self.department == S.DEPARTMENT_ALL

    @property
    def goal(self) -> GoalYear | None:
        return self.data.goals.get(self.year if self.is_goal_year else self.data.latest_goal_year)

    @property
    def who(self) -> str:
        return "hela staden" if self.is_overview else self.data.department_name(self.department)

    def crosswalk(self):
        """This report's crosswalk rows (computed once per report)."""
        if "cw" not in self._memo:
            self._memo["cw"] = compare.crosswalk_for(self.data, self.department, self.year)
        return self._memo["cw"]

    def _cite_2018(self, rec: dict) -> str:
        return self.notes.cite(DOC_2018, rec.get("kalla_avsnitt"), rec.get("kalla_citat"))

    def _cite_2026(self, avsnitt) -> str:
        # the 2026 text is OCR with broken å/ä/ö: cite document and section, not the raw line
        return self.notes.cite(DOC_2026, avsnitt, None)

    def _figure(self, rec: dict, cite: bool = True) -> str:
        text = F.esc(
            F.value_with_unit(
                rec.get("varde"), rec.get("enhet"), rec.get("kvalifikator"), rec.get("varde_max")
            )
        )
        if F.is_missing(rec.get("varde")):
            text = F.tag("span", text, class_="missing")
        return text + (self._cite_2018(rec) if cite else "")

    # -- sections ---------------------------------------------------------------------------
    def header(self) -> F.HTML:
        name = self.data.department_name(self.department)
        title = f"{name[:1].upper()}{name[1:]} – uppföljning {self.year}"
        if self.is_goal_year:
            lead = (
                f"Mål och mätbara indikatorer för {self.year} i Helsingborgs stads överenskommelse "
                "om psykisk hälsa och suicidprevention, jämförda med vad 2018–2019 års "
                "stimulansfinansierade insatser uppnådde."
            )
        else:
            lead = (
                f"Stimulansfinansierade insatser inom psykisk hälsa {self.year} och vad de "
                "uppnådde, med vart arbetet har tagit vägen i 2026 års överenskommelse."
            )
        scope = (
            "Översikten omfattar alla fyra förvaltningar."
            if self.is_overview
            else "Rapporten visar förvaltningens egna insatser, teman och indikatorer samt de som "
            "är gemensamma för alla förvaltningar (ingen förvaltning utpekad i texten)."
        )
        markup = (
            F.tag("p", "Helsingborgs stad · Psykisk hälsa och suicidprevention", class_="meta")
            + F.tag("h1", F.esc(title))
            + F.tag("p", F.esc(lead), class_="lead")
            + F.tag(
                "p",
                F.esc(scope) + " Saknade uppgifter visas som ”uppgift saknas”, aldrig "
                "som 0. Siffror med ca/drygt/över återges som i källan.",
                class_="note",
            )
            + self._kpis()
        )
        return F.HTML(markup, plain=title)

    def _kpis(self) -> str:
        items = []
        if self.is_goal_year:
            themes = compare.themes_for(self.goal, self.department)
            ind = compare.indicators_for(self.goal, self.department, themes)
            missing = compare.goals_without_indicators(self.goal, self.department)
            cw = self.crosswalk()
            items = [
                (len(themes), "teman"),
                (len(ind), "mätbara indikatorer"),
                (len(missing), "mål utan mätbar indikator"),
                (
                    cw.loc[cw["relation"].isin(["fortsätter", "ny form"]), "tema_id"].nunique(),
                    "teman med föregångare 2018–2019",
                ),
            ]
        else:
            inits = compare.initiatives_for(self.data, self.department, self.year)
            top = inits[inits["overordnad_insats"].isna()]
            res = compare.results_for(self.data, inits["insats_id"], self.year)
            items = [
                (len(top), "insatser"),
                (len(inits) - len(top), "delprojekt"),
                (len(res), "redovisade siffror"),
                (len(compare.without_measurable_goals(inits)), "insatser utan mätbara mål"),
            ]
        lis = "".join(
            F.tag("li", F.tag("span", F.esc(F.number(n, 0)), class_="n") + F.esc(label))
            for n, label in items
        )
        return F.tag("ul", lis, class_="kpis")

    # 2018–2019 ------------------------------------------------------------------------------------
    def initiatives(self) -> F.HTML | None:
        if self.is_goal_year:
            return None
        inits = compare.initiatives_for(self.data, self.department, self.year)
        focus = dict(zip(self.data.fokusomraden["nr"], self.data.fokusomraden["namn"], strict=True))
        names = dict(zip(self.data.insatser["insats_id"], self.data.insatser["namn"], strict=True))
        rows = []
        for rec in inits.to_dict("records"):
            name = F.esc(rec["namn"])
            if rec["overordnad_insats"]:
                name = f"{name}<br><span class='meta'>delprojekt i {F.esc(names.get(rec['overordnad_insats']))}</span>"
            rows.append(
                [
                    F.Cell(markup=name + self._cite_2018(rec)),
                    F.Cell(str(rec["fokusomrade"]), num=True),
                    rec["malgrupp"],
                    F.period(rec["period_start"], rec["period_slut"], rec["period_text"]),
                    _codes(rec["avdelningar"]),
                    rec["partner"] or "–",
                    rec["status"],
                ]
            )
        markup = (
            _h(2, f"Insatser {self.year}", "insatser")
            + F.tag(
                "p",
                F.esc(
                    f"Insatser som {self.who} ansvarade för eller deltog i under {self.year}, "
                    "med fokusområde, målgrupp, period och samarbetspartner."
                ),
            )
            + F.tag(
                "p",
                "Fokusområden: " + F.esc("; ".join(f"{k}. {v}" for k, v in focus.items())),
                class_="legend",
            )
            + F.table(
                ["Insats", "Fokus­område", "Målgrupp", "Period", "Förv.", "Partner", "Utfall"],
                rows,
                caption=f"Insatser {self.year}",
                empty=f"Inga insatser för {self.who} {self.year}.",
            )
        )
        return F.HTML(markup, plain=f"Insatser {self.year}: {len(rows)}")

    def results(self) -> F.HTML | None:
        if self.is_goal_year:
            return None
        inits = compare.initiatives_for(self.data, self.department, self.year)
        res = compare.results_for(self.data, inits["insats_id"], self.year)
        names = dict(zip(inits["insats_id"], inits["namn"], strict=True))
        rows = []
        for rec in res.to_dict("records"):
            measure = rec["matt"]
            if rec["kategori"]:
                measure = f"{measure} – {rec['kategori']}"
            rows.append(
                [
                    names.get(rec["insats_id"], rec["insats_id"]),
                    measure,
                    F.Cell(markup=self._figure(rec), num=True),
                    rec["period"] or str(rec["ar"]),
                ]
            )
        markup = (
            _h(2, f"Resultat {self.year}", "resultat")
            + F.tag(
                "p",
                F.esc(
                    "Varje siffra som utvärderingarna redovisar, med källa. "
                    "Ungefärliga siffror behåller källans ca/drygt/över."
                ),
            )
            + F.table(
                ["Insats", "Mått", "Värde", "Avser"],
                rows,
                caption=f"Resultat {self.year}",
                empty=f"Inga redovisade resultat för {self.who} {self.year}.",
            )
        )
        return F.HTML(markup, plain=f"Resultat {self.year}: {len(rows)} siffror")

    def results_chart(self) -> F.HTML | None:
        if self.is_goal_year:
            return None
        figures = compare.key_figures(self.data, self.department)
        this_year = figures.loc[figures["ar"] == self.year, "insats_id"]
        names = dict(zip(self.data.insatser["insats_id"], self.data.insatser["namn"], strict=True))
        labels, series = compare.key_figure_series(
            figures[figures["insats_id"].isin(this_year)], names
        )
        if not labels:
            return F.HTML(
                _h(2, "Nådda och utbildade personer", "diagram")
                + F.tag(
                    "p",
                    F.esc(f"Inga nyckeltal redovisade för {self.who} {self.year}."),
                    class_="empty",
                )
            )
        both = list(series)
        alt = "Stapeldiagram: " + "; ".join(
            f"{lab}: "
            + ", ".join(
                f"{y} {F.number(v) if v is not None else F.MISSING}"
                for y, v in zip(series, vals, strict=True)
            )
            for lab, vals in zip(labels, zip(*series.values(), strict=True), strict=True)
        )
        chart = charts.bar_chart(
            labels,
            series,
            title=f"Personer som nåtts eller utbildats per insats ({'–'.join(map(str, both))})",
            xlabel="Antal personer (insatsens huvudsiffra)",
            alt=alt,
            caption="Varje insats huvudsiffra för nådda eller utbildade personer, per år där "
            "den redovisas. Där båda åren finns visas de bredvid varandra.",
        )
        return F.HTML(_h(2, "Nådda och utbildade personer", "diagram") + str(chart), plain=alt)

    def no_measurable_goals(self) -> F.HTML | None:
        if self.is_goal_year:
            return None
        inits = compare.initiatives_for(self.data, self.department, self.year)
        none = compare.without_measurable_goals(inits)
        rows = [
            [
                F.Cell(markup=F.esc(r["namn"]) + self._cite_2018(r)),
                "nej" if r["matbara_mal"] == "nej" else "ej angivet i planen",
                r["matbara_mal_text"]
                if r["matbara_mal"] != "nej" and r["matbara_mal_text"]
                else "–",
            ]
            for r in none.to_dict("records")
        ]
        markup = (
            _h(2, "Insatser utan mätbara mål", "utan-matbara-mal")
            + F.tag(
                "p",
                F.esc(
                    "Insatser där planen svarade nej på ”Finns mätbara mål inom området?” "
                    "eller inte angav något."
                ),
            )
            + F.table(
                ["Insats", "Mätbara mål", "Kommentar"],
                rows,
                empty="Alla insatser angav mätbara mål.",
            )
        )
        return F.HTML(markup, plain=f"Utan mätbara mål: {len(rows)}")

    # 2026 ---------------------------------------------------------------------------------------------
    def themes(self) -> F.HTML | None:
        if not self.is_goal_year:
            return None
        themes = compare.themes_for(self.goal, self.department)
        ind = compare.indicators_for(self.goal, self.department, themes)
        counts = ind.groupby(["tema_id", "horisont"]).size().to_dict()
        rows = []
        for rec in themes.to_dict("records"):
            rows.append(
                [
                    F.Cell(markup=F.esc(rec["namn"]) + self._cite_2026(rec["kalla_avsnitt"])),
                    ", ".join(map(str, rec["delmal"] or ())) or "–",
                    _codes(rec["avdelningar"]),
                    F.Cell(F.number(counts.get((rec["tema_id"], "kort"), 0), 0), num=True),
                    F.Cell(F.number(counts.get((rec["tema_id"], "lång"), 0), 0), num=True),
                ]
            )
        markup = _h(2, f"Teman {self.year}", "teman") + F.table(
            ["Tema", "Delmål", "Förvaltningar", "Indikatorer kort sikt", "Indikatorer lång sikt"],
            rows,
            caption=f"Teman i överenskommelsen {self.year}",
        )
        return F.HTML(markup, plain=f"Teman: {len(rows)}")

    def indicators(self) -> F.HTML | None:
        if not self.is_goal_year:
            return None
        themes = compare.themes_for(self.goal, self.department)
        ind = compare.indicators_for(self.goal, self.department, themes)
        parts = [_h(2, "Mätbara indikatorer", "indikatorer")]
        for horizon, label in (("kort", "Kort sikt"), ("lång", "Lång sikt")):
            sub = ind[ind["horisont"] == horizon]
            rows = [
                [
                    r["tema"],
                    F.Cell(markup=F.esc(r["text"]) + self._cite_2026(r["kalla_avsnitt"])),
                    _codes(r["ansvariga"]),
                    UNIT_LABELS.get(r["enhet"], r["enhet"]),
                    r["mal_text"] or "–",
                ]
                for r in sub.to_dict("records")
            ]
            parts.append(_h(3, f"{label} ({F.number(len(rows), 0)} indikatorer)"))
            parts.append(
                F.table(
                    ["Tema", "Indikator", "Ansvariga", "Enhet", "Mål"],
                    rows,
                    empty=f"Inga indikatorer på {label.lower()}.",
                )
            )
        targets = ind[ind["maltyp"].isin([m for m in S.MALTYPER if m not in ("ingen",)])]
        rows = [
            [
                r["tema"],
                r["text"],
                r["namnd"] or "–",
                r["mal_text"] or "–",
                F.Cell(self._target_text(r), num=True),
            ]
            for r in targets.to_dict("records")
        ]
        parts.append(_h(3, "Indikatorer med kvantitativa mål"))
        parts.append(
            F.table(
                ["Tema", "Indikator", "Nämnd", "Målet i texten", "Mål"],
                rows,
                empty="Inga indikatorer med kvantitativa mål.",
            )
        )
        return F.HTML("".join(parts), plain=f"Indikatorer: {len(ind)}")

    @staticmethod
    def _target_text(rec: dict) -> str:
        return F.target(rec.get("maltyp"), rec.get("malvarde")) or "–"

    def subgoals(self) -> F.HTML | None:
        if not self.is_goal_year:
            return None
        cov = compare.subgoal_coverage(self.data, self.goal, self.department)
        rows = [
            [
                F.Cell(str(r["nr"]), num=True),
                r["namn"],
                F.Cell(F.number(r["teman"], 0), num=True),
                F.Cell(F.number(r["indikatorer"], 0), num=True),
            ]
            for r in cov.to_dict("records")
        ]
        labels = [f"{r['nr']}. {r['namn']}" for r in cov.to_dict("records")]
        alt = "Stapeldiagram över teman per delmål: " + "; ".join(
            f"delmål {r['nr']}: {r['teman']} teman, {r['indikatorer']} indikatorer"
            for r in cov.to_dict("records")
        )
        chart = charts.bar_chart(
            labels,
            {
                "Teman": [float(v) for v in cov["teman"]],
                "Indikatorer": [float(v) for v in cov["indikatorer"]],
            },
            title="Den nationella strategins delmål: teman och indikatorer",
            xlabel="Antal",
            alt=alt,
            caption=f"Hur många av {self.who}s teman och indikatorer {self.year} som ingår i "
            "respektive delmål (ett tema kan ingå i flera delmål).",
        )
        uncovered = [r["namn"] for r in cov.to_dict("records") if r["teman"] == 0]
        note = (
            F.tag(
                "p",
                F.esc("Delmål utan något tema: " + F.join_list(uncovered) + "."),
                class_="callout",
            )
            if uncovered
            else ""
        )
        markup = (
            _h(2, "Täckning av den nationella strategins delmål", "delmal")
            + str(chart)
            + note
            + F.table(["Delmål", "Namn", "Teman", "Indikatorer"], rows)
        )
        return F.HTML(markup, plain=alt)

    def goals_without_indicators(self) -> F.HTML | None:
        if not self.is_goal_year:
            return None
        missing = compare.goals_without_indicators(self.goal, self.department)
        rows = []
        for r in missing.to_dict("records"):
            why = (
                "texten anger ”Saknas”"
                if r["status"] == "saknas"
                else "inget indikatoravsnitt i texten"
            )
            goals = (
                F.tag("ul", "".join(F.tag("li", F.esc(g)) for g in r["mal"])) if r["mal"] else "–"
            )
            rows.append(
                [
                    F.Cell(markup=F.esc(r["tema"]) + self._cite_2026(r["kalla_avsnitt"])),
                    r["horisont"],
                    why,
                    F.Cell(markup=goals),
                ]
            )
        markup = (
            _h(2, "Mål som saknar mätbar indikator", "mal-utan-indikator")
            + F.tag(
                "p",
                F.esc(
                    "Här går uppföljning inte att göra: målen eller aktiviteterna "
                    "nedan har ingen mätbar indikator i överenskommelsen."
                ),
                class_="callout",
            )
            + F.table(
                ["Tema", "Horisont", "Varför", "Mål och aktiviteter utan indikator"],
                rows,
                empty="Alla mål har minst en mätbar indikator.",
            )
        )
        return F.HTML(markup, plain=f"Mål utan indikator: {len(rows)}")

    # comparison ------------------------------------------------------------------------------------
    def comparison(self) -> F.HTML | None:
        if self.goal is None:
            return None
        cw = self.crosswalk()
        rows = []
        for r in cw.to_dict("records"):
            base = "<br>".join(
                f"{b['ar']}: {F.esc(b['matt'])} {self._figure(b)}" for b in r["baslinje"]
            ) or F.tag("span", F.MISSING, class_="missing")
            target = "–" if F.is_missing(r["indikator"]) else F.esc(r["indikator"])
            if r["mal_text"]:
                target += "<br>" + F.tag("em", "Mål: " + F.esc(r["mal_text"]))
            rows.append(
                [
                    F.Cell(
                        markup=F.esc(r["insats"])
                        + self.notes.cite(DOC_2018, None, r["kalla_citat_2018"])
                    ),
                    F.Cell(markup=base),
                    r["relation"],
                    "–" if F.is_missing(r["tema"]) else r["tema"],
                    F.Cell(markup=target),
                    r["motivering"],
                ]
            )
        parts = [
            _h(2, "Jämförelse: 2018–2019 mot 2026", "jamforelse"),
            F.tag(
                "p",
                F.esc(
                    "För varje 2018–2019-insats med en efterföljare 2026: baslinjen (insatsens "
                    "huvudsiffror) bredvid 2026 års tema, indikator och mål. Relationen anger om "
                    "arbetet fortsätter, lever vidare i ny form, avvecklades eller saknar efterföljare."
                ),
            ),
            str(self._continuity_chart(cw)),
            F.table(
                [
                    "Insats 2018–2019",
                    "Baslinje",
                    "Relation",
                    "Tema 2026",
                    "Indikator och mål 2026",
                    "Motivering",
                ],
                rows,
                caption="Insatser 2018–2019 och deras efterföljare 2026",
                empty=f"Inga kopplingar mellan 2018–2019 och 2026 för {self.who}.",
            ),
        ]
        ended = compare.ended_without_successor(cw)
        parts.append(_h(3, "Insatser som avslutades utan efterföljare"))
        parts.append(
            F.table(
                ["Insats", "Relation", "Motivering"],
                [[r["insats"], r["relation"], r["motivering"]] for r in ended.to_dict("records")],
                empty="Alla insatser har en efterföljare 2026.",
            )
        )
        if self.is_goal_year:
            new = compare.themes_without_precursor(self.data, self.goal, self.department)
            parts.append(_h(3, f"Teman {self.year} utan föregångare 2018–2019"))
            parts.append(
                F.tag(
                    "p",
                    F.esc(F.join_list(new["namn"]) + ".")
                    if len(new)
                    else F.esc("Alla teman har en föregångare."),
                    class_="note",
                )
            )
        return F.HTML("".join(parts), plain=f"Jämförelse: {len(rows)} kopplingar")

    def _continuity_chart(self, cw) -> F.HTML | str:
        if cw.empty:
            return ""
        left = list(dict.fromkeys(cw["insats"]))
        right = list(dict.fromkeys(t for t in cw["tema"] if not F.is_missing(t)))
        links = [
            (
                left.index(r["insats"]),
                None if F.is_missing(r["tema"]) else right.index(r["tema"]),
                r["relation"],
            )
            for r in cw.to_dict("records")
        ]
        alt = "Kopplingar från insatser 2018–2019 till teman 2026: " + "; ".join(
            f"{r['insats']} → {'ingen efterföljare' if F.is_missing(r['tema']) else r['tema']}"
            f" ({r['relation']})"
            for r in cw.to_dict("records")
        )
        return charts.continuity_chart(
            left,
            right,
            links,
            title="Från 2018–2019 till 2026",
            alt=alt,
            caption="Varje linje är en koppling; färg och linjetyp visar relationen "
            "(heldragen: fortsätter, streckad: ny form, prickad: avvecklad eller ingen efterföljare).",
        )

    # goal attainment -----------------------------------------------------------------------------------
    def attainment(self) -> F.HTML | None:
        if not self.is_goal_year:
            return None
        st = compare.indicator_status(self.data, self.year, self.department)
        reported = st["varde"].map(lambda v: not F.is_missing(v)).sum()
        parts = [_h(2, f"Måluppfyllelse {self.year}", "maluppfyllelse")]
        if reported == 0:
            parts.append(
                F.tag(
                    "p",
                    F.esc(
                        f"Inga indikatorvärden är rapporterade för {self.year} ännu (data/{self.year}/"
                        "indikatorvarden.xlsx). Alla indikatorer visas därför som ”ej rapporterat”."
                    ),
                    class_="callout",
                )
            )
        counts = compare.status_counts(st)
        count_rows = [
            [code, *[F.Cell(F.number(row[s], 0), num=True) for s in [*compare.STATUSES, "totalt"]]]
            for code, row in counts.iterrows()
        ]
        parts.append(
            F.table(
                ["Förvaltning", *compare.STATUSES, "Totalt"],
                count_rows,
                caption="Antal indikatorer per status",
            )
        )
        rows = []
        for r in st.to_dict("records"):
            value = self._indicator_value(r["varde"], r["enhet"])
            base = "–"
            if r["jamforelsevarde"] is not None:
                base = f"{self._indicator_value(r['jamforelsevarde'], r['enhet'])} ({r['jamforelsear']})"
            hist = (
                "<br>".join(f"{b['ar']}: {self._figure(b)}" for b in r["baslinje_2018_2019"]) or "–"
            )
            target = self._target_text(r) if r["maltyp"] not in (None, "ingen") else "–"
            rows.append(
                [
                    r["indikator"],
                    r["forvaltning"],
                    F.Cell(markup=value, num=True),
                    F.Cell(target, num=True),
                    F.Cell(base, num=True),
                    F.Cell(markup=hist, num=True),
                    F.Cell(markup=_status_badge(r["status"])),
                    r["kommentar"] or "–",
                ]
            )
        parts.append(_h(3, "Alla indikatorer"))
        parts.append(
            F.table(
                [
                    "Indikator",
                    "Förv.",
                    "Värde",
                    "Mål",
                    "Jämförelse­värde",
                    "Baslinje 2018–2019",
                    "Status",
                    "Kommentar",
                ],
                rows,
            )
        )
        parts.append(str(self._trend(st)))
        return F.HTML("".join(parts), plain=f"Måluppfyllelse: {reported} rapporterade värden")

    @staticmethod
    def _indicator_value(value, unit) -> str:
        if F.is_missing(value):
            return F.tag("span", F.esc(F.MISSING), class_="missing")
        if unit == "andel" and isinstance(value, int | float):
            return F.esc(F.percent(value))
        if isinstance(value, int | float):
            return F.esc(F.number(value))
        return F.esc(value)

    def _trend(self, st) -> F.HTML | str:
        years = [y for y in self.data.goal_years if y <= self.year]
        if len(years) < 2:
            return ""
        series = {}
        for r in st.to_dict("records"):
            trend = compare.value_trend(self.data, r["indikator_id"], r["forvaltning"])
            vals = [trend.get(y) for y in years]
            numeric = [v if isinstance(v, int | float) else None for v in vals]
            if sum(v is not None for v in numeric) >= 2:
                series[f"{r['indikator'][:40]} ({r['forvaltning']})"] = numeric
            if len(series) == 6:
                break
        if not series:
            return ""
        alt = "Linjediagram över rapporterade värden per år: " + "; ".join(
            f"{k}: "
            + ", ".join(
                f"{y} {F.number(v) if v is not None else F.MISSING}"
                for y, v in zip(years, vals, strict=True)
            )
            for k, vals in series.items()
        )
        chart = charts.line_chart(
            years,
            series,
            title="Utveckling över åren",
            ylabel="Värde",
            alt=alt,
            caption="Indikatorer med värden för minst två år.",
        )
        return _h(3, "Utveckling över åren") + str(chart)

    # city-wide -----------------------------------------------------------------------------------------
    def overview_matrix(self) -> F.HTML | None:
        if not self.is_overview or self.goal is None:
            return None
        goal = self.goal
        matrix = compare.department_subgoal_matrix(self.data, goal)
        rows = [
            [F.Cell(dept), *[F.Cell(F.number(v, 0), num=True) for v in row]]
            for dept, row in matrix.iterrows()
        ]
        chart = charts.matrix_chart(
            list(matrix.index),
            [str(c) for c in matrix.columns],
            matrix.values.tolist(),
            title=f"Förvaltning × delmål: antal teman {goal.year}",
            alt="Matris över antal teman per förvaltning och delmål: "
            + "; ".join(
                f"{d}: " + ", ".join(f"delmål {c} {v}" for c, v in row.items())
                for d, row in matrix.iterrows()
            ),
            caption="Antal teman per förvaltning som ingår i varje delmål (inklusive gemensamma teman).",
            col_label="Delmål",
        )
        totals = []
        for dept in self.data.departments:
            themes = compare.themes_for(goal, dept)
            ind = compare.indicators_for(goal, dept, themes)
            inits = compare.initiatives_for(self.data, dept)
            totals.append(
                [
                    dept,
                    F.Cell(F.number(len(inits[inits["overordnad_insats"].isna()]), 0), num=True),
                    F.Cell(F.number(len(themes), 0), num=True),
                    F.Cell(F.number(len(ind), 0), num=True),
                ]
            )
        all_themes = compare.themes_for(goal, S.DEPARTMENT_ALL)
        all_ind = compare.indicators_for(goal, S.DEPARTMENT_ALL, all_themes)
        all_inits = self.data.insatser[self.data.insatser["overordnad_insats"].isna()]
        totals.append(
            [
                F.Cell("Hela staden", cls="total"),
                F.Cell(F.number(len(all_inits), 0), num=True),
                F.Cell(F.number(len(all_themes), 0), num=True),
                F.Cell(F.number(len(all_ind), 0), num=True),
            ]
        )
        markup = (
            _h(2, "Alla förvaltningar", "alla")
            + str(chart)
            + F.table(
                ["Förvaltning", *[f"Delmål {c}" for c in matrix.columns]],
                rows,
                caption="Antal teman per förvaltning och delmål",
            )
            + F.table(
                [
                    "Förvaltning",
                    "Insatser 2018–2019",
                    f"Teman {goal.year}",
                    f"Indikatorer {goal.year}",
                ],
                totals,
                caption="Totalt per förvaltning",
            )
        )
        return F.HTML(markup, plain="Alla förvaltningar")

    def sources(self) -> F.HTML:
        docs = "".join(
            F.tag("li", F.tag("cite", F.esc(r["titel"])) + " – " + F.esc(r["beskrivning"] or ""))
            for r in self.data.dokument.to_dict("records")
        )
        markup = (
            _h(2, "Källor", "kallor")
            + F.tag(
                "p",
                F.esc(
                    "Varje siffra och uppgift är hämtad ur källdokumenten nedan. "
                    "Citat ur 2026 års dokument återges inte ordagrant eftersom "
                    "texten är OCR-inläst; avsnittet anges i stället."
                ),
                class_="note",
            )
            + F.tag("ul", docs)
            + self.notes.render()
        )
        return F.HTML(markup, plain=f"Källor: {len(self.notes.notes)}")
