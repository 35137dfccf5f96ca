"""Which sheets of a workbook LibreOffice opens with frozen panes, one ``name<TAB>yes|no``
line per sheet. Run by the system Python, which has LibreOffice's ``uno`` module
(Debian: ``apt-get install python3-uno``):

    /usr/bin/python3 tests/files/libreoffice/frozen_panes.py WORKBOOK

LibreOffice run without a display (``--headless``) keeps no view settings when it saves,
so a frozen pane cannot be tested by saving and reading back; opening the file and
asking LibreOffice's own view is what a user sees.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def main(path: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pipe = f"grantstats-{os.getpid()}"
        office = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={Path(tmp).as_uri()}", "--headless",
             "--norestore", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local)
            for _ in range(120):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:  # not listening yet
                    time.sleep(0.5)
            else:
                raise SystemExit("LibreOffice did not start")
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop",
                                                                   ctx)
            hidden = PropertyValue()
            hidden.Name, hidden.Value = "Hidden", True
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(Path(path).resolve())),
                                               "_blank", 0, (hidden,))
            view = doc.getCurrentController()
            for sheet in doc.Sheets:
                view.setActiveSheet(sheet)
                print(f"{sheet.Name}\t{'yes' if view.hasFrozenPanes() else 'no'}")
            doc.close(True)
        finally:
            office.terminate()
            office.wait(timeout=60)


if __name__ == "__main__":
    main(sys.argv[1])
