"""``python -m complaints_tui``: the same as the ``complaints-tui`` command."""

from complaints_tui.cli import main

raise SystemExit(main())
