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
    parameters  the one check of a report's department and year
    catalog     what can be rendered: departments, years, data version (cached)
    jobs        one job per report: its paths and cache key
    cache       cache keys for incremental rendering, the manifest
    outdir      the output folder: lock, whole-file writes, folder errors
    engine      the two papermill engines: fast (in-process kernel) and kernel
    runner      running jobs in forked children or on kernels, with deadlines
    export      executed notebook to offline HTML (nbconvert)
    landing     the landing page (a Jinja template)
    progress    progress lines and the closing summary
    render      batch rendering: ties the steps above together
    newyear     scaffolding for next year's data
    ocr         Swedish OCR repair (å/ä/ö, joined and hyphenated words, page furniture)
    agreement   importing next year's agreement text into a draft goals workbook
    agreement_diff  what changed since last year's goals; ids carried over
    workbooks   writing schema-conformant xlsx workbooks
    lazyimport  deferring rfc3987_syntax's parser, which nbformat's import builds unused
    pytest_early    the same deferral in the test suite's processes (a pytest plugin)
    cli         ``python -m report_utils``
"""

__version__ = "0.1.0"
