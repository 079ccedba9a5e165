"""Swedish OCR repair: restore å/ä/ö, split joined words, join hyphenated ones, drop furniture.

The agreement documents reach us as OCR text in which ``å``, ``ä`` and ``ö`` are lost or
mangled (``6verenskommelse``, ``hilsa``, ``forvaltning``, ``drenden``), words are joined
(``Deltaien``) and page furniture (URL lists, page numbers) is interleaved.

How a word is repaired (:class:`Repairer`):

1. Every dictionary word is indexed by its *skeleton*: lower case with å/ä → a, ö → o and
   é → e (:func:`skeleton`). An OCR word's own skeleton therefore finds every correctly
   spelled word it may stand for — ``har`` finds *har* and *här*, ``forvaltningen`` finds
   *förvaltningen* — in one look-up.
2. Characters that OCR produces only for lost letters (``6`` → ö, ``4``/``&`` → ä/å, ``é``
   → ä/ö/é or nothing) are expanded for free; rarer confusions (``d``/``i`` for ä/å/ö, a
   stray letter, ``q`` for ``g``) cost an edit, and at most two edits are tried.
3. A word no dictionary holds may be a compound: its skeleton is split into dictionary
   parts and the result confirmed by the hunspell sv_SE dictionary (spylls), also where a
   part drops its final vowel (``invånare`` → ``invånardelaktighet``); a token that is two
   or three words run together is split the same way — unless the split only cuts off a
   definite ending (``spelrådgivning en`` → ``spelrådgivningen``) or hunspell knows the
   two words as one compound (``skol närvaro`` → ``skolnärvaro``).
4. Between several real words (``har``/``här``, ``vara``/``våra``, ``stod``/``stöd``) the
   choice is made from context: how often the earlier years' curated text uses each word
   and each word pair (bigram), general Swedish word frequencies (wordfreq), a few rules
   of Swedish grammar (:data:`CUES`: "på våra", "per år"; :data:`GOVERNS`: "beror på"),
   and the document itself (word pairs it spells unambiguously, and a long word it
   spells undamaged elsewhere). When nothing settles it, the most likely word is written
   **and** a :class:`Doubt` is returned, so the row is flagged for review — never
   guessed silently.
5. Names with inner capitals keep the casing the document or the curated text gives them
   (``SPISS`` → ``SPiSS``).

The word list and hunspell's verdicts live in a :class:`WordStore`: an SQLite file in the
project's cache folder, so that an import needs neither to read the whole list nor to
load hunspell (seconds each) once they are there.

Why partly by hand: hunspell (spylls) checks words but its suggestion engine neither knows
OCR's systematic confusions nor context, and takes seconds per word; no maintained
library repairs Swedish OCR. The dictionaries themselves come from packages:
``spylls`` ships the LibreOffice sv_SE hunspell dictionary, ``wordfreq`` Swedish word
frequencies.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

#: OCR artefacts that must never reach a reader: the provenance tests and the agreement
#: accuracy measure both count these in shown text.
OCR_ARTEFACTS = re.compile(
    r"6ver|\bhilsa\b|hélsa|forvaltning|férvaltning|Matbara|drenden|\bMal\b|\boch\b \boch\b|"
    r"\bpa\b|\bfor\b|\bar\b|\bdr\b|é(?:lsa|rvalt|rbatt|ljande)|[Ss]ké(?:ne|nes)|\bmal\b|\bsjalv|\bhalsa\b|\bvard\b|\bstod\b|\bokad|\bstodja",
)

_FOLD = str.maketrans("åäöéèáàüÅÄÖÉ", "aaoeeaauaaoe")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_URL_LINE = re.compile(r"^\s*(?:(?:https?://|www\.)\S+\s*)+$", re.I)
_PAGE_NUMBER = re.compile(r"^\s*(?:sida\s+)?\d{1,3}(?:\s*\(\d{1,3}\))?\s*$", re.I)
_TOKEN = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ&\[\]]+")
_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")
_GARBAGE = set("6&4é[]3")
_CLAUSE_END = re.compile(r"[.:;!?]")
_INNER_CAPITAL = re.compile(r"[a-zåäö]+[A-Z][a-zåäö]+")
_LOWER_UPPER = re.compile(r"[a-zåäö][A-ZÅÄÖ]")
_VOWEL = re.compile(r"[aeiouyåäöé]")  # a Swedish word has a vowel ("dr" is OCR for "är")

# Free expansions (characters OCR produces only for a lost å/ä/ö), in skeleton terms.
_FREE = {"6": ("o",), "4": ("a",), "&": ("a",), "é": ("a", "o", "e", ""), "3": ("",)}
# Costly confusions: one edit each.
_COSTLY_SUBS = {
    "d": ("a", "o"),
    "i": ("a",),
    "a": ("o",),
    "q": ("g",),
    "1": ("l",),
    "]": ("i",),
    "[": ("i",),
}
_COSTLY_DELETE = set("idé")

WEIGHT_VOCAB = 1.0  # per decade of occurrences in the curated earlier years' text
WEIGHT_BIGRAM = 2.0  # a word pair seen in the curated text
WEIGHT_DOC_BIGRAM = 1.0  # a word pair the document itself spells unambiguously elsewhere
WEIGHT_COST = 1.5  # per edit beyond the free expansions
DOUBT_MARGIN = 1.0  # decades of evidence needed between the best and the next word
MIN_PLAUSIBLE = 1e-6  # a word rarer than this in general Swedish is no serious rival


END = "<slut>"  # context: the word ends a clause
#: Word pairs that settle the commonest OCR ambiguities in any Swedish text (år/är, här/har):
#: general grammar, used like a pair seen in the curated text.
CUES = frozenset(
    {
        ("<tal>", "år"),
        ("per", "år"),
        ("varje", "år"),
        ("i", "år"),
        ("under", "året"),
        ("nästa", "år"),
        ("här", END),  # the auxiliary "har" never ends a clause
        ("finns", "här"),
        ("här", "finns"),
        ("mer", "här"),
        ("här", "har"),
    }
)
#: Prepositions. After one, OCR's "vara" is the possessive "våra" ("på våra förvaltningar"),
#: not the infinitive; "till" is left out ("ta till vara").
PREPOSITIONS = frozenset(
    "på i av för från med om hos inom mellan bland genom under över mot vid åt enligt "  # noqa: SIM905
    "kring utifrån".split()
)
CUES = CUES | {(p, "våra") for p in PREPOSITIONS} | {("beror", "på")}
#: Verbs that always have this word next: without it the OCR word is its rival
#: ("beror på" = depends on; "som berör psykisk ohälsa" = concerns).
GOVERNS = {"beror": "på"}
#: Endings of the definite form ("rådgivningen", "caféerna"): a word OCR reads with such an
#: ending is one inflected word, not a word followed by "en"/"nå".
DEFINITE_ENDINGS = ("en", "et", "na", "erna", "arna", "orna")
WEIGHT_DOC_SPELLING = 1.0  # an edited word the document spells undamaged elsewhere
MIN_DOC_SPELLING = 7  # … if it has at least this many letters


def skeleton(word: str) -> str:
    """Lower case with å/ä → a, ö → o, é → e: what an OCR text without diacritics shows."""
    return word.lower().translate(_FOLD)


def is_furniture(line: str) -> bool:
    """A line that is page furniture: a bare URL (list) or a page number."""
    return bool(_URL_LINE.match(line) or _PAGE_NUMBER.match(line))


def words(text: str) -> list[str]:
    """Lower-case word tokens of clean text; numbers become ``<tal>`` (for bigrams)."""
    out = []
    for tok in re.findall(r"[0-9A-Za-zÀ-ÖØ-öø-ÿ]+", _URL.sub(" ", text)):
        out.append("<tal>" if tok.isdigit() else tok.lower())
    return out


@dataclass(frozen=True)
class Doubt:
    """A word the repair could not settle: what OCR read, what was written, the rivals."""

    line: int | None
    ocr: str
    chosen: str
    alternatives: tuple[str, ...] = ()
    kind: str = "tvetydigt"  # or "okänt ord"

    def __str__(self) -> str:
        where = f"rad {self.line}: " if self.line else ""
        if self.kind == "okänt ord":
            return f"{where}okänt ord '{self.ocr}' lämnat som det är"
        others = ", ".join(self.alternatives)
        return f"{where}'{self.ocr}' tolkat som '{self.chosen}' (osäkert; även möjligt: {others})"


class WordStore:
    """Swedish words on disk: wordfreq's list with its skeleton index, and hunspell's verdicts.

    Reading wordfreq's list and indexing it takes seconds and loading spylls' sv_SE
    dictionary seconds more, while an import asks about some tens of thousands of
    skeletons and a few hundred compounds. So the list is written once to an SQLite file
    in ``cache_dir`` and queried lazily, and every verdict hunspell gives is kept there
    too; spylls is loaded only for a word it has not judged before.

    The file's name holds a hash of everything its content derives from (wordfreq's data
    file, spylls' sv_SE.aff/.dic, both packages' versions and :data:`STORE_FORMAT`): when
    any of them changes a new file is built and the old one removed. Deleting the
    folder (``make clean``) resets it. Without ``cache_dir`` the store lives in memory.
    The answers are the same either way: the file only remembers them.
    """

    FILE_PREFIX = "ocr-ordlista-"

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None):
        self._db = connection
        self.path = path
        self._freq: dict[str, float] = {}
        self._skeletons: dict[str, list[str]] = {}
        self._verdicts: dict[str, bool] = {}
        self._new_verdicts: dict[str, bool] = {}
        self._keys: set[str] | None = None

    @classmethod
    def open(cls, cache_dir: Path | None = None) -> WordStore:
        """The store for the installed dictionaries: built in ``cache_dir`` if missing.

        A cache that cannot be written or read (a read-only folder, a damaged file) costs
        time only: the store is then built again, in memory if need be."""
        key = _sources_key()
        if cache_dir is not None:
            for _attempt in range(2):
                try:
                    return cls._on_disk(Path(cache_dir), key)
                except (OSError, sqlite3.Error):
                    continue
        db = sqlite3.connect(":memory:")
        _fill(db, key)
        return cls(db)

    @classmethod
    def _on_disk(cls, cache_dir: Path, key: str) -> WordStore:
        path = cache_dir / f"{cls.FILE_PREFIX}{key[:16]}.sqlite"
        if not path.is_file():
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.unlink(missing_ok=True)
            db = sqlite3.connect(tmp)
            try:
                _fill(db, key)
            finally:
                db.close()
            os.replace(tmp, path)  # atomic: a parallel import sees all or nothing
            for stale in cache_dir.glob(f"{cls.FILE_PREFIX}*.sqlite"):
                if stale != path:
                    stale.unlink(missing_ok=True)
        db = sqlite3.connect(path, timeout=10)
        try:
            stored = db.execute("SELECT value FROM meta WHERE key = 'sources'").fetchone()
            if not stored or stored[0] != key:
                raise sqlite3.DatabaseError("not this store")  # a hash-prefix clash
        except sqlite3.Error:
            db.close()
            path.unlink(missing_ok=True)  # damaged or foreign: built again
            raise
        return cls(db, path)

    def freq(self, word: str) -> float:
        """wordfreq's frequency of a lower-case word (0 if not listed)."""
        f = self._freq.get(word)
        if f is None:
            if word.isalpha():  # found with its skeleton, which sets _freq
                self.same_skeleton(word.translate(_FOLD))
                f = self._freq.setdefault(word, 0.0)
            else:  # "t.ex", "bl.a"
                row = self._db.execute(
                    "SELECT cb FROM words WHERE skel IS NULL AND word = ?", (word,)
                ).fetchone()
                f = self._freq[word] = _cb_to_freq(row[0]) if row else 0.0
        return f

    def has(self, word: str) -> bool:
        return self.freq(word) > 0

    @property
    def _listed(self) -> set[str]:
        """Every skeleton the list has: most look-ups find nothing, and need no query."""
        if self._keys is None:
            (blob,) = self._db.execute("SELECT value FROM meta WHERE key = 'skeletons'").fetchone()
            self._keys = set(blob.split("\n"))
        return self._keys

    def prefetch(self, skeletons: Iterable[str]) -> None:
        """Look many skeletons up at once (one query instead of one each)."""
        listed, known = self._listed, self._skeletons
        wanted = []
        for k in dict.fromkeys(skeletons):
            if k not in known:
                if k in listed:
                    wanted.append(k)
                else:
                    known[k] = []
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            self._remember(chunk, f"skel IN ({marks})")

    def _remember(self, skeletons: list[str], where: str) -> None:
        for skel in skeletons:
            self._skeletons[skel] = []
        query = f"SELECT skel, word, cb FROM words WHERE {where} ORDER BY rowid"
        for skel, word, cb in self._db.execute(query, skeletons):
            self._skeletons[skel].append(word)
            self._freq[word] = _cb_to_freq(cb)

    def same_skeleton(self, skel: str) -> list[str]:
        """The listed words with this skeleton, most frequent first."""
        found = self._skeletons.get(skel)
        if found is None:
            if skel in self._listed:
                self._remember([skel], "skel = ?")
            found = self._skeletons.setdefault(skel, [])
        return found

    def hunspell_knows(self, word: str) -> bool:
        """Whether the sv_SE hunspell dictionary accepts ``word`` (remembered on disk)."""
        known = self._verdicts.get(word)
        if known is None:
            row = self._db.execute("SELECT known FROM hunspell WHERE word = ?", (word,)).fetchone()
            if row:
                known = bool(row[0])
            else:
                known = bool(_load_hunspell(str(_hunspell_base())).lookup(word))
                self._new_verdicts[word] = known
            self._verdicts[word] = known
        return known

    def close(self) -> None:
        """Keep hunspell's new verdicts for the next import, then close the file."""
        if self._new_verdicts:
            try:
                with self._db:
                    self._db.executemany(
                        "INSERT OR IGNORE INTO hunspell (word, known) VALUES (?, ?)",
                        [(w, int(k)) for w, k in self._new_verdicts.items()],
                    )
                self._new_verdicts.clear()
            except sqlite3.Error:
                pass  # a read-only or busy cache only costs the next import time
        self._db.close()


