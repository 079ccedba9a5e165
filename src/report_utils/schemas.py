"""What every workbook and sheet under ``data/`` must look like — declarations only.

The checks that apply these declarations live in :mod:`report_utils.validation`
(as pandera keeps its ``api`` apart from its ``backends``). ``data/README.md`` documents
the same columns; a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of column, and what a cell of that kind must hold.
TEXT = "text"  # any text
ID = "id"  # a short identifier: letters, digits, '-', '_'
INT = "int"  # a whole number
NUMBER = "number"  # a number; Swedish formats accepted: "1 100", "23,5", "23 %"
ENUM = "enum"  # one of `choices`
CODES = "codes"  # a comma-separated list of department codes ("SOF, VOF")
INTLIST = "intlist"  # a comma-separated list of whole numbers ("2, 5 och 7" is accepted)
DATE = "date"  # YYYY, YYYY-MM or YYYY-MM-DD (or an Excel date)

KIND_EXPECTED = {
    TEXT: "text",
    ID: "en kod av bokstäver, siffror, '-' eller '_'",
    INT: "ett heltal",
    NUMBER: "ett tal (t.ex. 1 100, 23,5 eller 23 %)",
    ENUM: "ett av värdena",
    CODES: "förvaltningskoder separerade med kommatecken (t.ex. 'SOF, VOF')",
    INTLIST: "heltal separerade med kommatecken (t.ex. '1, 2')",
    DATE: "ett datum: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD",
}


@dataclass(frozen=True)
class Ref:
    """The column's values must exist in ``sheet.column`` (of the same or a shared workbook)."""

    sheet: str
    column: str


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    doc: str = ""
    required: bool = True
    unique: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    ref: Ref | None = None

    @property
    def expected(self) -> str:
        text = KIND_EXPECTED[self.kind]
        if self.kind == ENUM:
            text += " " + ", ".join(repr(c) for c in self.choices)
        if self.min is not None and self.max is not None:
            text += f" mellan {self.min:g} och {self.max:g}"
        elif self.min is not None:
            text += f", minst {self.min:g}"
        return text


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    doc: str = ""
    source: str = ""  # dokument_id whose text the provenance quotes come from

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Workbook:
    key: str  # how the code refers to it
    path: str  # relative to the data directory; "{year}" for per-year workbooks
    sheets: tuple[Sheet, ...]
    doc: str = ""
    per_year: bool = False

    def sheet(self, name: str) -> Sheet:
        return next(s for s in self.sheets if s.name == name)


DEPARTMENT_ALL = "ALLA"
#: the four departments the agreement is between (the codes of referens.xlsx)
DEPARTMENTS = ("AMF", "SFF", "SOF", "VOF")
JA_NEJ = ("ja", "nej")
STATUS_2018 = ("genomförd", "delvis genomförd", "pågår", "avvecklad", "ej rapporterat")
RELATIONS = ("fortsätter", "ny form", "avvecklad", "ingen efterföljare")
MATT_TYPER = (
    "deltagare",
    "utbildade",
    "tillfallen",
    "andel",
    "enkat",
    "arenden",
    "utfall",
    "narvaro",
    "ekonomi",
    "ovrigt",
)
KVALIFIKATORER = ("exakt", "ca", "drygt", "över", "under", "minst", "intervall")
#: what kind of figure a result is (only ``uppnått`` figures are results of the year)
UPPNATT = "uppnått"  # achieved in the year the row gives
PLANERAT = "planerat"  # a plan or target ("ska nå 360 personal")
SAMMANLAGT = "sammanlagt"  # cumulative over a longer period (``period`` says which, e.g. 2012–2018)
BAKGRUND = "bakgrund"  # context: the size of a team, an ordinal, the length of a programme …
RESULTATSLAG = (UPPNATT, PLANERAT, SAMMANLAGT, BAKGRUND)
INDIKATOR_ENHETER = ("antal", "andel", "ja-nej", "text")
MALTYPER = (
    "ingen",
    "oka",  # direction only: the value should rise (compared with jamforelsevarde)
    "minska",  # direction only: the value should fall
    "minska_procent",
    "minska_procentenheter",
    "oka_procent",
    "oka_procentenheter",
    "minst",
    "hogst",
    "ja",
)
#: target types that need no target value
DIRECTION_ONLY_TARGETS = ("ingen", "ja", "oka", "minska")
#: target types that state a number (the rest: a direction, yes/no, or none)
NUMERIC_TARGETS = tuple(m for m in MALTYPER if m not in DIRECTION_ONLY_TARGETS)
INDIKATOR_STATUS = ("finns", "saknas", "ej angivet")
#: units of a result whose values are shares and must lie within 0–100
PERCENT_UNITS = ("procent",)
#: units of a result whose values are counts and cannot be negative
COUNT_UNITS = ("antal",)

