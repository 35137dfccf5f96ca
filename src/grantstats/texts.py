"""Every text a user reads, in Swedish (the default) and English: one catalogue.

``TEXTS`` maps a message id to its ``(Swedish, English)`` text; :func:`text` looks one up
and fills in its ``{placeholders}`` with :meth:`str.format`. Ids are namespaced by where
they are used:

- problem codes (``file.*``, ``sheet.*``, ``cell.*``, ``total.*``, ``note.*``, ``cli.*``)
  are the messages of :class:`grantstats.errors.Problem` and the command's results; a
  problem's hint is the id ``<code>.hint`` (no such id: no hint), and :func:`render`
  gives both. These codes are an interface (tests, docs, ``to_frame``): never rename one.
- ``help.*`` the command line's help, ``argparse.*`` argparse's own words, ``usage.*`` the
  usage errors (their English text is argparse's own, see :mod:`grantstats.commands.cli`);
- ``figure.*`` the label of each figure of :func:`grantstats.computing.metrics.project_summary`,
  the one name it has wherever it appears (summary, report, charts, form): :func:`figure`;
- ``report.*``, ``chart.*``, ``form.*``, ``template.*``, ``diff.*`` the texts of those outputs.
- ``statement.*`` the committee statement (``grantstats statement``), its problems and warnings.

Adding a text: add an id here with both languages, the same placeholders in each, and
call ``text(id, lang, **params)`` where it is shown; ``tests/test_texts.py`` checks
that every id has both languages with the same placeholders, and that no other module
holds Swedish texts of its own.

Why one keyed Python module rather than gettext/Babel catalogues (.po/.mo): the build
needs no extract or compile step (hatchling ships this module as it is; there is no
compiled catalogue that could be missing and silently fall back to the source text);
both languages stand side by side, so a text changed in one is seen to need the other;
Swedish is the source language, whereas gettext keys a text by its source string, so
our problem codes, which are an interface, would have to live in msgctxt or comments;
and a plain test checks what ``msgfmt --check`` would (placeholders) and more (every
problem code the code raises has a text). What gettext adds, many languages, translators'
tools and plural rules, two languages worded without plural forms ("arbetsböcker: {n}")
do not need.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

LANGS = ("sv", "en")

#: the language of an interactive session (a notebook, IPython): what ``str()`` of an
#: error and the display of a table speak unless told otherwise; ``GRANTSTATS_LANG``
#: or :func:`set_session_lang` change it
_SESSION = {"lang": os.environ.get("GRANTSTATS_LANG", "sv")}

#: message id → (Swedish, English)
TEXTS: dict[str, tuple[str, str]] = {
    # --- problems: the file itself ----------------------------------------------------------------
    "file.not_found": ("{path} finns inte", "{path} does not exist"),
    "file.not_found.hint": ("letade efter {where} från arbetsmappen {cwd}; kontrollera sökvägen",
                            "looked for {where} from the working folder {cwd}; check the path"),
    "file.not_workbook": ("{path} är ingen arbetsbok som går att läsa ({detail})",
                          "{path} is not a readable workbook ({detail})"),
    "file.not_workbook.hint": ("spara filen som .xlsx i Excel eller LibreOffice",
                               "save the file as .xlsx in Excel or LibreOffice"),
    "file.encrypted": ("filen {path} är lösenordsskyddad", "the file {path} is password-protected"),
    "file.encrypted.hint": ("spara en kopia utan lösenord", "save an unprotected copy"),
    "file.legacy_xls": ("{path} är en gammal .xls-fil som inte gick att läsa ({detail})",
                        "{path} is a legacy .xls file that could not be read ({detail})"),
    "file.legacy_xls.hint": ("spara den som .xlsx", "save it as .xlsx"),
    "file.lock": ("{path} är Excels låsfil, inte arbetsboken",
                  "{path} is Excel's lock file, not the workbook"),
    "file.lock.hint": ("öppna den riktiga arbetsboken", "open the real workbook"),
    "file.damaged": ("filen {path} är ofullständig eller skadad ({detail})",
                     "the file {path} is incomplete or damaged ({detail})"),
    "file.damaged.hint": ("ladda ner eller kopiera filen igen", "download or copy the file again"),
    "file.unsafe_xml": (
        "filen {path} innehåller XML med DTD eller entiteter ({member}) och läses inte",
        "the file {path} holds XML with a DTD or entities ({member}) and is not read",
    ),
    "file.unsafe_xml.hint": ("öppna och spara filen i Excel eller LibreOffice",
                             "open and save the file in Excel or LibreOffice"),
    "file.too_large": ("filen {path} är orimligt stor för en arbetsbok ({detail})",
                       "the file {path} is unreasonably large for a workbook ({detail})"),
    "file.too_large.hint": (
        "kontrollera att det är rätt fil; har ett blad celler långt utanför tabellen, töm eller "
        "radera dem (Ctrl+End visar den sista) och spara filen igen",
        "check that this is the right file; if a sheet has cells far outside the table, clear "
        "or delete them (Ctrl+End shows the last one) and save the file again",
    ),
    # --- what a file's technical detail is about ({detail} above; see Detail) -------------------
    "detail.crashed": ("läsaren kraschade", "the reader crashed"),
    "detail.memory": ("läsningen behövde mer minne än som är tillåtet",
                      "reading it needed more memory than allowed"),
    "detail.time": ("läsningen tog för lång tid", "reading it took too long"),
    "detail.empty": ("filen är tom", "the file is empty"),
    "detail.permission": ("ingen behörighet att läsa den", "no permission to read it"),
    "detail.not_regular": ("ingen vanlig fil", "not a regular file"),
    "detail.other_format": ("ett annat slags fil", "another kind of file"),
    "detail.format": ("formatet känns inte igen", "the format is not recognised"),
    "detail.checksum": ("en kontrollsumma stämmer inte", "a checksum does not match"),
    "detail.compressed": ("packade data är trasiga", "compressed data is broken"),
    "detail.cut_off": ("filen är avkortad eller delar saknas",
                       "the file is cut off or parts are missing"),
    "detail.zip": ("zip-arkivets innehållsförteckning stämmer inte",
                   "the zip archive's directory does not add up"),
    "detail.size": ("storleken", "the size"),
    "detail.xml": ("fel i filens XML", "an error in the file's XML"),
    "detail.read": ("läsfel", "read error"),
    "detail.other": ("tekniskt fel", "technical error"),
    "file.changed": ("filen {path} ändrades medan den lästes",
                     "the file {path} changed while it was being read"),
    "file.changed.hint": ("vänta tills den är sparad och stängd, och kör igen",
                          "wait until it is saved and closed, and run again"),
    "file.sheet_encoding": (
        "bladet '{sheet}' i {path} är sparat som {encoding}, som inte går att läsa",
        "the sheet '{sheet}' in {path} is stored as {encoding}, which cannot be read",
    ),
    "file.sheet_encoding.hint": ("öppna filen i Excel eller LibreOffice och spara den som .xlsx",
                                 "open the file in Excel or LibreOffice and save it as .xlsx"),
    "file.part_encoding": (
        "delen {part} i {path} är sparad som {encoding}, som inte går att läsa",
        "the part {part} of {path} is stored as {encoding}, which cannot be read",
    ),
    "file.part_encoding.hint": ("öppna filen i Excel eller LibreOffice och spara den som .xlsx",
                                "open the file in Excel or LibreOffice and save it as .xlsx"),
    "file.is_directory": ("{path} är en mapp", "{path} is a folder"),
    "file.is_directory.hint": ("ange en arbetsbok (.xlsx)", "give a workbook (.xlsx)"),

    # --- problems: sheets and headers -------------------------------------------------------------
    "sheet.missing": ("bladet '{sheet}' saknas", "the sheet '{en}' is missing"),
    "sheet.missing.hint": ("lägg till ett blad som heter '{sheet}' (eller '{en}')",
                           "add a sheet named '{sheet}' or '{en}'"),
    "sheet.no_header": ("hittar ingen rubrikrad med {missing}",
                        "no header row with {missing} found"),
    "sheet.no_header.hint": (
        "skriv rubrikerna {missing} i en rad överst; rubriker som finns: {found}",
        "write the headers {missing} in one row at the top; headers found: {found}",
    ),
    "sheet.one_of_missing": ("kolumnen {names} saknas", "the column {names} is missing"),
    "sheet.one_of_missing.hint": ("lägg till en av kolumnerna {names}",
                                  "add one of the columns {names}"),
    "sheet.empty": ("bladet har inga datarader", "the sheet has no data rows"),
    "sheet.empty.hint": ("fyll i minst en rad under rubrikerna",
                         "fill in at least one row below the headers"),
    "sheet.duplicate_header": ("rubriken '{header}' finns två gånger (även i {other})",
                               "the header '{header}' appears twice (also in {other})"),
    "sheet.duplicate_header.hint": ("ta bort eller byt namn på den ena kolumnen",
                                    "remove or rename one of the columns"),
    "sheet.duplicate_sheet": ("bladen '{sheet}' och '{other}' betyder samma sak",
                              "the sheets '{sheet}' and '{other}' mean the same thing"),
    "sheet.duplicate_sheet.hint": ("slå ihop dem till ett blad", "merge them into one sheet"),
    "sheet.too_large": ("bladet har {rows} rader och {cols} kolumner, mer än Excel tillåter",
                        "the sheet has {rows} rows and {cols} columns, more than Excel allows"),
    "sheet.too_large.hint": ("kontrollera att det är rätt fil",
                             "check that this is the right file"),

    # --- problems: cells --------------------------------------------------------------------------
    "cell.required_empty": ("'{column}' är tom", "'{column}' is empty"),
    "cell.required_empty.hint": ("fyll i ett värde eller ta bort raden",
                                 "fill in a value or delete the row"),
    "cell.amount_invalid": ("'{value}' är inget belopp", "'{value}' is not an amount"),
    "cell.amount_invalid.hint": (
        "skriv kronor som 1 289 000, 12,5 eller 250 tkr (decimalkomma, mellanslag mellan tusental)",
        "write kronor as 1 289 000, 12,5 or 250 tkr (decimal comma, spaces between thousands)",
    ),
    "cell.amount_negative": ("beloppet {value} är negativt", "the amount {value} is negative"),
    "cell.amount_negative.hint": ("belopp i '{sheet_name}' kan inte vara negativa",
                                  "amounts in '{sheet_name}' cannot be negative"),
    "cell.bool_number": ("'{value}' är ett sant/falskt-värde där ett tal ska stå",
                         "'{value}' is a true/false value where a number belongs"),
    "cell.bool_number.hint": ("skriv ett tal", "write a number"),
    "cell.error_value": ("cellen innehåller felvärdet {value}",
                         "the cell holds the error value {value}"),
    "cell.error_value.hint": ("rätta formeln i Excel eller skriv in värdet",
                              "fix the formula in Excel or type in the value"),
    "cell.date_invalid": ("'{value}' är inget datum", "'{value}' is not a date"),
    "cell.date_invalid.hint": (
        "skriv datum som 2009-11-05, 5 november 2009 eller en månad som 2010-03",
        "write dates as 2009-11-05, 5 november 2009 or a month as 2010-03",
    ),
    "cell.category_unknown": ("kategorin '{value}' finns inte",
                              "the category '{value}' does not exist"),
    "cell.category_unknown.hint": ("använd en av: {accepted}", "use one of: {accepted}"),
    "cell.share_invalid": ("'{value}' är ingen andel mellan 0 och 1",
                           "'{value}' is not a share between 0 and 1"),
    "cell.share_invalid.hint": ("skriv t.ex. 0,2 eller 20 %", "write e.g. 0.2 or 20 %"),
    "cell.age_invalid": ("'{value}' är ingen ålder", "'{value}' is not an age"),
    "cell.age_invalid.hint": ("skriv hela år mellan 0 och 120",
                              "write whole years between 0 and 120"),
    "cell.age_group_invalid": ("'{value}' är ingen åldersgrupp", "'{value}' is not an age group"),
    "cell.age_group_invalid.hint": ("använd en av: {accepted}", "use one of: {accepted}"),
    "cell.age_missing": ("varken ålder eller åldersgrupp är ifylld",
                         "neither age nor age group is filled in"),
    "cell.age_missing.hint": ("fyll i den ena", "fill in one of them"),
    "cell.age_conflict": ("åldern {age} hör inte till åldersgruppen '{group}'",
                          "the age {age} does not belong to the age group '{group}'"),
    "cell.age_conflict.hint": ("rätta den ena", "correct one of them"),
    "cell.count_invalid": ("'{value}' är inget antal", "'{value}' is not a count"),
    "cell.count_invalid.hint": ("skriv ett helt tal, 0 eller mer",
                                "write a whole number, 0 or more"),
    "cell.project_unknown": ("projektet '{value}' finns inte i bladet projekt",
                             "the project '{value}' is not in the projects sheet"),
    "cell.project_unknown.hint": (
        "lägg till projektet i bladet projekt eller rätta id:t; kända: {known}",
        "add the project to the projects sheet or correct the id; known: {known}",
    ),
    "cell.project_duplicate": ("projekt_id '{value}' finns redan på rad {other}",
                               "project_id '{value}' already appears on row {other}"),
    "cell.project_duplicate.hint": ("varje projekt får en rad", "each project gets one row"),
    "cell.personal_number": (
        "cellen innehåller ett personnummer eller samordningsnummer ({masked})",
        "the cell holds a personal identity or coordination number ({masked})",
    ),
    "cell.personal_number.hint": (
        "ta bort det; grantstats läser bara uppgifter utan personnummer (är det ett "
        "telefonnummer, skriv det med skiljetecken: 070-123 45 67)",
        "remove it; grantstats reads only data without identity numbers (if it is a phone number, "
        "write it with separators: 070-123 45 67)",
    ),
    "cell.formula_no_value": ("formeln har inget sparat resultat",
                              "the formula has no stored result"),
    "cell.formula_no_value.hint": ("öppna och spara filen i Excel eller LibreOffice",
                                   "open and save the file in Excel or LibreOffice"),
    "cell.formula_recalc": (
        "arbetsboken ska räknas om när den öppnas, så formelns sparade resultat kan vara "
        "inaktuellt",
        "the workbook asks to be recalculated when opened, so the formula's stored result may be "
        "stale",
    ),
    "cell.formula_recalc.hint": ("öppna och spara filen i Excel eller LibreOffice",
                                 "open and save the file in Excel or LibreOffice"),
    "cell.merged_number": ("sammanslagna celler {range} i en kolumn med tal",
                           "merged cells {range} in a column of numbers"),
    "cell.merged_number.hint": (
        "dela upp cellerna och skriv talet på en rad (annars räknas det flera gånger)",
        "unmerge the cells and write the number on one row (else it counts twice)",
    ),
    "cell.merged_overlap": ("sammanslagna celler {range} överlappar andra sammanslagna celler",
                            "merged cells {range} overlap other merged cells"),
    "cell.merged_overlap.hint": (
        "filen är skadad: dela upp cellerna, eller öppna och spara filen i Excel eller LibreOffice",
        "the file is damaged: unmerge the cells, or open and save the file in Excel or LibreOffice",
    ),
    "cell.text_too_long": (
        "texten är {length} tecken lång, mer än Excels gräns på 32 767",
        "the text is {length} characters long, more than Excel's limit of 32,767",
    ),
    "cell.text_too_long.hint": ("korta texten", "shorten the text"),
    "cell.date_out_of_range": ("datumet {value} ligger utanför 1950–2199",
                               "the date {value} is outside 1950–2199"),
    "cell.date_out_of_range.hint": ("rätta årtalet", "correct the year"),
    "cell.merged_header": ("sammanslagna celler {range} går från rubrikraden ned i data",
                           "merged cells {range} reach from the header row into the data"),
    "cell.merged_header.hint": ("dela upp cellerna så att rubriken står ensam i sin cell",
                                "unmerge the cells so that the header stands alone in its cell"),
    "cell.date_order": ("slutdatum {end} ligger före startdatum {start}",
                        "the end date {end} is before the start date {start}"),
    "cell.date_order.hint": ("rätta datumen", "correct the dates"),
    "cell.flag_invalid": ("'{value}' är varken ja eller nej", "'{value}' is neither yes nor no"),
    "cell.flag_invalid.hint": ("skriv ja eller nej", "write yes or no"),
    "sheet.header_unit": ("enheten '{unit}' i rubriken '{header}' är okänd",
                          "the unit '{unit}' in the header '{header}' is unknown"),
    "sheet.header_unit.hint": ("använd kr, tkr eller mkr", "use kr, tkr or mkr"),
    "sheet.more_problems": ("och {count} fel till av samma slag ({code})",
                            "and {count} more problems of the same kind ({code})"),
    "sheet.more_problems.hint": ("rätta de visade först", "fix the ones shown first"),
    "cell.bool_text": ("'{value}' är ett sant/falskt-värde där en text ska stå",
                       "'{value}' is a true/false value where a text belongs"),
    "cell.bool_text.hint": ("skriv texten", "write the text"),
    "total.mismatch": ("summaraden säger {stated} men raderna ovanför summerar till {computed}",
                       "the totals row says {stated} but the rows above add up to {computed}"),
    "total.mismatch.hint": ("rätta summan eller raderna", "correct the total or the rows"),
    "total.text_skipped": (
        "summaraden säger {stated}, men det är summan av bara de belopp som är tal: {count} "
        "belopp är skrivna som text ({cells}), och kalkylprogrammets SUMMA() hoppar över text; "
        "raderna summerar till {computed}",
        "the totals row says {stated}, but that is the sum of the amounts that are numbers "
        "only: {count} amounts are written as text ({cells}), and the spreadsheet's SUM() "
        "skips text; the rows add up to {computed}"),
    "total.text_skipped.hint": (
        "gör textbeloppen till tal (skriv om dem, eller Data → Text till kolumner), eller skriv "
        "grantstats summa {computed} i summaraden",
        "turn the text amounts into numbers (type them again, or Data → Text to Columns), or "
        "write grantstats' total {computed} in the totals row"),
    "sheet.examples_left": ("mallens exempelrader finns kvar (rad {rows})",
                            "the template's example rows are still there (row {rows})"),
    "sheet.examples_left.hint": (
        "ta bort dem; är raden riktig, töm kolumnen 'exempel'",
        "delete them; if the row is real, empty its 'example' column"),

    # --- the command line: results and problems ---------------------------------------------------
    "cli.check_ok": ("OK: {name} – {counts}", "OK: {name} – {counts}"),
    "cli.warning": ("  varning, {project}: {message}", "  warning, {project}: {message}"),
    "cli.folder_total": ("{ok} av {n} arbetsböcker utan fel",
                         "{ok} of {n} workbooks without problems"),
    "cli.folder_empty": ("det finns inga arbetsböcker i {path}",
                         "there are no workbooks in {path}"),
    "cli.folder_empty.hint": ("lägg .xlsx-filerna i mappen", "put the .xlsx files in the folder"),
    "cli.folder_rollup": ("Totalt: {n} arbetsböcker, {p} projekt",
                          "Total: {n} workbooks, {p} projects"),
    "cli.os_error": ("{path}: {error}", "{path}: {error}"),
    "cli.os_error.hint": ("kontrollera sökvägen och att du får läsa och skriva där",
                          "check the path and that you may read and write there"),
    "cli.cache_usage": ("cache: {path} – arbetsböcker: {n}, {size}",
                        "cache: {path} – workbooks: {n}, {size}"),
    "cli.cache_disabled": ("cachen är avstängd (GRANTSTATS_CACHE={value})",
                           "the cache is turned off (GRANTSTATS_CACHE={value})"),
    "cli.cache_unsafe": (
        "cachen används inte: mappen tillhör någon annan eller får ändras av andra",
        "the cache is not used: the folder belongs to someone else or others may change it",
    ),
    "cli.cache_unsafe.hint": ("ange en egen mapp i GRANTSTATS_CACHE_DIR",
                              "name a folder of your own in GRANTSTATS_CACHE_DIR"),
    "cli.cache_not_folder": ("cachen används inte: sökvägen är ingen mapp",
                             "the cache is not used: the path is not a folder"),
    "cli.cache_not_folder.hint": ("ange en mapp i GRANTSTATS_CACHE_DIR",
                                  "name a folder in GRANTSTATS_CACHE_DIR"),
    "cli.cache_cleared": ("tömde cachen i {path} (borttagna arbetsböcker: {n})",
                          "cleared the cache in {path} (workbooks removed: {n})"),
    "cli.cache_unreadable": ("cachen används inte: {path} går inte att använda ({error})",
                             "the cache is not used: {path} cannot be used ({error})"),
    "cli.cache_unreadable.hint": ("ange en egen mapp i GRANTSTATS_CACHE_DIR",
                                  "name a folder of your own in GRANTSTATS_CACHE_DIR"),
    "cli.template_suffix": ("{path} är inget .xlsx-namn", "{path} is not an .xlsx name"),
    "cli.template_suffix.hint": ("ge mallen ett namn som slutar på .xlsx",
                                 "give the template a name ending in .xlsx"),
    "cli.exists": ("{path} finns redan och skrivs inte över",
                   "{path} already exists and is not overwritten"),
    "cli.exists.hint": ("välj ett annat namn", "choose another name"),
    "cli.interrupted": ("avbrutet; inget har skrivits", "interrupted; nothing was written"),
    "cli.interrupted_written": ("avbrutet; det här hann skrivas: {files}",
                                "interrupted; these were written before it: {files}"),
    "cli.out_unusable": ("rapporter kan inte skrivas i mappen {path} ({error})",
                         "reports cannot be written in the folder {path} ({error})"),
    "cli.out_unusable.hint": ("ange med --out en mapp som du får skriva i",
                              "give a folder you may write in with --out"),
    "cli.disk_full": ("{path} kunde inte skrivas: disken är full",
                      "{path} could not be written: the disk is full"),
    "cli.disk_full.hint": (
        "frigör utrymme på disken eller välj en annan mapp (för rapporter: --out); ingen "
        "halvskriven fil finns kvar",
        "free some space on the disk or choose another folder (for reports: --out); no "
        "half-written file is left"),
    "cli.write_failed": ("{path} kunde inte skrivas ({error})",
                         "{path} could not be written ({error})"),
    "cli.write_failed.hint": (
        "kontrollera att du får skriva där, eller välj en annan mapp (för rapporter: --out); "
        "ingen halvskriven fil finns kvar",
        "check that you may write there, or choose another folder (for reports: --out); no "
        "half-written file is left"),
    "cli.progress": ("{step} …", "{step} …"),
    "cli.notebook_failed": (
        "rapporten kunde inte skapas: cell {cell} i {notebook} gav {error}",
        "the report could not be made: cell {cell} of {notebook} raised {error}",
    ),
    "cli.notebook_failed.hint": ("ingen rapport har skrivits; rätta felet och kör igen",
                                 "no report was written; fix the error and run again"),
    "cli.notebook_timeout": (
        "rapporten tog för lång tid: cell {cell} i {notebook} blev inte klar på {seconds} s",
        "the report took too long: cell {cell} of {notebook} did not finish in {seconds} s",
    ),
    "cli.notebook_timeout.hint": (
        "ingen rapport har skrivits; försök igen eller kontrollera arbetsboken",
        "no report was written; try again or check the workbook",
    ),
    "cli.pdf_missing": ("PDF kräver WeasyPrint och systemets Pango, som inte kunde läsas in "
                        "({detail})",
                        "PDF needs WeasyPrint and the system's Pango, which could not be "
                        "loaded ({detail})"),
    "cli.pdf_missing.hint": (
        "installera Pango (Debian/Ubuntu: sudo apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0) och grantstats igen; HTML-rapporten är skriven",
        "install Pango (Debian/Ubuntu: sudo apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0) and grantstats again; the HTML report is written",
    ),
    "cli.pdf_failed": ("PDF:en kunde inte skrivas ({detail})",
                       "the PDF could not be written ({detail})"),
    "cli.pdf_failed.hint": ("HTML-rapporten är skriven", "the HTML report is written"),
    "cli.no_embedded": ("rapporten saknar grantstats siffror: {path}",
                        "the report holds no grantstats figures: {path}"),
    "cli.no_embedded.hint": (
        "ange med --since en rapport som grantstats har skrivit och som inte har ändrats "
        "efteråt, eller den tidigare arbetsboken",
        "give --since a report that grantstats wrote and that has not been edited since, or "
        "the earlier workbook",
    ),
    "cli.since_none": ("det finns ingen tidigare rapport av {name} ({project}) i {folder}",
                       "there is no earlier report of {name} ({project}) in {folder}"),
    "cli.since_none.hint": ("ange den tidigare rapporten eller arbetsboken med --since, eller "
                            "välj med --out mappen där den ligger",
                            "give the earlier report or workbook with --since, or choose the "
                            "folder it is in with --out"),
    "cli.project_unknown": ("projektet '{project}' finns inte i arbetsboken",
                            "the project '{project}' is not in the workbook"),
    "cli.project_unknown.hint": ("kända projekt: {known}", "known projects: {known}"),
    "cli.project_in_two": ("projektet '{project}' finns både i {first} och i {second}",
                           "the project '{project}' is in both {first} and {second}"),
    "cli.project_in_two.hint": (
        "flytta den äldre versionen ur mappen (grantstats diff {first} {second} visar vad som "
        "skiljer); tills dess räknar totalen projektet en gång, från {first}",
        "move the older version out of the folder (grantstats diff {first} {second} shows what "
        "differs); until then the total counts the project once, from {first}",
    ),
    "cli.diff_same_path": ("{path} anges både som gammal och ny version",
                           "{path} is given as both the old and the new version"),
    "cli.diff_same_path.hint": ("ange två olika filer: den tidigare versionen först",
                                "give two different files: the earlier version first"),

    # --- notes (check mentions them, they do not stop a load) -------------------------------------
    "note.total_ok": ("summaraden ({stated}) stämmer med raderna ovanför",
                      "the totals row ({stated}) agrees with the rows above"),
    "note.sheet_ignored": ("bladet '{name}' används inte av grantstats",
                           "the sheet '{name}' is not used by grantstats"),
    "note.column_ignored": ("kolumnen '{name}' används inte", "the column '{name}' is not used"),
    "note.column_kept": ("kolumnen '{name}' finns med i tabellen som '{key}' men kontrolleras "
                         "inte", "the column '{name}' is kept in the table as '{key}', unchecked"),
    "note.sheet_hidden": ("bladet är dolt men läses ändå",
                          "the sheet is hidden but is read all the same"),
    "note.rows_hidden": ("dolda rader läses ändå: {rows}",
                         "hidden rows are read all the same: {rows}"),
    "note.columns_hidden": ("dolda kolumner läses ändå: {cols}",
                            "hidden columns are read all the same: {cols}"),

    # --- help: the command line's help (grantstats … --help) --------------------------------------
    "help.description": (
        "Följ upp projektmedel: kontrollera arbetsboken, räkna fram siffrorna, skriv rapporten "
        "till nämnden. Utan arbetsbok används exemplet. --lang en ger engelska.",
        "Follow up grant-funded projects: check the workbook, compute the figures, write the "
        "committee report. Without a workbook the sample is used. Swedish unless --lang en.",
    ),
    "help.epilog": (
        "Slutstatus: 0 klart, 1 arbetsboken (eller någon i mappen) har fel, 2 filen går inte att "
        "använda eller kommandot är fel angivet.",
        "Exit status: 0 done, 1 the workbook (or one in the folder) has problems, 2 the file "
        "cannot be used or the command was called wrongly.",
    ),
    "help.lang": ("språk för meddelanden, hjälp och rapporter: sv eller en (standard: sv)",
                  "language of messages, help and reports: sv or en (default: sv)"),
    "help.no_cache": (
        "läs alltid filen, också om samma innehåll lästs förut (som GRANTSTATS_CACHE=0)",
        "always read the file, even if the same content was read before (like GRANTSTATS_CACHE=0)",
    ),
    "help.jobs": ("för en mapp: antal arbetsböcker som läses samtidigt (standard: en per kärna)",
                  "for a folder: workbooks read at the same time (default: one per core)"),
    "help.check": ("kontrollera en arbetsbok eller alla i en mapp",
                   "check a workbook, or every one in a folder"),
    "help.workbook": ("fil (.xlsx) eller mapp; utan: exemplet",
                      "file (.xlsx) or folder; without: the sample"),
    "help.summary": ("siffrorna per projekt (för en mapp: också totalt)",
                     "the figures per project (for a folder: also the total)"),
    "help.format": ("table (standard) eller json", "table (default) or json"),
    "help.template": ("skriv en tom arbetsbok att fylla i", "write an empty workbook to fill in"),
    "help.out_template": ("ny fil (.xlsx); en befintlig fil skrivs aldrig över",
                          "new file (.xlsx); an existing file is never overwritten"),
    "help.no_examples": ("utan exempelrader", "without example rows"),
    "help.report": ("rapporten till nämnden som en HTML-fil (och PDF)",
                    "the committee report as one HTML file (and PDF)"),
    "help.workbooks": ("arbetsböcker (.xlsx); utan: exemplet",
                       "workbooks (.xlsx); without: the sample"),
    "help.project": ("ett projekt_id, eller 'all' (utan: alla projekt)",
                     "a project_id, or 'all' (without: every project)"),
    "help.separate": ("en rapport per projekt (alla körs i samma kärna)",
                      "one report per project (all run in one kernel)"),
    "help.out": ("mapp för rapporten (standard: reports)",
                 "folder for the report (default: reports)"),
    "help.suppress_below": ("antal personer 1..N-1 visas som <N (standard: 3)",
                            "counts of people 1..N-1 are shown as <N (default: 3)"),
    "help.no_suppress": ("visa alla antal (endast för internt bruk)",
                         "show every count (internal use only)"),
    "help.pdf": ("skriv också en PDF (A4, för utskrift)", "also write a PDF (A4, for print)"),
    "help.diff": ("jämför två versioner av en arbetsbok: ändrade siffror och rader",
                  "compare two versions of a workbook: the figures and rows that changed"),
    "help.diff_description": (
        "Jämför två versioner av en arbetsbok: siffrorna per projekt som ändrats (gammalt, nytt, "
        "skillnad) och raderna som lagts till, tagits bort eller ändrats, med blad och rad i "
        "Excel. Rader paras ihop efter innehåll, inte plats: en rad som bara flyttats är ingen "
        "ändring. Slutstatus: 0 inga skillnader, 1 skillnader, 2 en fil går inte att använda "
        "eller har fel.",
        "Compare two versions of a workbook: the figures per project that changed (old, new, "
        "difference) and the rows added, removed or changed, with their sheet and Excel row. "
        "Rows are paired by content, not position: a row that only moved is no change. Exit "
        "status: 0 no differences, 1 differences, 2 a file cannot be used or has problems.",
    ),
    "help.diff_old": ("den tidigare versionen (.xlsx)", "the earlier version (.xlsx)"),
    "help.diff_new": ("den nya versionen (.xlsx)", "the new version (.xlsx)"),
    "help.metavar_old": ("GAMMAL", "OLD"),
    "help.metavar_new": ("NY", "NEW"),
    "help.metavar_previous": ("FÖREGÅENDE", "PREVIOUS"),
    "help.since": (
        "visa vad som har ändrats sedan en tidigare rapport (.html) eller arbetsbok; "
        "'latest': den senaste tidigare rapporten i --out",
        "show what changed since an earlier report (.html) or workbook; 'latest': the most "
        "recent earlier report in --out",
    ),
    "help.format_diff": ("text (standard) eller json", "text (default) or json"),
    "help.cache": ("var lästa arbetsböcker sparas för omkörningar, och hur mycket",
                   "where loaded workbooks are kept for re-runs, and how much"),
    "help.cache_description": (
        "Arbetsböcker över 512 KiB som lästs utan fel sparas som tabeller, så att en omkörning på "
        "samma fil (samma SHA-256) slipper läsa om den. Mappen är användarens cachemapp eller "
        "GRANTSTATS_CACHE_DIR; GRANTSTATS_CACHE=0 eller --no-cache stänger av. Över 2 GiB tas de "
        "som använts minst nyligen bort.",
        "Workbooks over 512 KiB that loaded without problems are kept as tables, so a re-run on "
        "the same file (same SHA-256) need not read it again. The folder is the user's cache "
        "folder or GRANTSTATS_CACHE_DIR; GRANTSTATS_CACHE=0 or --no-cache turns it off. Above 2 "
        "GiB the least recently used go.",
    ),
    "help.clear": ("ta bort alla sparade arbetsböcker (tabellerna finns kvar tills dess)",
                   "remove every kept workbook (their tables stay until then)"),
    "help.help": ("visa den här hjälpen och avsluta", "show this help message and exit"),
    "help.version": ("visa versionen och avsluta", "show the version and exit"),
    "help.commands": ("kommandon", "commands"),
    "help.command": ("kommando", "command"),
    "help.metavar_workbook": ("arbetsbok", "workbook"),
    "help.metavar_file": ("FIL", "FILE"),
    "help.metavar_date": ("DATUM", "DATE"),
    "help.as_of": ("datumet som bidragets regler bedöms per, ÅÅÅÅ-MM-DD (standard: det senaste "
                   "datumet bland kostnader och rekvisitioner)",
                   "the date the grant's rules are judged as of, YYYY-MM-DD (default: the "
                   "latest date among the costs and requisitions)"),
    "help.metavar_project": ("PROJEKT", "PROJECT"),
    "help.metavar_folder": ("MAPP", "FOLDER"),

    # --- argparse's own words (usage line, section titles, the error line) ------------------------
    "argparse.usage": ("användning: ", "usage: "),
    "argparse.positionals": ("argument", "positional arguments"),
    "argparse.options": ("flaggor", "options"),
    "argparse.error": ("{prog}: fel: {message}", "{prog}: error: {message}"),

    # --- usage errors: argparse's English (and ours), read back in the reader's language ----------
    "usage.argument": ("{argument_name}: {message}", "argument {argument_name}: {message}"),
    "usage.invalid_choice": ("ogiltigt val: {value} (välj bland {choices})",
                             "invalid choice: {value} (choose from {choices})"),
    "usage.invalid_value": ("ogiltigt värde ({type}): {value}", "invalid {type} value: {value}"),
    "usage.unrecognized": ("okända argument: {args}", "unrecognized arguments: {args}"),
    "usage.required": ("följande argument krävs: {names}",
                       "the following arguments are required: {names}"),
    "usage.one_required": ("ett av argumenten {names} krävs",
                           "one of the arguments {names} is required"),
    "usage.not_allowed": ("går inte att kombinera med {other}",
                          "not allowed with argument {other}"),
    "usage.ambiguous": ("flaggan {option} är tvetydig: den kan vara {matches}",
                        "ambiguous option: {option} could match {matches}"),
    "usage.expected_one": ("kräver ett värde", "expected one argument"),
    "usage.expected_at_most_one": ("högst ett värde får anges", "expected at most one argument"),
    "usage.expected_at_least_one": ("kräver minst ett värde", "expected at least one argument"),
    "usage.ignored_explicit": ("tar inget värde (fick {value})",
                               "ignored explicit argument {value}"),
    "usage.date": ("ange ett datum som ÅÅÅÅ-MM-DD", "give a date as YYYY-MM-DD"),
    "usage.whole_number": ("N måste vara ett heltal, minst 1",
                           "N must be a whole number of 1 or more"),

    # --- grantstats diff: what changed between two versions of a workbook ------------------------
    "diff.title": ("Ändringar från {old} till {new}", "Changes from {old} to {new}"),
    "diff.identical": ("Inga skillnader: filerna är identiska (SHA-256 {sha}).",
                       "No differences: the files are identical (SHA-256 {sha})."),
    "diff.nothing": (
        "Inga skillnader i siffror eller rader. (En rad som bara flyttats, eller ett värde som "
        "skrivits på annat sätt men betyder samma sak, är ingen ändring.)",
        "No differences in figures or rows. (A row that only moved, or a value written "
        "differently that means the same, is no change.)",
    ),
    "diff.total": ("Ändrade siffror: {figures}. Rader tillagda: {added}, borttagna: {removed}, "
                   "ändrade: {changed}.",
                   "Figures changed: {figures}. Rows added: {added}, removed: {removed}, "
                   "changed: {changed}."),
    "diff.project_added": ("nytt projekt", "new project"),
    "diff.project_removed": ("projektet finns inte längre", "the project is gone"),
    "diff.row_added": ("{ref}: ny rad – {values}", "{ref}: added – {values}"),
    "diff.row_removed": ("{ref}: borttagen rad – {values}", "{ref}: removed – {values}"),
    "diff.row_changed": ("{ref}: ändrad – {columns}", "{ref}: changed – {columns}"),
    "diff.by_category": ("{figure} ({category})", "{figure} ({category})"),
    "diff.by_age_group": ("{figure} i åldern {band}", "{figure} aged {band}"),
    "diff.by_source": ("{figure} från {source}", "{figure} from {source}"),
    "diff.points": ("{value} procentenheter", "{value} percentage points"),
    "diff.yes": ("ja", "yes"),
    "diff.no": ("nej", "no"),

    # --- figures: one label per figure, wherever it is named (summary, report, charts, form) ------
    "figure.applied": ("Sökt", "Applied for"),
    "figure.granted": ("Beviljat", "Granted"),
    "figure.requisitioned": ("Rekvirerat", "Requisitioned"),
    "figure.spent": ("Förbrukat", "Spent"),
    "figure.holdback_outstanding": ("Innehållet (ej utbetalt)", "Held back (not yet paid)"),
    "figure.remaining_to_requisition": ("Kvar att rekvirera", "Left to requisition"),
    "figure.unspent_requisitioned": ("Rekvirerat men ej förbrukat", "Requisitioned but not spent"),
    "figure.utilisation": ("Förbrukat av beviljat", "Spent of granted"),
    "figure.other_financing": ("Annan finansiering", "Other financing"),
    "figure.referrals": ("Anmälningar", "Referrals"),
    "figure.paid_out": ("Utbetalt", "Paid out"),
    "figure.final_payment_due": ("Slututbetalning att vänta", "Final payment due"),
    "figure.to_repay": ("Att betala tillbaka", "To repay"),
    "figure.allowed_before_final_report": ("Får rekvireras före slutrapporten",
                                           "Allowed before the final report"),
    "figure.status": ("Läge", "Status"),
    # --- the grant's rules: a project's status and what its figures break or leave open -----
    "status.running": ("pågår", "running"),
    "status.ended": ("avslutat", "ended"),
    "status.late": ("slutrapporten är försenad", "the final report is late"),
    "status.verb_running": ("pågår", "runs"),
    "status.verb_ended": ("pågick", "ran"),
    "status.verb_late": ("pågick", "ran"),
    "warning.requisitioned_above_allowed": (
        "{requisitioned} är rekvirerat, mer än de {allowed} som får rekvireras innan "
        "slutrapporten har godkänts",
        "{requisitioned} has been requisitioned, more than the {allowed} allowed before "
        "the final report is approved"),
    "warning.requisitioned_above_allowed.hint": (
        "den innehållna delen rekvireras först när slutrapporten har godkänts; kontrollera "
        "bladet rekvisitioner och beslutets villkor",
        "the held-back share is requisitioned only once the final report is approved; check "
        "the requisitions sheet and the decision's conditions"),
    "warning.requisitioned_above_granted": (
        "{requisitioned} är rekvirerat, mer än de {granted} som beviljats",
        "{requisitioned} has been requisitioned, more than the {granted} granted"),
    "warning.requisitioned_above_granted.hint": (
        "kontrollera rekvisitionerna och besluten; det som rekvirerats utöver beslutet ska "
        "betalas tillbaka",
        "check the requisitions and the decisions; what was requisitioned beyond the "
        "decision is to be paid back"),
    "warning.spent_above_granted": (
        "{spent} är förbrukat, mer än de {granted} som beviljats",
        "{spent} has been spent, more than the {granted} granted"),
    "warning.spent_above_granted.hint": (
        "det som överstiger beslutet betalas med annan finansiering; för in den på bladet "
        "finansiering eller kontrollera kostnaderna",
        "what exceeds the decision is paid by other financing; enter it on the financing "
        "sheet or check the costs"),
    "warning.nothing_requisitioned_after_end": (
        "projektet slutade {end} men inget är rekvirerat",
        "the project ended on {end} but nothing has been requisitioned"),
    "warning.nothing_requisitioned_after_end.hint": (
        "för in rekvisitionerna på bladet rekvisitioner, eller rekvirera medlen hos "
        "bidragsgivaren",
        "enter the requisitions on the requisitions sheet, or requisition the funds from "
        "the funder"),
    "warning.holdback_but_no_report_due": (
        "{held_back} hålls inne till slutrapporten, men inget datum för slutrapporten är angivet",
        "{held_back} is held back until the final report, but no date for the final report "
        "is given"),
    "warning.holdback_but_no_report_due.hint": (
        "fyll i slutrapport_senast på bladet beslut, från beslutsbrevet",
        "fill in slutrapport_senast on the decisions sheet, from the decision letter"),
    "warning.costs_outside_period": (
        "{count} kostnader på sammanlagt {amount} ligger utanför projektperioden "
        "(bladet {sheet}, rad {rows})",
        "{count} costs totalling {amount} fall outside the project period "
        "(sheet {sheet}, rows {rows})"),
    "warning.costs_outside_period.hint": (
        "kontrollera datumen; kostnader utanför perioden får normalt inte redovisas mot bidraget",
        "check the dates; costs outside the period can normally not be charged to the grant"),
    "warning.no_costs_recorded": ("inga kostnader är registrerade för projektet",
                                  "no costs are recorded for the project"),
    "warning.no_costs_recorded.hint": (
        "för in projektets kostnader på bladet kostnader",
        "enter the project's costs on the costs sheet"),

    # --- the report: sections (rendering/sections), footer and steps (commands/report) ------------
    "report.title": ("Slutrapport – projektmedel", "Final report – project grants"),
    "report.title_one": ("Slutrapport: {name}", "Final report: {name}"),
    "report.overview": ("Översikt över projekten", "Overview of the projects"),
    "report.lead": ("{name} {verb} {start}–{end}.", "{name} {verb} {start}–{end}."),
    "report.lead_no_period": ("{name}.", "{name}."),
    "report.decision": ("{funder} beviljade {amount} den {date}{ref}",
                        "{funder} granted {amount} on {date}{ref}"),
    "report.decision_ref": (" (dnr {ref})", " (ref. {ref})"),
    "report.decision_holdback": (
        ", varav {share} betalas ut först när slutrapporten har godkänts",
        ", of which {share} is paid only once the final report is approved",
    ),
    "report.due": ("Slutrapporten ska vara {funder} tillhanda senast {date}.",
                   "The final report is due at {funder} by {date}."),
    "report.funder": ("bidragsgivaren", "the funder"),
    "report.key_figures": ("Nyckeltal", "Key figures"),
    "report.key_figure": ("Uppgift", "Figure"),
    "report.amount": ("Belopp", "Amount"),
    "report.over_time": ("Förbrukning över tid", "Spending over time"),
    "report.no_costs": ("Inga kostnader är registrerade för projektet.",
                        "No costs are recorded for the project."),
    "report.outcomes": ("Utfall: anmälningar till socialtjänsten",
                        "Outcomes: referrals to social services"),
    "report.no_referrals": ("Inga anmälningar är registrerade för projektet.",
                            "No referrals are recorded for the project."),
    "report.by_age": ("Anmälningar per åldersgrupp", "Referrals by age group"),
    "report.by_source": ("Anmälningar per källa", "Referrals by source"),
    "report.age_group": ("Åldersgrupp", "Age group"),
    "report.source": ("Källa", "Source"),
    "report.count": ("Antal", "Count"),
    "report.total": ("Totalt", "Total"),
    "report.no_source": ("(okänd)", "(unknown)"),
    "report.not_suppressed": (
        "Små antal visas utan maskering: rapporten är endast för internt bruk och ska inte lämnas "
        "ut.",
        "Small counts are shown unmasked: this report is for internal use only and must not be "
        "disclosed.",
    ),
    "report.summary": ("Sammanfattning", "Summary"),
    "report.age_span": ("{low}–{high} år", "{low}–{high} years"),
    "report.age_one": ("{low} år", "{low} years"),
    "report.age_open": ("{low} år och äldre", "{low} years and older"),
    "report.age_all": ("alla åldrar", "all ages"),
    "report.no_chart": ("Inget diagram: alla antal är för små för att visas.",
                        "No chart: every count is too small to be shown."),
    "report.title_interim": ("Delrapport – projektmedel", "Interim report – project grants"),
    "report.title_one_interim": ("Delrapport: {name}", "Interim report: {name}"),
    "report.sum_all": (
        "Projekten har beviljats sammanlagt {granted}. Av det har {paid} betalats ut och "
        "{spent} förbrukats.",
        "The projects were granted {granted} in all. Of this, {paid} has been paid out and "
        "{spent} spent."),
    "report.sum_all_repay": ("Sammanlagt ska {amount} betalas tillbaka.",
                             "In all, {amount} is to be paid back."),
    "report.sum_all_due": (
        "Sammanlagt återstår {amount} att betala ut när slutrapporterna har godkänts.",
        "In all, {amount} is still to be paid once the final reports are approved."),
    "report.sum_project": ("{name} ({status}).", "{name} ({status})."),
    "report.sum_spent": ("Projektet har förbrukat {spent} av {paid} som betalats ut.",
                         "The project has spent {spent} of the {paid} paid out."),
    "report.sum_nothing_paid": ("Inget har betalats ut, och projektet har förbrukat {spent}.",
                                "Nothing has been paid out, and the project has spent {spent}."),
    "report.sum_repay": ("{amount} ska betalas tillbaka till {funder}.",
                         "{amount} is to be paid back to {funder}."),
    "report.sum_repay_holdback": (
        "{amount} ska betalas tillbaka till {funder}, och de innehållna {held} betalas inte ut.",
        "{amount} is to be paid back to {funder}, and the {held} held back is not paid out."),
    "report.sum_due": ("{amount} betalas ut när slutrapporten har godkänts.",
                       "{amount} is paid out once the final report has been approved."),
    "report.sum_holdback_unpaid": ("De innehållna {held} betalas inte ut.",
                                   "The {held} held back is not paid out."),
    "report.sum_running": (
        "Projektet pågår till {end}. När {elapsed} av projekttiden har gått är {used} av "
        "beviljat förbrukat ({spent} av {granted}); resten är inte ett underskott.",
        "The project runs until {end}. With {elapsed} of its period gone, {used} of the grant "
        "is spent ({spent} of {granted}); the rest is not an underspend."),
    "report.sum_running_unspent": ("{amount} av det utbetalda är ännu inte förbrukat.",
                                   "{amount} of what was paid out is not yet spent."),
    "report.sum_late": ("Slutrapporten skulle ha lämnats senast {date}.",
                        "The final report was due by {date}."),
    "report.warnings": ("Att åtgärda", "To be dealt with"),
    "report.warning": ("{project}: {message}", "{project}: {message}"),
    "report.category": ("Kategori", "Category"),
    "report.variance": ("Avvikelse", "Variance"),
    "report.variance_pct": ("Avvikelse %", "Variance %"),
    "report.project": ("Projekt", "Project"),
    "report.illustrative": (
        "Observera: en del av uppgifterna bygger på rader som i arbetsboken är markerade som "
        "illustrativa (till exempel en påhittad fördelning över månader). Diagram som bygger på "
        "dem är märkta.",
        "Note: some of the figures rest on rows the workbook marks as illustrative (for instance "
        "a made-up spread over the months). Charts that rest on them are labelled.",
    ),
    "report.about_grant": ("Projektmedel från {funder}", "Project grants from {funder}"),
    "report.about_unit": ("till {unit},", "to {unit},"),
    "report.about_period": ("{start}–{end}.", "{start}–{end}."),
    "report.made_by": ("Framtagen av", "Produced by"),
    "report.contact": (" (kontakt: {contact})", " (contact: {contact})"),
    "report.as_of_label": ("Uppgifterna avser t.o.m.", "Figures as of"),
    "report.as_of": ("Uppgifterna avser t.o.m. {date}.", "The figures are as of {date}."),
    "report.references": ("Diarienummer", "Case numbers"),
    "report.and": ("och", "and"),
    "report.overview_caption": ("Beviljat, rekvirerat och förbrukat t.o.m. {date}",
                                "Granted, requisitioned and spent as of {date}"),
    "report.budget": ("Budget och utfall", "Budget and outcome"),
    "report.budget_caption": (
        "Sökt budget och förbrukat per kategori i länsstyrelsens blankett",
        "Applied budget and spending by the categories of the county board's form"),
    "report.budget_caption_running": (
        "Sökt budget, budget för den del av perioden som har gått, och förbrukat per kategori",
        "Applied budget, budget for the part of the period passed, and spending by category"),
    "report.expected": ("Budget t.o.m. {date}", "Budget to {date}"),
    "report.variance_expected": ("Avvikelse mot budget hittills", "Variance from budget so far"),
    "report.explanation": ("Förklaring", "Explanation"),
    "report.unexplained": ("saknar förklaring", "no explanation"),
    "report.unexplained_hint": (
        "Avvikelser över 10 % som saknar förklaring: skriv den i kolumnen förklaring på bladet "
        "budget, så visas den här.",
        "Variances over 10 % without an explanation: write it in the explanation column of the "
        "budget sheet, and it is shown here."),
    "report.other_sources": ("Övriga", "Others"),
    "report.merged_by_age": (
        "Närliggande åldersgrupper är sammanslagna så att varje antal som visas är minst {n}.",
        "Adjacent age groups are merged so that every count shown is at least {n}."),
    "report.merged_by_source": (
        "Källor med färre än {n} anmälningar är sammanslagna under Övriga.",
        "Sources with fewer than {n} referrals are merged under Others."),
    "report.key": ("Teckenförklaring", "Key to symbols"),
    "report.key_hidden": (
        "Uppgiften visas inte, för att skydda enskilda personers integritet.",
        "Not shown, to protect the privacy of individuals."),
    "report.key_small": ("Färre än {n} (men fler än 0).", "Fewer than {n} (but more than 0)."),
    "report.key_none": (
        "Kan inte beräknas (en procentsats av en budget på 0 kr).",
        "Cannot be computed (a percentage of a budget of 0)."),
    "report.source_line": ("Källa: {name}", "Source: {name}"),
    "report.provenance": (
        "Underlag: arbetsboken {name} (SHA-256 {sha}), läst {date} kl. {time} ({zone}).",
        "Source: the workbook {name} (SHA-256 {sha}), read {date} at {time} ({zone}).",
    ),
    "report.made_with": (" Skapad med grantstats {version}.", " Made with grantstats {version}."),
    "report.time_format": ("%H.%M", "%H:%M"),
    "report.about": ("Om rapporten", "About this report"),
    "report.about_all": ("Rapporten omfattar alla projekt i arbetsboken ({n} st.).",
                         "The report covers every project in the workbook ({n})."),
    "report.about_one": ("Rapporten omfattar ett projekt: {name} (projekt_id {id}).",
                         "The report covers one project: {name} (project_id {id})."),
    "report.about_as_of_latest": (
        "Uppgifterna avser t.o.m. {date}, det senaste datumet i arbetsbokens kostnader och "
        "rekvisitioner.",
        "The figures are as of {date}, the latest date in the workbook's costs and "
        "requisitions."),
    "report.about_as_of_given": (
        "Uppgifterna avser t.o.m. {date}, det datum som angavs när rapporten skapades; rader "
        "med senare datum är inte med.",
        "The figures are as of {date}, the date given when the report was made; rows dated "
        "later are left out."),
    "report.about_no_date": (
        "Arbetsboken har inga daterade kostnader eller rekvisitioner, så rapporten avser inget "
        "visst datum.",
        "The workbook has no dated costs or requisitions, so the report speaks of no "
        "particular date."),
    "report.about_suppress": (
        "Antal personer under {n} visas inte, och närliggande grupper slås ihop så att det som "
        "visas inte avslöjar enskilda.",
        "Counts of people below {n} are not shown, and neighbouring groups are merged so that "
        "nothing shown gives away individuals."),
    "report.about_rules": (
        "Vad som ska betalas ut och betalas tillbaka följer bidragsvillkoren; beslutet från "
        "bidragsgivaren gäller före allt annat.",
        "What is paid out and paid back follows the grant conditions; the funder's decision "
        "governs above all."),
    "report.about_lang": ("Rapporten är skriven på svenska.", "The report is in English."),
    "report.footer_previous": (" Förra rapporten: {name} ({time}).",
                               " Previous report: {name} ({time})."),
    "report.file_prefix": ("slutrapport", "final-report"),
    "report.file_all": ("alla", "all"),
    "report.since_title": ("Ändringar sedan förra rapporten", "Changes since the previous report"),
    "report.since_report": (
        "Jämfört med rapporten {name} från {date}, underlag {workbook} (SHA-256 {sha}).",
        "Compared with the report {name} of {date}, source {workbook} (SHA-256 {sha}).",
    ),
    "report.since_workbook": ("Jämfört med arbetsboken {name} (SHA-256 {sha}).",
                              "Compared with the workbook {name} (SHA-256 {sha})."),
    "report.since_nothing": ("Inget har ändrats sedan dess.", "Nothing has changed since."),
    "report.since_no_figures": ("Inga siffror har ändrats.", "No figures have changed."),
    "report.since_other": (
        "Den förra rapporten gäller {other}, inte {this}; ingenting jämförs.",
        "The previous report is about {other}, not {this}; nothing is compared.",
    ),
    "report.since_all": ("alla projekt", "all projects"),
    "report.since_figures": ("Siffror som har ändrats", "Figures that changed"),
    "report.since_project": ("Projekt", "Project"),
    "report.since_figure": ("Uppgift", "Figure"),
    "report.since_old": ("Förut", "Before"),
    "report.since_new": ("Nu", "Now"),
    "report.since_difference": ("Skillnad", "Difference"),
    "report.since_rows": ("Rader i arbetsboken", "Rows in the workbook"),
    "report.since_sheet": ("Blad", "Sheet"),
    "report.since_added": ("Tillagda", "Added"),
    "report.since_removed": ("Borttagna", "Removed"),
    "report.since_changed": ("Ändrade", "Changed"),
    "report.step_load": ("Läser och kontrollerar arbetsboken", "Reading and checking the workbook"),
    "report.step_run": ("Kör rapportens notebook", "Running the report notebook"),
    "report.step_html": ("Skriver HTML", "Writing HTML"),
    "report.step_pdf": ("Skriver PDF", "Writing PDF"),
    "report.contents": ("Innehåll", "Contents"),
    "report.page_of": ("sida {page} av {pages}", "page {page} of {pages}"),
    "report.subject": ("Uppföljning av projektmedel: {projects}",
                       "Follow-up of project grants: {projects}"),

    # --- charts (their titles by age group and source are report.by_age/by_source) ----------------
    "chart.cumulative": ("Förbrukat, ackumulerat", "Spent, cumulative"),
    "chart.even": ("Jämn förbrukning av beviljat", "Grant spent evenly"),
    "chart.kr": ("kr", "SEK"),
    "chart.no_data": ("Inga data", "No data"),
    "chart.title_spend": ("Beviljat, rekvirerat och förbrukat per projekt",
                          "Granted, requisitioned and spent by project"),
    "chart.title_waterfall": ("Från beviljat till förbrukat", "From granted to spent"),
    "chart.title_cumulative": ("Förbrukat över tid mot jämn förbrukning",
                               "Spending over time against an even pace"),
    "chart.title_category": ("Sökt och förbrukat per kategori",
                             "Applied for and spent by category"),
    "chart.illustrative": (
        "Illustrativa data: fördelningen över tid är påhittad, summorna är verkliga",
        "Illustrative data: the spread over time is made up, the totals are real",
    ),
    "chart.fewer": ("{mark}: färre än {n}", "{mark}: fewer than {n}"),
    "chart.secondary": ("..: dolt så att små antal inte kan räknas fram",
                        "..: hidden so that small counts cannot be worked out"),
    "chart.other_zero": ("övriga kategorier", "other categories"),
    "chart.alt_spend": (
        "Stapeldiagram över beviljat, rekvirerat och förbrukat per projekt.",
        "Bar chart of granted, requisitioned and spent, by project.",
    ),
    "chart.alt_waterfall": ("Vattenfallsdiagram för {name}:", "Waterfall chart for {name}:"),
    "chart.alt_cumulative": (
        "Linjediagram över förbrukat, ackumulerat per månad från {start} till {end}: {spent} vid "
        "slutet, mot jämn förbrukning av beviljat {even}.",
        "Line chart of spending, cumulated by month from {start} to {end}: {spent} at the end, "
        "against the grant spent evenly, {even}.",
    ),
    "chart.alt_category": ("Stapeldiagram över sökt och förbrukat per kostnadskategori.",
                           "Bar chart of the amount applied for and spent by cost category."),
    "chart.alt_age": ("Stapeldiagram över anmälningar per åldersgrupp:",
                      "Bar chart of referrals by age group:"),
    "chart.alt_source": ("Stapeldiagram över anmälningar per källa:",
                         "Bar chart of referrals by source:"),

    # --- the funder's form "5. Budget" (requisitioned, other financing: figure.*) -----------------
    "form.title": ("5. Budget", "5. Budget"),
    "form.costs": ("Kostnader under projektperioden", "Costs during the project period"),
    "form.sum": ("Summa kostnader", "Total costs"),
    "form.financing": ("Finansiering", "Financing"),
    "form.granted": ("Beviljade projektmedel från länsstyrelsen",
                     "Project grant from the county board"),
    "form.kronor": ("Kronor", "SEK"),

    # --- the template (grantstats template): sheet names, instructions, checks, example rows ------
    "template.instructions_sheet": ("instruktioner", "instructions"),
    "template.lists_sheet": ("listor", "lists"),
    "template.lists_header": ("kategori", "category"),
    "template.title": ("grantstats – arbetsbok för uppföljning av projektmedel",
                       "grantstats – workbook for following up project grants"),
    "template.intro": (
        "Fyll i ett blad per slag av uppgift. Rubrikraden ska stå kvar; mörkblå rubriker är "
        "obligatoriska. Exempelraderna kan tas bort. Kontrollera filen med 'grantstats check "
        "FIL.xlsx'.",
        "Fill in one sheet per kind of data. Keep the header row; dark blue headers are required. "
        "The example rows may be deleted. Check the file with 'grantstats check FILE.xlsx'.",
    ),
    "template.sheet": ("{sheet} ({kind}): en rad är {row}", "{sheet} ({kind}): one row is {row}"),
    "template.mandatory_sheet": ("obligatoriskt blad", "mandatory sheet"),
    "template.optional_sheet": ("valfritt blad", "optional sheet"),
    "template.required_column": ("{column} (obligatorisk)", "{column} (required)"),
    "template.amounts": (
        "Belopp: kronor. Text läses på svenskt sätt: 1 289 000, 12,5, 250 tkr. Enheter: {units}. "
        "En enhet i rubriken, t.ex. 'belopp (tkr)', gäller hela kolumnen.",
        "Amounts: kronor. Text is read the Swedish way: 1 289 000, 12,5, 250 tkr. Units: {units}. "
        "A unit in the header, e.g. 'amount (tkr)', scales the column.",
    ),
    "template.dates": (
        "Datum: datumceller, 2009-11-05, 5 november 2009 eller en månad som 2010-03.",
        "Dates: date cells, 2009-11-05, 5 november 2009 or a month such as 2010-03.",
    ),
    "template.categories": ("Kategorier: {categories}", "Categories: {categories}"),
    "template.age_groups": ("Åldersgrupper: {groups}", "Age groups: {groups}"),
    "template.identity_numbers": (
        "Personnummer får inte förekomma i arbetsboken; en fil med personnummer läses inte.",
        "Personal identity numbers must not appear; a file holding one is refused.",
    ),
    "template.error_category": ("Välj en kategori ur listan", "Choose a category from the list"),
    "template.error_age_group": ("Välj en åldersgrupp ur listan", "Choose an age group"),
    "template.error_date": ("Skriv ett datum, t.ex. 2026-01-31", "Enter a date, e.g. 2026-01-31"),
    "template.error_amount": (
        "Skriv ett belopp som inte är negativt: ett tal eller en text som 550 000 kr",
        "Enter an amount that is not negative: a number or a text such as 550 000 kr"),
    "template.error_number": ("Skriv ett tal eller en text som 12 500 kr",
                              "Enter a number or a text such as 12 500 kr"),
    "template.title_amount": ("Belopp", "Amount"),
    "template.title_date": ("Datum", "Date"),
    "template.title_category": ("Kategori", "Category"),
    "template.title_age_group": ("Åldersgrupp", "Age group"),
    "template.title_share": ("Andel", "Share"),
    "template.title_whole": ("Antal", "Number"),
    "template.prompt_amount": (
        "Kronor, inte negativt: 550000, 550 000 kr eller 550 tkr",
        "Kronor, not negative: 550000, 550 000 kr or 550 tkr"),
    "template.prompt_number": (
        "Kronor: 12500, 12 500 kr eller 12,5 tkr; en rättelse får vara negativ",
        "Kronor: 12500, 12 500 kr or 12,5 tkr; a correction may be negative"),
    "template.prompt_date": (
        "Ett datum: 2026-01-31, 31 januari 2026 eller en månad som 2026-01",
        "A date: 2026-01-31, 31 januari 2026 or a month such as 2026-01"),
    "template.prompt_category": (
        "Välj ur listan; blankettens ord som 'lön' eller 'hyra' går också",
        "Choose from the list; words such as 'salary' or 'rent' work too"),
    "template.prompt_age_group": (
        "Välj ur listan, eller lämna tom och fyll i åldern",
        "Choose from the list, or leave it empty and give the age"),
    "template.prompt_share": ("En andel 0–1, t.ex. 0,2, eller '20 %'",
                              "A share 0–1, e.g. 0.2, or '20 %'"),
    "template.prompt_whole": ("Ett heltal, 0 eller mer", "A whole number, 0 or more"),
    "template.prompt_example": (
        "'ja' på mallens exempelrader: ta bort raderna innan du fyller i dina egna",
        "'yes' on the template's example rows: delete them before you fill in your own"),
    "template.title_example": ("Exempelrad", "Example row"),
    "template.error_list": (
        "Värdet finns inte i listan; grantstats godtar också blankettens ord (se instruktioner)",
        "The value is not in the list; grantstats also accepts the form's words (see "
        "instructions)"),
    "template.examples": (
        "Raderna med 'ja' i kolumnen exempel är exempel: ta bort dem innan arbetsboken används; "
        "grantstats check godtar den inte förrän de är borta.",
        "The rows with 'yes' in the example column are examples: delete them before the "
        "workbook is used; grantstats check refuses it until they are gone."),
    "template.yes": ("ja", "yes"),

    # --- the Python API in a notebook (grantstats.load(...), its tables and its errors) -------
    "workbench.sheet": ("Blad", "Sheet"),
    "workbench.cell": ("Cell", "Cell"),
    "workbench.message": ("Vad som är fel", "What is wrong"),
    "workbench.fix": ("Så rättar du det", "How to fix it"),
    "workbench.problems": ("{name} kan inte användas: {count} fel, se tabellen.",
                           "{name} cannot be used: {count} problems, see the table."),
    "workbench.problems_title": ("Arbetsboken {name} har fel", "The workbook {name} has problems"),
    "workbench.month": ("Månad", "Month"),
    "workbench.year": ("År", "Year"),
    "workbench.total": ("Summa", "Total"),
    "workbench.workbook": ("Arbetsbok", "Workbook"),
    "workbench.excel_row": ("Rad i Excel", "Excel row"),
    "workbench.cumulative": ("Ackumulerat", "Cumulative"),
    "workbench.even": ("Jämn takt", "Even pace"),
    "workbench.made_up": ("Illustrativ", "Illustrative"),
    "workbench.no_source": ("(ingen källa)", "(no source)"),
    "workbench.kind": ("Slag", "Kind"),
    "workbench.share": ("Andel", "Share"),
    "workbench.no_project": ("projektet {project} finns inte; projekten är {known}",
                             "there is no project {project}; the projects are {known}"),
    "workbench.pick_project": ("Projekt", "Project"),
    "workbench.exported": ("Sparade {path}", "Saved {path}"),
    "template.error_share": ("Skriv en andel mellan 0 och 1", "Enter a share between 0 and 1"),
    "template.error_whole": ("Skriv ett heltal", "Enter a whole number"),
    "template.example_project": ("Exempelprojekt", "Example project"),
    "template.example_unit": ("Exempelenheten", "The example unit"),
    "template.example_funder": ("Länsstyrelsen", "The county board"),
    "template.example_note": ("Exempelrad: ta bort eller skriv över",
                              "Example row: delete or overwrite"),
    "template.example_budget": ("Projektledare 50 %", "Project manager 50 %"),
    "template.example_cost": ("Lön januari", "Salary January"),
    "template.example_referral_source": ("Uppsökande arbete", "Outreach work"),
    "template.example_financing": ("Egen finansiering", "Own financing"),

    # --- grantstats statement: the committee statement (tjänsteutlåtande) as .docx --------------
    "statement.header": ("TJÄNSTEUTLÅTANDE", "COMMITTEE STATEMENT"),
    "statement.page": ("SID {page} ({pages})", "PAGE {page} ({pages})"),
    "statement.contact": ("Handläggare: {contact}", "Officer: {contact}"),
    "statement.to": ("Till", "To"),
    "statement.committee": ("nämnden", "the committee"),
    "statement.title_final": ("Slutrapport – {name}", "Final report – {name}"),
    "statement.title_application": ("Ansökan om projektmedel – {name}",
                                    "Application for project funds – {name}"),
    "statement.proposal": ("Förvaltningens förslag till beslut",
                           "The administration's proposed decision"),
    "statement.approve_final": ("{committee} godkänner slutrapporten.",
                                "{committee} approves the final report."),
    "statement.approve_repay": (
        "{committee} godkänner att {amount} som har betalats ut men inte förbrukats betalas "
        "tillbaka till {funder}.",
        "{committee} approves that {amount} paid out but not spent is paid back to {funder}."),
    "statement.approve_application": (
        "{committee} godkänner ansökan om projektmedel från {funder} om {amount} ({purposes}).",
        "{committee} approves the application for project funds from {funder} of {amount} "
        "({purposes})."),
    "statement.purpose": ("{purpose}: {amount}", "{purpose}: {amount}"),
    "statement.immediate": ("Paragrafen förklaras omedelbart justerad.",
                            "The minutes of this item are approved at once."),
    "statement.signature_head": ("Förvaltningschef", "Head of administration"),
    "statement.signature_unit": ("Avdelningschef", "Head of department"),
    "statement.summary": ("Sammanfattning", "Summary"),
    "statement.summary_final": (
        "{name} ({unit}) har beviljats sammanlagt {granted} i projektmedel från {funder}.",
        "{name} ({unit}) was granted {granted} in project funds from {funder} in all."),
    "statement.summary_period": ("Projektperioden: {start} till {end}.",
                                 "Project period: {start} to {end}."),
    "statement.summary_application": (
        "{unit} ansöker om {amount} i projektmedel från {funder} för {name}.",
        "{unit} applies for {amount} in project funds from {funder} for {name}."),
    "statement.summary_outcomes": (
        "Projektet har lett till {total} anmälningar till socialtjänsten.",
        "The project has led to {total} referrals to social services."),
    "statement.background": ("Bakgrund", "Background"),
    "statement.decision": ("{funder} beviljade {date} {amount}{ref}.",
                           "{funder} granted {amount} on {date}{ref}."),
    "statement.decision_total": (
        "{funder} beviljade {dates} sammanlagt {amount}{ref}. Arbetsboken har bara summan av "
        "dessa beslut, på en rad.",
        "{funder} granted {amount} in all on {dates}{ref}. The workbook holds only the total of "
        "these decisions, on one row."),
    "statement.dates_and": ("{first} och {last}", "{first} and {last}"),
    "statement.decision_holdback": (
        "Av beslutet betalas {share}, {held}, ut först när slutrapporten har godkänts.",
        "Of the decision, {share}, {held}, is paid only once the final report is approved."),
    "statement.due": (
        "Slutrapporten ska vara {funder} tillhanda senast {date} och godkännas innan den "
        "innehållna delen av bidraget kan betalas ut.",
        "The final report is due at {funder} by {date} and must be approved before the "
        "held-back part of the grant can be paid."),
    "statement.due_only": ("Slutrapporten ska vara {funder} tillhanda senast {date}.",
                           "The final report is due at {funder} by {date}."),
    "statement.no_decisions_yet": ("Projektet har inga tidigare beslut om bidrag.",
                                   "The project has no earlier grant decisions."),
    "statement.matter": ("Ärendet", "The matter"),
    "statement.costs_lead": (
        "Projektets kostnader per kategori i blankettens avsnitt 5. Budget, mot den sökta "
        "budgeten:",
        "The project's costs by the categories of the form's section 5. Budget, against the "
        "applied budget:"),
    "statement.no_costs": ("Inga kostnader är registrerade för projektet.",
                           "No costs are recorded for the project."),
    "statement.application_lead": ("Ansökan avser följande belopp:",
                                   "The application is for the following amounts:"),
    "statement.purpose_column": ("Ändamål", "Purpose"),
    "statement.total": ("Summa", "Total"),
    "statement.explanation": ("Förklaring: {text}", "Explanation: {text}"),
    "statement.category_note": ("{category}: {text}", "{category}: {text}"),
    "statement.outcomes": (
        "Under projekttiden har {total} anmälningar gjorts till socialtjänsten ({parts}).",
        "During the project, {total} referrals were made to social services ({parts})."),
    "statement.outcome_part": ("{label}: {shown}", "{label}: {shown}"),
    "statement.suppressed": (
        "Antal under {n} visas som <{n}, och fler antal döljs (..) så att de inte kan räknas "
        "fram, för att skydda enskilda personers integritet.",
        "Counts below {n} are shown as <{n}, and further counts are hidden (..) so that they "
        "cannot be worked out, to protect the privacy of individuals."),
    "statement.not_suppressed": (
        "Små antal visas utan maskering: utkastet är endast för internt bruk.",
        "Small counts are shown unmasked: this draft is for internal use only."),
    "statement.category_over": ("{category}: {amount} ({pct}) mer än sökt budget.",
                                "{category}: {amount} ({pct}) more than the applied budget."),
    "statement.category_under": ("{category}: {amount} ({pct}) mindre än sökt budget.",
                                 "{category}: {amount} ({pct}) less than the applied budget."),
    "statement.category_new": ("{category}: {amount} förbrukat utan sökt budget.",
                               "{category}: {amount} spent without an applied budget."),
    # a running project is held to the budget for the part of its period passed, as the
    # report's column "Budget t.o.m. {date}" holds it
    "statement.category_over_so_far": (
        "{category}: {amount} ({pct}) mer än budgeten t.o.m. {date}.",
        "{category}: {amount} ({pct}) more than the budget to {date}."),
    "statement.category_under_so_far": (
        "{category}: {amount} ({pct}) mindre än budgeten t.o.m. {date}.",
        "{category}: {amount} ({pct}) less than the budget to {date}."),
    "statement.category_early": ("{category}: {amount} förbrukat före projektperiodens början.",
                                 "{category}: {amount} spent before the project period began."),
    "statement.economy": ("Ekonomiska konsekvenser", "Financial consequences"),
    "statement.economy_paid": (
        "{funder} har betalat ut {paid} av beviljade {granted}, och projektet har förbrukat "
        "{spent}.",
        "{funder} has paid out {paid} of the {granted} granted, and the project has spent "
        "{spent}."),
    "statement.economy_repay": (
        "{amount} som har betalats ut men inte förbrukats ska betalas tillbaka till {funder}.",
        "{amount} paid out but not spent is to be paid back to {funder}."),
    "statement.economy_held_paid": (
        "De innehållna {held} betalas ut när slutrapporten har godkänts.",
        "The {held} held back is paid once the final report is approved."),
    "statement.economy_held_part": (
        "Av de innehållna {held} betalas {due} ut när slutrapporten har godkänts; resten "
        "betalas inte ut.",
        "Of the {held} held back, {due} is paid once the final report is approved; the rest "
        "is not paid."),
    "statement.economy_held_unpaid": (
        "De innehållna {held} betalas inte ut, eftersom projektet har förbrukat mindre än det "
        "som redan har betalats ut.",
        "The {held} held back is not paid, since the project has spent less than was already "
        "paid out."),
    "statement.economy_due": ("{due} betalas ut när slutrapporten har godkänts.",
                              "{due} is paid once the final report is approved."),
    "statement.economy_other": ("Projektet har också finansierats med {amount} från andra "
                                "källor.",
                                "The project was also financed with {amount} from other "
                                "sources."),
    "statement.economy_running": ("Projektet pågår till {end}.", "The project runs until {end}."),
    "statement.economy_application": (
        "Ansökan gäller sammanlagt {amount}.", "The application is for {amount} in all."),
    "statement.attachments": ("Bilagor", "Attachments"),
    "statement.attach_report": ("Slutrapport till nämnden ({files})",
                                "Final report to the committee ({files})"),
    "statement.attach_report_missing": ("Slutrapport till nämnden",
                                        "Final report to the committee"),
    "statement.attach_form": ("Blanketten för slutrapport, avsnitt 5. Budget ({file})",
                              "The final-report form, section 5. Budget ({file})"),
    "statement.attach_application": ("Ansökan om projektmedel",
                                     "Application for project funds"),
    "statement.word_language": ("sv-SE", "en-GB"),
    "statement.tkr": ("{n}\u00a0tkr", "SEK\u00a0{n}\u00a0thousand"),
    "statement.file_prefix": ("tjansteutlatande", "committee-statement"),
    "statement.file_application": ("tjansteutlatande-ansokan", "committee-statement-application"),
    "statement.file_form": ("blankett-budget", "form-budget"),
    "statement.form_title": ("5. Budget – {name}", "5. Budget – {name}"),
    # problems and warnings of grantstats statement
    "statement.no_decisions": ("projektet '{project}' har inga beslut om bidrag",
                               "the project '{project}' has no grant decisions"),
    "statement.no_decisions.hint": (
        "för in beslutet på bladet beslut (en slutrapport redovisar ett beviljat bidrag), "
        "eller skriv ett utlåtande om ansökan med --kind application",
        "enter the decision on the grants sheet (a final report accounts for a grant), or "
        "write a statement on the application with --kind application"),
    "statement.no_budget": ("projektet '{project}' har ingen sökt budget",
                            "the project '{project}' has no applied budget"),
    "statement.no_budget.hint": ("för in ansökans belopp på bladet budget",
                                 "enter the application's amounts on the budget sheet"),
    "statement.no_committee": (
        "projektet '{project}' har ingen nämnd: utlåtandet ställs till \"nämnden\"",
        "the project '{project}' has no committee: the statement is addressed to \"the "
        "committee\""),
    "statement.no_committee.hint": (
        "skriv nämndens namn i kolumnen nämnd på bladet projekt",
        "write the committee's name in the column committee of the projects sheet"),
    "statement.no_report": (
        "ingen rapport av {name} ({project}) finns i {folder}; bilagan nämns utan filnamn",
        "no report of {name} ({project}) is in {folder}; the attachment is named without a "
        "file name"),
    "statement.no_report.hint": ("skriv rapporten med grantstats report --out {folder} först",
                                 "write the report first with grantstats report --out {folder}"),
    "statement.style_missing": (
        "mallen har inget format {names}; grantstats inbyggda {name} används",
        "the template has no style {names}; grantstats' built-in {name} is used"),
    "statement.style_missing.hint": (
        "lägg till formatet i mallen (Word: Format > Formatmallar) om utlåtandet ska se ut som "
        "organisationens",
        "add the style to the template (Word: Styles pane) if the statement is to look like "
        "the organisation's"),
    "statement.template_suffix": ("{path} är ingen Word-mall (.docx)",
                                  "{path} is not a Word template (.docx)"),
    "statement.template_suffix.hint": ("spara mallen som Word-dokument (.docx)",
                                       "save the template as a Word document (.docx)"),
    "statement.template_damaged": ("mallen {path} går inte att läsa ({detail})",
                                   "the template {path} cannot be read ({detail})"),
    "statement.template_damaged.hint": ("öppna den i Word och spara den igen som .docx",
                                        "open it in Word and save it again as .docx"),
    "statement.warning": ("varning: {message}", "warning: {message}"),
    "help.statement": ("tjänsteutlåtandet till nämnden som ett Word-utkast (.docx)",
                       "the committee statement as a Word draft (.docx)"),
    "help.statement_description": (
        "Skriv tjänsteutlåtandet om ett projekts slutrapport (eller ansökan) som ett "
        "Word-utkast, med siffrorna ur arbetsboken, och blankettens avsnitt 5. Budget som en "
        "Word-tabell. En befintlig fil skrivs aldrig över. Slutstatus: 0 klart (också med "
        "varningar), 1 arbetsboken har fel eller saknar beslut, 2 en fil eller mapp går inte "
        "att använda.",
        "Write the committee statement on a project's final report (or application) as a "
        "Word draft, with the workbook's figures, and the form's section 5. Budget as a Word "
        "table. An existing file is never overwritten. Exit status: 0 done (warnings too), "
        "1 the workbook has problems or lacks decisions, 2 a file or folder cannot be used."),
    "help.kind": ("final (standard): om slutrapporten; application: om ansökan",
                  "final (default): on the final report; application: on the application"),
    "help.template_docx": (
        "organisationens Word-mall (.docx): dess format, sidhuvud, sidfot och logga används",
        "the organisation's Word template (.docx): its styles, header, footer and logo are "
        "used"),
    "help.out_statement": ("mapp för utkasten (standard: reports, där rapporterna ligger)",
                           "folder for the drafts (default: reports, where the reports are)"),
    "help.immediate": ("föreslå också att paragrafen justeras omedelbart",
                       "also propose that the minutes of the item are approved at once"),
}


def text(msg_id: str, lang: str = "sv", /, **params: Any) -> str:
    """The text ``msg_id`` in ``lang`` (Swedish for any other language), ``params`` filled in."""
    sv, en = TEXTS[msg_id]
    return (en if lang == "en" else sv).format(**params)


def figure(key: str, lang: str = "sv") -> str:
    """The one label of the figure ``key`` (a column of ``project_summary``, or
    ``referrals``) wherever it is named: ``figure("spent", "sv")`` is ``Förbrukat``."""
    return text(f"figure.{key}", lang)


def render(code: str, lang: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The (message, hint) of the problem ``code`` in ``lang``; the hint is "" if it has
    none. A :class:`Detail` among the parameters is said in ``lang`` too."""
    hint = f"{code}.hint"
    filled = {k: v.render(lang) if isinstance(v, Detail) else v for k, v in params.items()}
    return (text(code, lang, **filled),
            text(hint, lang, **filled) if hint in TEXTS else "")


