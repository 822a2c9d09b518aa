"""Entry point of the bundled ``motcua-desktop`` window app (the gui-scripts entry motcua.ui.app:main).

With ``MOTCUA_BUNDLE_SELFTEST=<report file>`` it checks the bundle instead of starting the app: every motcua
module imports, Qt starts with its platform plugin, the image plugins load, and QtPdf renders a PDF
(``MOTCUA_SELFTEST_PDF``). A windowed program has no console on Windows, so the result goes to the report file and
the exit code; the build scripts run it after building, and support staff can run it on a PC where the app will not
start (docs/installer.md).
"""

import os
import sys


def self_test(report_path: str) -> int:
    lines: list[str] = []
    try:
        import importlib
        import pkgutil

        import motcua

        # The UI opens pages by module name (importlib) and the sync code loads late, so an import that analysis
        # missed shows up only when a user clicks there: import every module now. Not the hub (server-side) and not
        # motcua.__main__, which would run the command line.
        names = [
            m.name
            for m in pkgutil.walk_packages(motcua.__path__, "motcua.")
            if not (m.name == "motcua.hub" or m.name.startswith("motcua.hub.") or m.name.endswith(".__main__"))
        ]
        for name in names:
            importlib.import_module(name)
        lines.append(f"motcua: {len(names)} modules import")

        import keyring

        # The sync token lives in the OS keyring; keyring finds its backends through package metadata, which a
        # bundle can lose. On Windows anything but the Credential Manager backend means the token cannot be kept.
        backend = type(keyring.get_keyring())
        lines.append(f"keyring backend: {backend.__module__}.{backend.__name__}")
        if sys.platform == "win32" and backend.__module__ != "keyring.backends.Windows":
            raise RuntimeError("keyring has no Windows Credential Manager backend in this bundle")

        from PySide6 import __version__ as pyside_version
        from PySide6.QtGui import QImageReader
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance() or QApplication([sys.argv[0]])
        lines.append(f"Qt {pyside_version}, platform {app.platformName()}, Python UTF-8 mode {sys.flags.utf8_mode}")
        if sys.flags.utf8_mode != 1:  # the spec's "X utf8" option: without it Vietnamese output breaks on Windows
            raise RuntimeError("the bundle does not run in Python's UTF-8 mode")
        formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
        missing = {"png", "jpeg", "ico", "svg"} - formats  # scans and photos attached to dossiers, icons
        if missing:
            raise RuntimeError(f"Qt image plugins missing: {sorted(missing)}")
        lines.append(f"image formats: {', '.join(sorted(formats))}")

        pdf = os.environ.get("MOTCUA_SELFTEST_PDF")
        if pdf:
            from PySide6.QtCore import QSize
            from PySide6.QtPdf import QPdfDocument

            document = QPdfDocument()
            if document.load(pdf) != QPdfDocument.Error.None_:
                raise RuntimeError(f"QtPdf could not load {pdf}")
            image = document.render(0, QSize(600, 850))
            if image.isNull():
                raise RuntimeError("QtPdf rendered an empty page")
            lines.append(f"QtPdf: {document.pageCount()} page(s), rendered {image.width()}x{image.height()}")
        lines.append("self-test passed")
        code = 0
    except BaseException:  # report everything, including SystemExit from a module: nobody sees a console
        import traceback

        lines.append(traceback.format_exc())
        lines.append("self-test FAILED")
        code = 1
    with open(report_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return code


if os.environ.get("MOTCUA_BUNDLE_SELFTEST"):
    raise SystemExit(self_test(os.environ["MOTCUA_BUNDLE_SELFTEST"]))

from motcua.ui.app import main  # noqa: E402 (after the self-test switch: the app itself is not needed for it)

raise SystemExit(main())
