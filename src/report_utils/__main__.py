"""``python -m report_utils``."""

from .cli import main

raise SystemExit(main())