_AVSNITT = Column("kalla_avsnitt", doc="Avsnittet (rubriken) i källdokumentet.")
_CITAT_2018 = Column("kalla_citat", doc="Meningen ordagrant ur källdokumentet, där värdet står.")
_CITAT_OCR = Column(
    "kalla_citat",
    doc="Raden/raderna ordagrant ur OCR-texten (med dess trasiga å/ä/ö), där uppgiften står.",
)

REFERENS = Workbook(
    key="referens",
    path="referens.xlsx",
    doc="Referenstabeller: förvaltningar, fokusområden, delmål och källdokument.",
    sheets=(
        Sheet(
            "forvaltningar",
            (
                Column("kod", ID, "Förvaltningens kod, t.ex. SOF.", unique=True),
                Column("namn", doc="Förvaltningens namn."),
                Column("kalla", doc="Var uppgiften kommer ifrån."),
            ),
            doc="De fyra förvaltningarna som rapporterna görs för.",
        ),
        Sheet(
            "fokusomraden",
            (
                Column("nr", INT, "Fokusområdets nummer (1–5).", unique=True, min=1),
                Column("namn", doc="Fokusområdets namn."),
                Column("kalla", doc="Var uppgiften kommer ifrån."),
            ),
            doc="2018/2019 års fem fokusområden.",
        ),
        Sheet(
            "delmal",
            (
                Column("nr", INT, "Delmålets nummer (1–7).", unique=True, min=1),
                Column("namn", doc="Delmålets namn."),
                Column("kalla", doc="Var uppgiften kommer ifrån."),
            ),
            doc="Den nationella strategins sju delmål.",
        ),
        Sheet(
            "dokument",
            (
                Column("dokument_id", ID, "Källdokumentets kod.", unique=True),
                Column("titel", doc="Dokumentets titel."),
                Column("fil", doc="Filen under data/sources/."),
                Column("beskrivning", doc="Vad dokumentet är.", required=False),
            ),
            doc="Källdokumenten som all data är hämtad ur.",
        ),
        Sheet(
            "forkortningar",
            (
                Column("forkortning", doc="Förkortningen som den skrivs, t.ex. MHFA.", unique=True),
                Column("betydelse", doc="Vad den står för, på svenska."),
                Column("kalla", doc="Var förklaringen kommer ifrån."),
            ),
            doc="Förkortningar som rapporterna förklarar i en ordlista (bara de som används).",
        ),
    ),
)