#: Bump when the store's tables change meaning: old files are then rebuilt.
STORE_FORMAT = 5
_HUNSPELL_FILES = ("sv_SE.aff", "sv_SE.dic")


def _hunspell_base() -> Path:
    import spylls

    return Path(spylls.__file__).parent / "hunspell" / "data" / "sv" / "sv_SE"


def _wordfreq_file() -> Path:
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("wordfreq")
    return Path(spec.origin).parent / "data" / "large_sv.msgpack.gz"


def _sources_key() -> str:
    """A hash of everything the store's content derives from."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"format {STORE_FORMAT}\n".encode())
    for package in ("wordfreq", "spylls"):
        digest.update(f"{package} {version(package)}\n".encode())
    base = _hunspell_base()
    for path in (_wordfreq_file(), *(base.with_name(n) for n in _HUNSPELL_FILES)):
        digest.update(path.name.encode() + b"\n" + path.read_bytes())
    return digest.hexdigest()


def _cb_to_freq(cb: int) -> float:
    return 10 ** (-cb / 100)  # as wordfreq.cB_to_freq(-cb)


def _fill(db: sqlite3.Connection, key: str) -> None:
    """Write wordfreq's Swedish list with each word's skeleton into an empty store.

    The rows keep wordfreq's order (most frequent first); a word that is not all letters
    ("t.ex") has no skeleton: it is never a repair, only a frequency."""
    from wordfreq import read_cBpack

    cb_of: dict[str, int] = {}
    for cb, bucket in enumerate(read_cBpack(str(_wordfreq_file()))):
        cb_of.update(dict.fromkeys(bucket, cb))  # as get_frequency_dict: the last one wins
    words_ = list(cb_of)
    # one translate of all words at once: much faster than one per word
    folded = "\n".join(words_).translate(_FOLD).split("\n")
    skeletons = (k if w.isalpha() else None for k, w in zip(folded, words_, strict=True))
    with db:
        db.executescript(
            """
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
            CREATE TABLE words (skel TEXT, word TEXT, cb INTEGER);
            CREATE TABLE hunspell (word TEXT PRIMARY KEY, known INTEGER) WITHOUT ROWID;
            """
        )
        db.executemany(
            "INSERT INTO words VALUES (?, ?, ?)",
            zip(skeletons, words_, cb_of.values(), strict=True),
        )
        db.executescript(
            """
            CREATE INDEX words_by_skel ON words (skel);
            CREATE INDEX others_by_word ON words (word) WHERE skel IS NULL;
            """
        )
        db.execute("INSERT INTO meta VALUES ('sources', ?)", (key,))
        listed = "\n".join(sorted({k for k, w in zip(folded, words_, strict=True) if w.isalpha()}))
        db.execute("INSERT INTO meta VALUES ('skeletons', ?)", (listed,))


@dataclass
class Lexicon:
    """Which Swedish words exist and how common they are.

    ``wordfreq``'s Swedish list (frequencies), the hunspell sv_SE dictionary shipped with
    ``spylls`` (compounds) — both through a :class:`WordStore` — and the vocabulary and
    word pairs of clean text the project already holds (the curated earlier years).
    """

    store: WordStore
    counts: Counter = field(default_factory=Counter)
    bigrams: Counter = field(default_factory=Counter)
    compounds: dict = field(default_factory=dict)  # compound → plausibility from its parts
    doc_bigrams: Counter = field(default_factory=Counter)  # learnt from the document
    _local: dict = field(default_factory=dict, repr=False)  # curated words wordfreq lacks
    _scores: dict = field(default_factory=dict, repr=False)  # memo of score()
    #: how the curated text writes names with inner capitals: "SPISS" → "SPiSS"
    mixed_case: dict = field(default_factory=dict)

    @classmethod
    def build(cls, texts: Iterable[str] = (), store: WordStore | None = None) -> Lexicon:
        lex = cls(store or WordStore.open(None))
        for text in texts:
            toks = words(text)
            lex.counts.update(t for t in toks if t != "<tal>")
            lex.bigrams.update(zip(toks, toks[1:], strict=False))
            _learn_casing(text, lex.mixed_case)
        local: dict[str, set[str]] = {}
        for word in lex.counts:
            if word.isalpha() and not lex.store.has(word):
                local.setdefault(skeleton(word), set()).add(word)
        lex._local = {k: sorted(v) for k, v in local.items()}
        return lex

    def listed(self, word: str) -> bool:
        """Whether wordfreq lists the (lower-case) word."""
        return self.store.has(word)

    def freq(self, word: str) -> float:
        word = word.lower()
        f = self.store.freq(word) or self.compounds.get(word, 0.0)
        if self.counts.get(word):
            f = max(f, MIN_PLAUSIBLE)
        return f

    def score(self, word: str) -> float:
        """Evidence for a word out of context, in decades (log10)."""
        word = word.lower()
        found = self._scores.get(word)
        if found is None:
            found = self._scores[word] = math.log10(
                self.freq(word) + 1e-9
            ) + WEIGHT_VOCAB * math.log10(1 + self.counts.get(word, 0))
        return found

    def add_compound(self, word: str, plausibility: float) -> None:
        """A compound found from its parts: as frequent as ``plausibility`` says."""
        if word not in self.compounds:
            self.compounds[word] = plausibility
            self._scores.pop(word, None)

    def same_skeleton(self, skel: str) -> list[str]:
        found = self.store.same_skeleton(skel)
        extra = self._local.get(skel)
        return found + extra if extra else found

    def hunspell_knows(self, word: str) -> bool:
        return self.store.hunspell_knows(word)


@lru_cache(maxsize=1)
def _load_hunspell(base: str):
    """The hunspell dictionary ``base``.aff/.dic: the sv_SE one that the spylls package
    ships (LibreOffice's). Loaded once per process (~2 s)."""
    from spylls.hunspell import Dictionary

    return Dictionary.from_files(base)


@dataclass(frozen=True)
class _Analysis:
    """The real words an OCR token may stand for, with the edits each needs."""

    candidates: tuple[tuple[str, int], ...]  # (lower-case word, cost)
    parts: int = 1  # >1 when the token is several words run together


def _variants(token: str, costly: int, deletions: bool = True) -> list[tuple[str, int]]:
    """Skeletons an OCR token may have, with the number of costly edits used (≤ costly).

    Deleting a letter OCR often inserts (i, d, é) costs one edit; deleting any other
    letter costs two."""
    low = token.lower()
    options = [_FREE.get(ch, (ch.translate(_FOLD),)) for ch in low]
    free: set[str] = set()
    for combo in itertools.islice(itertools.product(*options), 64):
        free.add("".join(combo))
    seen: dict[str, int] = dict.fromkeys(free, 0)
    by_cost: list[set[str]] = [set(free)]
    for cost in range(1, costly + 1):
        nxt: set[str] = set()
        for s in by_cost[cost - 1]:
            for i, ch in enumerate(s):
                for rep in _COSTLY_SUBS.get(ch, ()):
                    nxt.add(s[:i] + rep + s[i + 1 :])
                if deletions and ch in _COSTLY_DELETE:
                    nxt.add(s[:i] + s[i + 1 :])
        if deletions and cost == 2:
            for s in by_cost[0]:
                nxt.update(s[:i] + s[i + 1 :] for i in range(len(s)))
        nxt = {s for s in nxt if s and s not in seen}
        for s in nxt:
            seen[s] = cost
        by_cost.append(nxt)
    # sorted: a set's order changes with Python's string hashing, the result must not
    return sorted(seen.items(), key=lambda sc: (sc[1], sc[0]))


class Repairer:
    """Repairs OCR text word by word with a :class:`Lexicon` (see the module docstring)."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self._cache: dict[tuple[str, bool, bool], _Analysis] = {}
        self._hunspell_cache: dict[str, bool] = {}
        self._parts: dict[str, bool] = {}  # memo of _known_part
        self._fetched: set[str] = set()  # the rests of words _prefetch has asked about
        self.attested: dict[str, set[str]] = {}  # skeleton -> words the document spells
        self.spelled: set[str] = set()  # skeletons of the document's undamaged tokens
        self.mixed_case: dict[str, str] = dict(lexicon.mixed_case)  # "SPISS" → "SPiSS"

    # -- learning from the document itself ----------------------------------------------
    def learn_document(self, lines: Sequence[str]) -> None:
        """Learn from the document itself before repairing it.

        Words it spells unambiguously (``6ppnasoc`` → öppnasoc) are recognised where OCR
        lost the letter altogether (``Oppnasoc``); word pairs it spells unambiguously
        (``som gatt`` → *som gått*) help decide the same words where they are ambiguous
        (``som gétt``: gått, gott or gett?)."""
        for line in lines:
            for tok in _TOKEN.findall(line):
                low = tok.lower()
                if "6" in low and _LETTER.search(low) and low.replace("6", "").isalpha():
                    word = low.replace("6", "ö")
                    self.attested.setdefault(skeleton(word), set()).add(word)
                elif tok.isalpha() and not set(low) & _GARBAGE:
                    self.spelled.add(skeleton(low))  # as it stands, without OCR garbage
            _learn_casing(line, self.mixed_case)
        learnt: Counter = Counter()
        for line in lines:
            if is_furniture(line) or not line.strip():
                continue
            text, doubts = self._repair_text(line, [(0, None)], clause_end=False)
            unsure = {d.chosen.lower() for d in doubts}
            toks = [t for t in words(text) if t]
            learnt.update(
                (a, b) for a, b in zip(toks, toks[1:], strict=False) if not {a, b} & unsure
            )
        self.lex.doc_bigrams = learnt

    # -- one token -----------------------------------------------------------------------
    def _lookup(self, skel: str, compound: bool = True, strict: bool = False) -> list[str]:
        found = [w for w in self.lex.same_skeleton(skel) if _VOWEL.search(w)]
        found += [w for w in sorted(self.attested.get(skel, ())) if w not in found]
        if found or not compound or len(skel) < 7:
            return found
        return self._compound(skel, strict)

    def _compound(self, skel: str, strict: bool = False) -> list[str]:
        """Words made of dictionary parts (with a linking -s-), confirmed by hunspell when
        it can: a compound of common parts that hunspell does not list (a name such as
        ``Skånegemensam``) is still accepted, ranked below a confirmed one. A part that
        drops its final vowel in compounds (``invånare`` → ``invånardelaktighet``) is tried
        last, and only hunspell's word for the whole is taken."""
        found = self._compound_of(skel, strict, elided=False)
        if found or strict:
            return found
        return self._compound_of(skel, strict, elided=True)

    def _compound_of(self, skel: str, strict: bool, elided: bool) -> list[str]:
        known = self._known_elided if elided else self._known_part
        splits = _splits(skel, known, max_parts=3, min_len=3, ahead=self._prefetch)
        for parts in splits[:3]:
            if elided and not self._known_part(parts[-1]):
                continue  # the last part is a word of its own
            # (spelling in the compound, the dictionary word it stands for)
            choices = [self._spellings(p, elided) for p in parts]
            content = [p for p in parts if p != "s"]
            if any(len(p) < 3 for p in content):
                continue

            # a compound is as plausible as its rarest part, less for each extra part
            penalty = 10 ** -(len(content) - 1)

            def plausibility(option, penalty=penalty):
                return penalty * min(self.lex.freq(word) for _, word in option if word != "s")

            options = list(itertools.islice(itertools.product(*choices), 4))
            options.sort(key=plausibility, reverse=True)
            common_parts = (
                not elided
                and all(len(p) >= 4 for p in content)
                and min(self.lex.freq(w) for _, w in options[0] if w != "s") >= 1e-6
            )
            if common_parts:
                # common words: plausible as they stand; hunspell only settles a close
                # call between spellings of the parts (vård/värd)
                close = [o for o in options[1:] if plausibility(o) * 10 >= plausibility(options[0])]
                if close and not strict:
                    options = [o for o in options[:1] + close if self._hunspell(_joined(o))]
                else:
                    options = options[:1]
            elif strict:
                continue  # after an edit, or in a piece of a run-together word
            else:
                options = [o for o in options if self._hunspell(_joined(o))]
            for o in options:
                self.lex.add_compound(_joined(o), plausibility(o))
            if options:
                return [_joined(o) for o in options]
        return []

    def _spellings(self, part: str, elided: bool) -> list[tuple[str, str]]:
        """The two likeliest words a part's skeleton stands for, as (spelling, word)."""
        found = self.lex.same_skeleton(part)
        if found or not elided or part == "s":
            words_ = sorted(found or [part], key=self.lex.score, reverse=True)[:2]
            return [(w, w) for w in words_]
        full = self.lex.same_skeleton(part + "e") + self.lex.same_skeleton(part + "a")
        return [(w[:-1], w) for w in sorted(full, key=self.lex.score, reverse=True)[:2]]

    def _known_elided(self, part: str) -> bool:
        return self._known_part(part) or any(self._known_part(part + v) for v in "ea")

    def _prefetch(self, rest: str) -> None:
        """Ask the store at once about every part ``_splits`` may try at the start of
        ``rest`` (itself and without a linking -s)."""
        if rest not in self._fetched:
            self._fetched.add(rest)
            self.lex.store.prefetch(
                p
                for end in range(3, len(rest) + 1)
                for p in (rest[:end], rest[: end - 1])
                if p not in self._parts
            )

    def _known_part(self, part: str) -> bool:
        known = self._parts.get(part)
        if known is None:
            known = self._parts[part] = any(
                self.lex.freq(w) >= 1e-7 for w in self.lex.same_skeleton(part)
            )
        return known

    def _hunspell(self, word: str) -> bool:
        if word not in self._hunspell_cache:
            self._hunspell_cache[word] = self.lex.hunspell_knows(word)
        return self._hunspell_cache[word]

    def analyse(self, token: str, may_edit: bool = True, split: bool = True) -> _Analysis:
        key = (token.lower(), may_edit, split)
        if key in self._cache:
            return self._cache[key]
        result = self._analyse(token, may_edit, split)
        self._cache[key] = result
        return result

    def _analyse(self, token: str, may_edit: bool, split: bool) -> _Analysis:
        """Cheapest first: the word as OCR read it (free expansions), one edit, two edits,
        then a run of several words. A word found as read but rare in Swedish is weighed
        against the words one edit away (``Nordvist`` → ``Nordväst``)."""
        max_cost = (2 if len(token) >= 7 else 1) if may_edit else 0
        variants = _variants(token, max_cost, deletions=split or len(token) >= 8)
        self.lex.store.prefetch(skel for skel, _ in variants)
        found: dict[str, int] = {}
        for cost in range(max_cost + 1):
            for compound in (False, True):
                if compound and (found or cost > 1):
                    continue
                for skel, c in variants:
                    if c == cost:
                        strict = cost > 0 or not split  # no hunspell after an edit or in a piece
                        for word in self._lookup(skel, compound=compound, strict=strict):
                            found.setdefault(word, c)
            if found and (cost > 0 or max(map(self.lex.freq, found)) >= MIN_PLAUSIBLE):
                break
        if found:
            return _Analysis(tuple(found.items()))
        if split:
            return self._split_run_together(token) or _Analysis(())
        return _Analysis(())

    def _split_run_together(self, token: str) -> _Analysis | None:
        """``Deltaien`` → ``delta i en``: two or three words, each one a common word."""
        low = token.lower()
        if len(low) < 4:
            return None
        best = None
        for cut in _cuts(len(low), max_parts=3 if len(low) <= 12 else 2):
            pieces = [low[a:b] for a, b in cut]
            if any(len(p) < 2 and p not in "iåö" for p in pieces):
                continue
            words_ = []
            for piece in pieces:
                analysis = self.analyse(piece, may_edit=len(piece) >= 5, split=False)
                cands = [
                    w
                    for w, c in analysis.candidates
                    if (self.lex.listed(w) or self.lex.counts.get(w) or len(w) >= 8)
                    and self.lex.freq(w) >= (1e-5 if len(w) <= 3 else 1e-7)
                ]
                if not cands:
                    break
                words_.append(max(cands, key=self.lex.score))
            else:
                score = sum(self.lex.score(w) for w in words_) - 2 * len(words_)
                if best is None or score > best[0]:
                    best = (score, " ".join(words_), len(words_), pieces)
        if best is None:
            return None
        whole = self._one_word(best[1].split(), best[3])
        if whole:
            return _Analysis(((whole, 1),))
        return _Analysis(((best[1], 1),), parts=best[2])

    def _one_word(self, words_: list[str], pieces: list[str]) -> str | None:
        """A split into two that is one word after all:

        - the second piece is a definite ending: ``spelrådgivning`` + ``en`` →
          ``spelrådgivningen`` (if hunspell knows it), ``pratcaféer`` + ``na`` →
          ``pratcaféerna`` (a plural in -er/-ar/-or takes -na);
        - two words that hunspell knows as one compound: ``skol`` + ``närvaro`` →
          ``skolnärvaro`` (Swedish writes compounds as one word; ``psykisk ohälsa`` stays
          two, hunspell knowing no ``psykiskohälsa``)."""
        if len(words_) != 2:
            return None
        head, tail = words_
        if pieces[1] in DEFINITE_ENDINGS:
            whole = head + pieces[1]
            plural = pieces[1] == "na" and head.endswith(("er", "ar", "or"))
            if plural or self._hunspell(whole):
                self.lex.add_compound(whole, self.lex.freq(head))
                return whole
            return None
        if min(len(head), len(tail)) >= 3 and self._hunspell(head + tail):
            self.lex.add_compound(head + tail, min(self.lex.freq(head), self.lex.freq(tail)))
            return head + tail
        return None

    # -- text ----------------------------------------------------------------------------
    def repair(self, text: str, line: int | None = None) -> tuple[str, list[Doubt]]:
        """Repair one piece of text (one logical line or item); doubts name ``line``."""
        return self.repair_lines([(line, text)])

    def repair_lines(self, lines: Sequence[tuple[int | None, str]]) -> tuple[str, list[Doubt]]:
        """Join an item's OCR lines (undoing hyphenation) and repair the words."""
        pieces: list[tuple[int | None, str]] = []
        for i, (no, raw) in enumerate(lines):
            text = raw.strip()
            if not text:
                continue
            if pieces:
                prev_no, prev = pieces[-1]
                joined = self._join_hyphenated(prev, text)
                if joined is not None:
                    pieces[-1] = (prev_no, joined)
                    continue
            pieces.append((no, text))
            del i
        text = " ".join(p for _, p in pieces)
        starts = []
        pos = 0
        for no, p in pieces:
            starts.append((pos, no))
            pos += len(p) + 1
        return self._repair_text(text, starts)

    def _join_hyphenated(self, prev: str, nxt: str) -> str | None:
        """The two lines as one when ``prev`` ends in a word broken by a hyphen."""
        m = re.search(r"(\w+)-$", prev)
        if not m or prev.endswith(" -") or not nxt[:1].islower():
            return None
        left = m.group(1)
        right = re.match(r"[\wåäöé]+", nxt)
        right_word = right.group(0) if right else ""
        if right_word in {"och", "eller", "samt", "respektive", "till"}:
            return f"{prev} {nxt}"  # a suspended compound: "barn- och ungdomspsykiatrin"
        if left.isupper() or not right_word:
            return prev + nxt  # "SIP-koordinatorerna"
        if self.analyse(left + right_word, may_edit=False).candidates:
            return prev[:-1] + nxt  # "utvecklings-\narbete" → "utvecklingsarbete"
        return prev + nxt

    def _repair_text(
        self, text: str, starts: list[tuple[int, int | None]], clause_end: bool = True
    ) -> tuple[str, list]:
        text = _pre_clean(text)
        protected = [(m.start(), m.end()) for m in _URL.finditer(text)]
        tokens = list(_TOKEN.finditer(text))

        def line_of(offset: int) -> int | None:
            no = None
            for start, n in starts:
                if start <= offset:
                    no = n
            return no

        items = []  # (match, analysis or None)
        for m in tokens:
            tok = m.group(0)
            if any(a <= m.start() < b for a, b in protected) or not self._repairable(tok):
                items.append((m, None, False))
                continue
            before = text[max(0, m.start() - 8) : m.start()].rstrip() or text[: m.start()].rstrip()
            sentence_start = not before or before[-1] in ".!?:•"
            may_edit = tok[:1].islower() or sentence_start or bool(set(tok) & _GARBAGE)
            analysis = self.analyse(_lower_inner_capital(tok), may_edit=True)
            if not may_edit:
                # a capitalised word inside a sentence is probably a name: edit it only
                # into a word that is common or that the curated text uses
                analysis = _Analysis(
                    tuple(
                        (w, c)
                        for w, c in analysis.candidates
                        if c == 0 or self.lex.freq(w) >= 1e-6 or self.lex.counts.get(w)
                    ),
                    analysis.parts,
                )
            items.append((m, analysis, sentence_start))

        def first_choice(analysis, tok):
            if len(analysis.candidates) == 1:
                return analysis.candidates[0][0]
            return max(analysis.candidates, key=lambda wc: self._score(wc, size=len(tok)))[0]

        pass1 = [
            first_choice(a, m.group(0)) if a and a.candidates else m.group(0).lower()
            for m, a, _ in items
        ]
        out, doubts, last = [], [], 0
        prev_word = None
        for i, (m, analysis, sentence_start) in enumerate(items):
            tok = m.group(0)
            out.append(text[last : m.start()])
            last = m.end()
            gap = text[m.end() : items[i + 1][0].start()] if i + 1 < len(items) else text[m.end() :]
            if _CLAUSE_END.search(gap) or (i + 1 == len(items) and clause_end):
                nxt = END  # the word ends a clause
            elif i + 1 == len(items):
                nxt = None
            else:
                nxt = _context_word(pass1[i + 1].split()[0])
            if analysis is None:
                # an abbreviation the text also writes with inner lower case: SPISS → SPiSS
                named = self.mixed_case.get(tok) if tok.isupper() else None
                out.append(named or tok)
                prev_word = _context_word(tok.lower())
                continue
            if not analysis.candidates:
                out.append(tok)
                if self._suspicious(tok):
                    doubts.append(Doubt(line_of(m.start()), tok, tok, kind="okänt ord"))
                prev_word = _context_word(tok.lower())
                continue
            ranked = (
                sorted(
                    analysis.candidates,
                    key=lambda wc: self._score(wc, prev_word, nxt, len(tok)),
                    reverse=True,
                )
                if len(analysis.candidates) > 1
                else analysis.candidates
            )
            best = ranked[0][0]
            if len(ranked) > 1:
                rival = ranked[1][0]
                margin = self._score(ranked[0], prev_word, nxt, len(tok)) - self._score(
                    ranked[1], prev_word, nxt, len(tok)
                )
                if margin < DOUBT_MARGIN and (
                    self.lex.freq(rival) >= MIN_PLAUSIBLE or self.lex.counts.get(rival)
                ):
                    rivals = tuple(
                        _cased(w, tok) for w, _ in ranked[1:3] if self.lex.freq(w) >= MIN_PLAUSIBLE
                    )
                    chosen = _cased(best, tok, sentence_start)
                    doubts.append(Doubt(line_of(m.start()), tok, chosen, rivals))
            out.append(_cased(best, tok, sentence_start))
            prev_word = _context_word(best.split()[-1])
            if _CLAUSE_END.search(gap):
                prev_word = None
        out.append(text[last:])
        return _post_clean("".join(out)), doubts

    def _score(
        self,
        wc: tuple[str, int],
        prev: str | None = None,
        nxt: str | None = None,
        size: int | None = None,
    ):
        """Evidence for a candidate (in decades): its frequency and use in the curated text,
        less its edits, plus the context; ``size`` is the OCR token's length."""
        word, cost = wc
        parts = word.split()
        score = sum(self.lex.score(p) for p in parts) / len(parts) - WEIGHT_COST * cost
        for pair in ((prev, parts[0]), (parts[-1], nxt)):
            if None in pair:
                continue
            if self.lex.bigrams.get(pair) or pair in CUES:
                score += WEIGHT_BIGRAM
            elif self.lex.doc_bigrams.get(pair):
                score += WEIGHT_DOC_BIGRAM
        governed = GOVERNS.get(parts[-1])
        if governed and nxt is not None and nxt != governed:
            score -= WEIGHT_BIGRAM
        if (
            cost
            and len(parts) == 1
            and len(word) == size
            and len(word) >= MIN_DOC_SPELLING
            and skeleton(word) in self.spelled
        ):
            # "Anhorigstdd": the document also writes "Anhorigstod" — a long word, letters
            # replaced rather than dropped (a shorter word is often another form of the
            # same word, and a short one is found anywhere in a long text)
            score += WEIGHT_DOC_SPELLING
        return score

    def _repairable(self, tok: str) -> bool:
        if not _LETTER.search(tok):
            return False  # a number
        letters = [c for c in tok if c.isalpha()]
        if len(letters) > 1 and all(c.isupper() for c in letters) and not set(tok) & _GARBAGE:
            return False  # an abbreviation: VIP, SIP, HBTQI
        if _LOWER_UPPER.search(tok) and not _INNER_CAPITAL.fullmatch(tok):
            return False  # a name with inner capitals: GoFaR, SPiSS, YouTube
        return not (tok[0].isdigit() and tok.rstrip("0123456789").isdigit())

    def _suspicious(self, tok: str) -> bool:
        """An unknown word worth a reader's look: lower case or holding OCR garbage."""
        return tok[:1].islower() or bool(set(tok) & _GARBAGE)


_WORD_AT = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ0-9&]+")


