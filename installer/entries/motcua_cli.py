"""Entry point of the bundled ``motcua`` command (PyInstaller needs a script, not a console_scripts entry)."""

from motcua.cli import main

raise SystemExit(main())