INSATSER = Workbook(
    key="insatser",
    path="insatser_2018-2019.xlsx",
    doc="2018/2019 års stimulansfinansierade insatser och deras resultat.",
    sheets=(
        Sheet(
            "insatser",
            (
                Column("insats_id", ID, "Insatsens kod.", unique=True),
                Column("namn", doc="Insatsens namn."),
                Column(
                    "overordnad_insats",
                    ID,
                    "För delprojekt: huvudinsatsens kod.",
                    required=False,
                    ref=Ref("insatser", "insats_id"),
                ),
                Column("fokusomrade", INT, "Fokusområde 1–5.", ref=Ref("fokusomraden", "nr")),
                Column("ar", INTLIST, "År som insatsen gäller, t.ex. '2018, 2019'.", min=2000),
                Column(
                    "partner",
                    doc="Samarbetspartner som texten räknar upp, i textens ordning (';' mellan).",
                    required=False,
                ),
                Column("malgrupp", doc="Målgrupp.", required=False),
                Column("period_start", DATE, "Periodens början.", required=False),
                Column("period_slut", DATE, "Periodens slut.", required=False),
                Column("period_text", doc="Tidsplanen som den står i texten.", required=False),
                Column(
                    "matbara_mal",
                    ENUM,
                    "Angav planen mätbara mål?",
                    choices=("ja", "nej", "ej angivet"),
                ),
                Column("matbara_mal_text", doc="Svaret på 'Finns mätbara mål?'.", required=False),
                Column("status", ENUM, "Utfall enligt texten.", choices=STATUS_2018),
                Column("status_text", doc="Kort motivering av status.", required=False),
                Column("beskrivning", doc="Kort beskrivning.", required=False),
                _AVSNITT,
                _CITAT_2018,
            ),
            doc="En rad per insats (och per delprojekt som redovisar egna resultat).",
            source="stimulans-2018-2019",
        ),
        Sheet(
            "ansvar",
            (
                Column("insats_id", ID, "Insatsen.", ref=Ref("insatser", "insats_id")),
                Column("ar", INT, "Året ansvaret gäller.", min=2000, max=2100),
                Column(
                    "ansvariga",
                    CODES,
                    "Förvaltningar som texten anger som ansvariga det året (koder). Tomt = "
                    "texten pekar inte ut någon förvaltning: insatsen visas då bara i översikten.",
                    required=False,
                    ref=Ref("forvaltningar", "kod"),
                ),
                Column(
                    "ansvariga_i_texten",
                    doc="De ansvariga som texten anger dem, även enheter och partner.",
                    required=False,
                ),
                Column(
                    "status",
                    ENUM,
                    "Utfallet det året, där det skiljer sig från insatsens (t.ex. pågår det "
                    "första året, genomförd det andra). Tomt = insatsens status.",
                    required=False,
                    choices=STATUS_2018,
                ),
                _AVSNITT,
                _CITAT_2018,
            ),
            doc="Ansvariga förvaltningar per insats och år, som texten anger dem. En huvudinsats "
            "har en rad för varje år den pågick; ett delprojekt utan egen rad ett år ärver "
            "huvudinsatsens ansvariga det året.",
            source="stimulans-2018-2019",
        ),
        Sheet(
            "resultat",
            (
                Column("resultat_id", ID, "Resultatradens kod.", unique=True),
                Column("insats_id", ID, "Insatsen.", ref=Ref("insatser", "insats_id")),
                Column("ar", INT, "Året resultatet gäller.", min=2000, max=2100),
                Column("matt", doc="Vad som mäts."),
                Column("matt_typ", ENUM, "Typ av mått.", choices=MATT_TYPER),
                Column(
                    "slag",
                    ENUM,
                    "Vad siffran är: uppnått under året, planerat (en plan eller ett mål), "
                    "sammanlagt över en längre period (ange perioden i 'period') eller bakgrund "
                    "(t.ex. en grupps storlek, ett ordningstal).",
                    choices=RESULTATSLAG,
                ),
                Column("dimension", doc="Uppdelning (kön, ålder, månad …).", required=False),
                Column("kategori", doc="Uppdelningens värde.", required=False),
                Column(
                    "varde",
                    NUMBER,
                    "Värdet. Tomt = uppgift saknas (aldrig 0).",
                    required=False,
                ),
                Column("varde_max", NUMBER, "Övre gräns för intervall.", required=False),
                Column("enhet", doc="Enhet: antal, procent, tkr …"),
                Column(
                    "kvalifikator",
                    ENUM,
                    "ca, drygt, över …; tomt när värdet saknas.",
                    required=False,
                    choices=KVALIFIKATORER,
                ),
                Column(
                    "nyckeltal",
                    ENUM,
                    "Insatsens huvudsiffra för nådda/utbildade personer det året; bara för "
                    "uppnådda siffror och högst en per insats och år.",
                    choices=JA_NEJ,
                ),
                Column("period", doc="Perioden om den skiljer sig från året.", required=False),
                _AVSNITT,
                _CITAT_2018,
            ),
            doc="En rad per siffra som utvärderingarna redovisar.",
            source="stimulans-2018-2019",
        ),
    ),
)