class Detail(str):
    """A technical detail of a file problem: the technical text itself (English, from a
    library or a check; the string's value, kept as it is) and ``code``, what it is
    about, said in the user's language.

    Swedish shows ``en kontrollsumma stämmer inte: checksum mismatch``; English, where
    the technical text already reads well, shows it alone.
    """

    code: str

    def __new__(cls, code: str, technical: str = "") -> Detail:
        detail = super().__new__(cls, technical)
        detail.code = code
        return detail

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return self.code, str(self)

    @property
    def technical(self) -> str:
        return str(self)

    def render(self, lang: str) -> str:
        if lang == "en" and self and self.code not in _SAID_ALONE:
            return self.technical
        about = text(self.code, lang)
        return f"{about}: {self.technical}" if self else about


#: Details whose own wording says it all: their technical text, if any, is added.
_SAID_ALONE = ("detail.memory", "detail.time", "detail.crashed")

#: What an English technical detail is about, first match wins (case-insensitive).
_DETAIL_PATTERNS = [
    ("detail.empty", r"empty (file|zip)|file is empty"),
    ("detail.permission", r"permission"),
    ("detail.not_regular", r"not a regular file"),
    ("detail.other_format", r"\b(word|powerpoint|pdf|image|text|html|opendocument|"
                            r"binary workbook|office 97-2003 file without|"
                            r"open xml file without|archive without)\b"),
    ("detail.checksum", r"checksum|crc"),
    ("detail.compressed", r"compress|deflate|zlib|inflate"),
    ("detail.cut_off", r"cut off|truncat|missing|unexpected end|eof|end of"),
    ("detail.zip", r"zip|local header|twice|disagree|does not match|central directory"),
    ("detail.size", r"unpacks|declares|the file is \d|parts in|directory of|spans"),
    ("detail.xml", r"xml|tag|well-formed|attribute|element"),
    ("detail.read", r"read error|i/o"),
    ("detail.format", r"detect|format|unsupported|not a workbook"),
]


def explain(technical: str) -> Detail:
    """The :class:`Detail` of a technical text (a Detail stays as it is)."""
    if isinstance(technical, Detail):
        return technical
    for code, pattern in _DETAIL_PATTERNS:
        if re.search(pattern, technical, re.IGNORECASE):
            return Detail(code, technical)
    return Detail("detail.other", technical)


def session_lang() -> str:
    """The session's language (see :data:`_SESSION`); Swedish unless set otherwise."""
    return _SESSION["lang"] if _SESSION["lang"] in LANGS else "sv"


def set_session_lang(lang: str) -> None:
    """Speak ``lang`` ("sv" or "en") in this session: errors, and tables on display."""
    _SESSION["lang"] = check_lang(lang)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


def localized(item: Any, lang: str, field: str = "") -> str:
    """A contract item's own text in ``lang``: ``item.sv``/``item.en``, or with ``field``
    ``item.<field>_sv``/``item.<field>_en`` (sheet, column and category names are data of
    :mod:`grantstats.contract`, which holds both languages itself)."""
    suffix = "en" if lang == "en" else "sv"
    return str(getattr(item, f"{field}_{suffix}" if field else suffix))
