"""``python -m report_utils`` / ``report-utils``: render, validate, new-year, the collection
round (forms, collect, status, rebuild-values) and import-agreement.

A mistake in the user's own input (unknown department, invalid spreadsheet, existing
year) prints a message and exits non-zero — never a traceback. Exit codes: 0 success,
1 invalid data or failed reports, 2 invalid parameters.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import ReportError
from .settings import Settings


def _settings(args) -> Settings:
    kwargs = {}
    if getattr(args, "data_dir", None):
        kwargs["data_dir"] = Path(args.data_dir)
    if getattr(args, "out", None):
        kwargs["out_dir"] = Path(args.out)
    if getattr(args, "jobs", None):
        kwargs["jobs"] = args.jobs
    if getattr(args, "timeout", None):
        kwargs["timeout"] = args.timeout
    if getattr(args, "engine", None):
        kwargs["engine"] = args.engine
    if getattr(args, "no_pdf", False):
        kwargs["pdf"] = False
    return Settings(**kwargs)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"inte ett heltal: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("måste vara minst 1")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"inte ett antal sekunder: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("måste vara mer än 0 sekunder")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="report_utils",
        description="Uppföljningsrapporter om psykisk hälsa och suicidprevention, Helsingborgs stad.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    render = sub.add_parser("render", help="rendera rapporter till HTML och PDF (standard: alla)")
    render.add_argument(
        "--department",
        action="append",
        metavar="D",
        help="förvaltning: ALLA, AMF, SFF, SOF, VOF (kan upprepas)",
    )
    render.add_argument("--year", action="append", metavar="Y", help="år (kan upprepas)")
    render.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")
    render.add_argument("--out", metavar="DIR", help="utmapp (standard: outputs)")
    render.add_argument(
        "--jobs",
        type=_positive,
        default=max(1, min(2, os.cpu_count() or 1)),
        metavar="N",
        help="antal parallella processer (standard: 2)",
    )
    render.add_argument(
        "--timeout",
        type=_seconds,
        default=300.0,
        metavar="S",
        help="sekunder en rapport får ta innan den avbryts (standard: 300)",
    )
    render.add_argument(
        "--engine",
        choices=("fast", "kernel"),
        default=None,
        help="fast: ipykernels kernel i en egen process per rapport (kräver fork; standard "
        "där fork är säkert); kernel: en ny Jupyter-kernel per rapport (papermills egen motor)",
    )
    render.add_argument("--force", action="store_true", help="rendera om allt, även oförändrat")
    render.add_argument(
        "--no-pdf",
        action="store_true",
        help="skriv ingen PDF (standard: en PDF per rapport i <utmapp>/pdf/, utskriven av Chromium)",
    )
    bar = render.add_mutually_exclusive_group()
    bar.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="visa förloppsindikator även utanför terminal",
    )
    bar.add_argument("--no-progress", dest="progress", action="store_false")

    validate = sub.add_parser("validate", help="kontrollera datafilerna mot deras scheman")
    validate.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")

    new_year = sub.add_parser("new-year", help="skapa nästa års datafiler från senaste årets mål")
    new_year.add_argument("year", type=int, help="det nya året, t.ex. 2027")
    new_year.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")

    forms = sub.add_parser("forms", help="skapa ett ifyllnadsformulär per förvaltning för ett år")
    forms.add_argument("year", type=int, help="året som värdena gäller, t.ex. 2026")
    forms.add_argument(
        "--out",
        dest="forms_out",
        metavar="DIR",
        help="mapp för formulären (standard: outputs/formular)",
    )
    forms.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")

    collect = sub.add_parser(
        "collect", help="läs in ifyllda formulär till årets indikatorvarden.xlsx"
    )
    collect.add_argument("year", type=int, help="året som värdena gäller, t.ex. 2026")
    collect.add_argument(
        "sources", nargs="+", metavar="FILE_OR_DIR", help="formulärfiler eller mappar med formulär"
    )
    collect.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")
    collect.add_argument(
        "--replace",
        action="store_true",
        help="ersätt värden som redan finns och skiljer sig (listar vad som ersattes)",
    )

    status = sub.add_parser("status", help="visa insamlingens läge per förvaltning")
    status.add_argument("year", type=int, help="året, t.ex. 2026")
    status.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")

    rebuild = sub.add_parser(
        "rebuild-values",
        help="bygg om årets indikatorvarden.xlsx från mal.xlsx och behåll alla värden",
    )
    rebuild.add_argument("year", type=int, help="året, t.ex. 2026")
    rebuild.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")

    agreement = sub.add_parser(
        "import-agreement",
        help="läs in ett års överenskommelse (text, OCR-text eller PDF) som utkast till mål",
    )
    agreement.add_argument("file", metavar="FIL", help="överenskommelsen: .txt eller .pdf")
    agreement.add_argument("--year", type=int, required=True, help="året målen gäller, t.ex. 2027")
    agreement.add_argument("--data-dir", metavar="DIR", help="datamapp (standard: data)")
    return parser


def cmd_render(args) -> int:
    from .render import render

    settings = _settings(args)
    summary = render(settings, args.department, args.year, force=args.force, progress=args.progress)
    print(f"Rapporterna finns i {settings.html_dir / 'index.html'}")
    if summary.pdfs and not summary.pdf_skipped:
        print(f"PDF-filerna finns i {settings.pdf_dir}")
    return 1 if summary.failed or summary.pdf_failed else 0


def cmd_validate(args) -> int:
    from .model import collect

    settings = _settings(args)
    dataset, problems = collect(settings.data_dir)
    if problems:
        print(f"{len(problems)} problem i {settings.data_dir}:", file=sys.stderr)
        for problem in sorted(problems, key=lambda p: (p.file, p.sheet, p.row or 0, p.column)):
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(
        f"OK: {settings.data_dir} — {len(dataset.insatser)} insatser, {len(dataset.resultat)} "
        f"resultat, år {', '.join(map(str, dataset.years))}, "
        + ", ".join(
            f"{y}: {len(g.teman)} teman och {len(g.indikatorer)} indikatorer"
            for y, g in dataset.goals.items()
        )
    )
    return 0


def cmd_new_year(args) -> int:
    from .newyear import new_year

    settings = _settings(args)
    created = new_year(settings.data_dir, args.year)
    print(f"Skapade {args.year}:")
    for path in created:
        print(f"  {path}")
    print(f"Läs {created[-1]} för vad som ska fyllas i.")
    return 0


def cmd_forms(args) -> int:
    from .forms import write_forms

    settings = _settings(args)
    out = Path(args.forms_out) if args.forms_out else settings.out_dir / "formular"
    written = write_forms(settings.data_dir, args.year, out)
    print(f"Skapade {len(written)} formulär för {args.year}:")
    for path in written:
        print(f"  {path}")
    print(
        "Skicka varje fil till sin förvaltning; läs in de ifyllda med "
        f"`python -m report_utils collect {args.year} MAPP`."
    )
    return 0


def _refused(problems_error, what: str) -> int:
    print(f"{what}: inget har skrivits.", file=sys.stderr)
    print(str(problems_error), file=sys.stderr)
    return problems_error.exit_code


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def cmd_collect(args) -> int:
    from .collect import collect_forms
    from .errors import DataValidationError

    settings = _settings(args)
    try:
        result = collect_forms(
            settings.data_dir, args.year, [Path(s) for s in args.sources], replace=args.replace
        )
    except DataValidationError as exc:
        return _refused(exc, "Formulären lästes inte in")
    print(f"Läste in {len(result.forms)} formulär till {result.path}:")
    for form in result.forms:
        print(f"  {form.department}: {form.label} — {_count(form.filled, 'värde', 'värden')}")
    print(
        f"{_count(result.written, 'cell', 'celler')} skrevs, {result.unchanged} var redan likadana."
    )
    if result.replaced:
        print(f"Ersatte {_count(len(result.replaced), 'värde', 'värden')} (--replace):")
        for rep in result.replaced:
            print(f"  {rep}")
    print("\n".join(result.status.lines(missing_ids=False)))
    print(f"Vilka värden som saknas: python -m report_utils status {args.year}")
    return 0


def cmd_status(args) -> int:
    from .collect import round_status

    settings = _settings(args)
    print(round_status(settings.data_dir, args.year))
    return 0


def cmd_rebuild_values(args) -> int:
    from .collect import rebuild_values_workbook
    from .errors import DataValidationError

    settings = _settings(args)
    try:
        result = rebuild_values_workbook(settings.data_dir, args.year)
    except DataValidationError as exc:
        return _refused(exc, f"{args.year}/indikatorvarden.xlsx byggdes inte om")
    print(
        f"Byggde om {result.path} från {args.year}/mal.xlsx: {result.rows} rader "
        f"(indikator × ansvarig förvaltning), {result.values} ifyllda värden behållna."
    )
    if result.kept_apart:
        print(
            f"{len(result.kept_apart)} rader med innehåll som mal.xlsx inte längre efterfrågar "
            "ligger sist; `python -m report_utils validate` visar vad som ska göras med dem."
        )
    return 0


def cmd_import_agreement(args) -> int:
    from .agreement import import_agreement

    settings = _settings(args)
    result = import_agreement(
        Path(args.file), settings.data_dir, args.year, cache_dir=settings.cache_dir
    )
    print(f"Skapade utkastet till {args.year}:")
    for path in result.created:
        print(f"  {path}")
    for line in result.summary:
        print(f"  {line}")
    print(f"  {result.flagged} rader flaggade för granskning (kolumnen 'granska')")
    if result.problems:
        print(f"{len(result.problems)} problem att rätta i utkastet:", file=sys.stderr)
        for problem in result.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print(f"Läs {result.created[-1]} först.")
    return 0


COMMANDS = {
    "render": cmd_render,
    "validate": cmd_validate,
    "new-year": cmd_new_year,
    "forms": cmd_forms,
    "collect": cmd_collect,
    "status": cmd_status,
    "rebuild-values": cmd_rebuild_values,
    "import-agreement": cmd_import_agreement,
}


def main(argv: list[str] | None = None) -> int:
    from . import parsed_cache

    args = build_parser().parse_args(argv)
    try:
        with parsed_cache.kept_in(_settings(args).cache_dir):
            return COMMANDS[args.command](args)
    except ReportError as exc:
        print(f"fel: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("avbrutet", file=sys.stderr)
        return 130