MAL = Workbook(
    key="mal",
    path="{year}/mal.xlsx",
    per_year=True,
    doc="Årets mål: teman, kortsiktiga aktiviteter, långsiktiga mål och indikatorer.",
    sheets=(
        Sheet(
            "teman",
            (
                Column("tema_id", ID, "Temats kod (T01 …).", unique=True),
                Column("ordning", INT, "Ordning i dokumentet.", min=1),
                Column("namn", doc="Temats namn."),
                Column(
                    "delmal",
                    INTLIST,
                    "Nationella strategins delmål som temat ingår i.",
                    required=False,
                    ref=Ref("delmal", "nr"),
                ),
                Column("beskrivning", doc="Kort sammanfattning.", required=False),
                Column(
                    "kortsiktiga_indikatorer",
                    ENUM,
                    "Finns kortsiktiga indikatorer?",
                    choices=INDIKATOR_STATUS,
                ),
                Column(
                    "langsiktiga_indikatorer",
                    ENUM,
                    "Finns långsiktiga indikatorer?",
                    choices=INDIKATOR_STATUS,
                ),
                _AVSNITT,
                _CITAT_OCR,
                Column(
                    "kalla_citat_saknas",
                    doc="OCR-raden där texten säger 'Saknas'.",
                    required=False,
                ),
            ),
            doc="En rad per tema i överenskommelsen.",
            source="overenskommelse-2026",
        ),
        Sheet(
            "aktiviteter",
            (
                Column("aktivitet_id", ID, "Aktivitetens kod (T07-A1 …).", unique=True),
                Column("tema_id", ID, "Temat.", ref=Ref("teman", "tema_id")),
                Column("text", doc="Aktiviteten."),
                Column(
                    "ansvariga",
                    CODES,
                    "Förvaltningar som texten nämner.",
                    required=False,
                    ref=Ref("forvaltningar", "kod"),
                ),
                _AVSNITT,
                _CITAT_OCR,
            ),
            doc="Kortsiktiga mål och aktiviteter, en rad per punkt.",
            source="overenskommelse-2026",
        ),
        Sheet(
            "langsiktiga_mal",
            (
                Column("mal_id", ID, "Målets kod (T07-M1 …).", unique=True),
                Column("tema_id", ID, "Temat.", ref=Ref("teman", "tema_id")),
                Column("text", doc="Målet."),
                Column(
                    "ansvariga",
                    CODES,
                    "Förvaltningar som texten nämner.",
                    required=False,
                    ref=Ref("forvaltningar", "kod"),
                ),
                _AVSNITT,
                _CITAT_OCR,
            ),
            doc="Långsiktiga mål, en rad per punkt.",
            source="overenskommelse-2026",
        ),
        Sheet(
            "indikatorer",
            (
                Column("indikator_id", ID, "Indikatorns kod (T07-K1, T07-L1 …).", unique=True),
                Column("tema_id", ID, "Temat.", ref=Ref("teman", "tema_id")),
                Column("horisont", ENUM, "Kort eller lång sikt.", choices=("kort", "lång")),
                Column("text", doc="Indikatorn."),
                Column(
                    "ansvariga",
                    CODES,
                    "Ansvariga förvaltningar. Tomt = de förvaltningar som temat nämner, eller "
                    "alla fyra (gemensam) om temat inte nämner någon.",
                    required=False,
                    ref=Ref("forvaltningar", "kod"),
                ),
                Column("namnd", doc="Nämnd som satt målet.", required=False),
                Column("enhet", ENUM, "Indikatorns enhet.", choices=INDIKATOR_ENHETER),
                Column("maltyp", ENUM, "Typ av kvantitativt mål.", choices=MALTYPER),
                Column("malvarde", NUMBER, "Målvärdet.", required=False),
                Column("mal_text", doc="Målet som texten anger det.", required=False),
                _AVSNITT,
                _CITAT_OCR,
                Column("kalla_citat_mal", doc="OCR-raden med målet.", required=False),
            ),
            doc="Mätbara indikatorer för uppföljning, en rad per punkt (och per mål).",
            source="overenskommelse-2026",
        ),
    ),
)

