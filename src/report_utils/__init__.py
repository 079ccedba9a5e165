"""Helpers for Helsingborgs stad's mental-health follow-up reports.

Nothing happens at import time: submodules are imported by whoever needs them.
The pipeline, one module per stage::

    settings    paths and options (one dataclass)
    errors      the exception hierarchy
    schemas     what every sheet must look like (declarations only)
    loading     reading the xlsx workbooks, Swedish number parsing
    validation  checking sheets against the schemas, collecting every problem
    model       the validated data set and its department/year slices
    compare     2018–2019 results beside 2026 goals, goal attainment
    formatting  Swedish numbers, dates, tables, escaping
    charts      one matplotlib style, charts as self-contained SVG figures
    report      the sections a report notebook displays
    explore     filtering and lookup for interactive exploration
    explore_export   the explorer's Excel and CSV export
    explore_widgets  the ipywidgets explorer built on ``explore``
    engine      the in-process papermill engine used for batch rendering
    cache       cache keys for incremental rendering
    render      papermill + nbconvert batch rendering and the landing page
    newyear     scaffolding for next year's data
    ocr         Swedish OCR repair (å/ä/ö, joined and hyphenated words, page furniture)
    agreement   importing next year's agreement text into a draft goals workbook
    agreement_diff  what changed since last year's goals; ids carried over
    workbooks   writing schema-conformant xlsx workbooks
    cli         ``python -m report_utils``
"""

__version__ = "0.1.0"