def _learn_casing(text: str, mixed_case: dict) -> None:
    """How a text writes names with inner capitals (``SPiSS``, ``GoFaR``), by their letters
    in upper case; a name written two ways is no evidence (None)."""
    for tok in _WORD_AT.findall(text):
        letters = [c for c in tok if c.isalpha()]
        if _LOWER_UPPER.search(tok) and sum(c.isupper() for c in letters) >= 2:
            known = mixed_case.setdefault(tok.upper(), tok)
            if known != tok:
                mixed_case[tok.upper()] = None


def _joined(option: Sequence[tuple[str, str]]) -> str:
    return "".join(spelling for spelling, _ in option)


def _context_word(word: str) -> str:
    return "<tal>" if word.isdigit() else word.lower()


def _lower_inner_capital(tok: str) -> str:
    return tok.lower() if _INNER_CAPITAL.fullmatch(tok) else tok


def _cased(word: str, like: str, sentence_start: bool = False) -> str:
    """``word`` with the capitalisation of the OCR token ``like``."""
    letters = [c for c in like if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if like[:1].isupper() or (sentence_start and not like[:1].isalpha()):
        return word[:1].upper() + word[1:]
    return word


def _pre_clean(text: str) -> str:
    """Character-level OCR fixes that need no dictionary."""
    text = re.sub(r"^[\[\]|l]\s+(?=[A-ZÅÄÖ])", "I ", text)  # "[ Helsingborg" = "I Helsingborg"
    text = re.sub(r"(?<=[.!?] )\[\s+(?=[A-ZÅÄÖ])", "I ", text)
    if ")" not in text:
        text = re.sub(r"(?:^|(?<=\s))\((?=O[a-zåäö])", "", text)  # "(Okad" = "Ökad"
    text = re.sub(r"(?<=[A-Z])\](?=,?\s)", "I", text)  # "YLS/CM]" = "YLS/CMI"
    text = text.replace('"', "”").replace("“", "”")
    return re.sub(r"\s+", " ", text).strip()


def _post_clean(text: str) -> str:
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def _cuts(n: int, max_parts: int) -> list[list[tuple[int, int]]]:
    """Ways to cut a string of length ``n`` into 2..max_parts pieces."""
    out = []
    for parts in range(2, max_parts + 1):
        for points in itertools.combinations(range(1, n), parts - 1):
            bounds = [0, *points, n]
            out.append([(bounds[i], bounds[i + 1]) for i in range(parts)])
    return out


def _splits(skel: str, known, max_parts: int, min_len: int, ahead=None) -> list[list[str]]:
    """Splits of a skeleton into known parts (a part may end in a linking 's'), fewest first.

    ``ahead(rest)``, if given, is told before the parts at the start of ``rest`` are tried."""
    results: list[list[str]] = []

    def rec(rest: str, acc: list[str]) -> None:
        if len(results) >= 8:
            return
        if not rest:
            results.append(list(acc))
            return
        if len([p for p in acc if p != "s"]) >= max_parts:
            return
        if ahead is not None:
            ahead(rest)
        for end in range(len(rest), min_len - 1, -1):
            part = rest[:end]
            if known(part) or (part.endswith("s") and known(part[:-1])):
                if part.endswith("s") and not known(part):
                    acc.append(part[:-1])
                    acc.append("s")
                    rec(rest[end:], acc)
                    acc.pop()
                    acc.pop()
                else:
                    acc.append(part)
                    rec(rest[end:], acc)
                    acc.pop()

    rec(skel, [])
    results.sort(key=lambda parts: len([p for p in parts if p != "s"]))
    return results