INDIKATORVARDEN = Workbook(
    key="indikatorvarden",
    path="{year}/indikatorvarden.xlsx",
    per_year=True,
    doc=(
        "Förvaltningarnas rapporterade värden för årets indikatorer. Skapas och byggs om från "
        "årets mal.xlsx (new-year, rebuild-values); fylls med collect från förvaltningarnas "
        "formulär eller direkt här."
    ),
    sheets=(
        Sheet(
            "varden",
            (
                Column("indikator_id", ID, "Indikatorn.", ref=Ref("indikatorer", "indikator_id")),
                Column(
                    "forvaltning",
                    ID,
                    "Förvaltningen som rapporterar; ska vara ansvarig för indikatorn.",
                    ref=Ref("forvaltningar", "kod"),
                ),
                Column("indikator", doc="Indikatorns text (för läsbarhet).", required=False),
                Column(
                    "enhet",
                    ENUM,
                    "Indikatorns enhet, som i mal.xlsx (visas som stöd; måste stämma).",
                    required=False,
                    choices=INDIKATOR_ENHETER,
                ),
                Column("mal", doc="Målet i ord (visas som stöd).", required=False),
                Column("malvarde", NUMBER, "Målvärdet (visas som stöd).", required=False),
                Column(
                    "varde",
                    doc=(
                        "Värdet efter enheten: antal (≥ 0), andel i % (0–100; en cell i "
                        "procentformat läses som Excel visar den), ja/nej eller text. "
                        "Tomt = ej rapporterat."
                    ),
                    required=False,
                ),
                Column(
                    "jamforelsevarde",
                    NUMBER,
                    "Utgångsvärde för mål som anges som förändring (t.ex. −20 %), i indikatorns "
                    "enhet.",
                    required=False,
                ),
                Column("kommentar", doc="Förvaltningens kommentar.", required=False),
            ),
            doc="En rad per indikator och ansvarig förvaltning; fylls i av förvaltningarna.",
        ),
        Sheet(
            "inlamningar",
            (
                Column(
                    "forvaltning",
                    ID,
                    "Förvaltningen vars formulär lästes in.",
                    ref=Ref("forvaltningar", "kod"),
                ),
                Column("fil", doc="Formulärfilens namn när den lästes in."),
                Column("kontrollsumma", doc="SHA-256 (början) av formulärfilen."),
                Column("inlast", doc="När formuläret lästes in (ÅÅÅÅ-MM-DD TT:MM)."),
                Column("formularversion", INT, "Formulärets version.", min=1),
                Column("antal_varden", INT, "Antal ifyllda värden i formuläret.", min=0),
                Column(
                    "ersatta",
                    doc="Värden som ersattes (med --replace): indikator, kolumn, gammalt → nytt.",
                    required=False,
                ),
            ),
            doc=(
                "En rad per inläst formulär (skrivs av collect); visar vilka förvaltningar "
                "som lämnat in."
            ),
        ),
    ),
)

KOPPLING = Workbook(
    key="koppling",
    path="koppling.xlsx",
    doc="Kopplingen mellan 2018/2019 års insatser och årets teman och indikatorer.",
    sheets=(
        Sheet(
            "koppling",
            (
                Column("koppling_id", ID, "Radens kod.", unique=True),
                Column("insats_id", ID, "2018/2019 års insats.", ref=Ref("insatser", "insats_id")),
                Column("tema_id", ID, "Årets tema (tomt = ingen efterföljare).", required=False),
                Column("indikator_id", ID, "Årets indikator, om en viss.", required=False),
                Column("relation", ENUM, "Hur arbetet hänger ihop.", choices=RELATIONS),
                Column("motivering", doc="Varför kopplingen görs."),
                Column("kalla_citat_2018", doc="Belägget ur 2018/2019 års text, ordagrant."),
                Column(
                    "kalla_citat_2026",
                    doc="Belägget ur 2026 års OCR-text, ordagrant. Krävs när raden pekar på "
                    "ett tema; båda beläggen ska gälla samma verksamhet.",
                    required=False,
                ),
            ),
            doc="En rad per koppling insats ↔ tema.",
        ),
    ),
)

WORKBOOKS: tuple[Workbook, ...] = (REFERENS, INSATSER, MAL, INDIKATORVARDEN, KOPPLING)
SHARED_WORKBOOKS = tuple(w for w in WORKBOOKS if not w.per_year)
YEAR_WORKBOOKS = tuple(w for w in WORKBOOKS if w.per_year)


@dataclass
class SheetIndex:
    """Which workbook each sheet name belongs to (sheet names are unique across the data)."""

    by_sheet: dict[str, Workbook] = field(default_factory=dict)

    @classmethod
    def build(cls) -> SheetIndex:
        index = cls()
        for wb in WORKBOOKS:
            for sheet in wb.sheets:
                index.by_sheet[sheet.name] = wb
        return index
