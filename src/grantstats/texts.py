"""What users read, in Swedish (default) and English.

Every problem and note has a code; this catalogue maps it to a message and a hint in
each language. Parameters are filled in with :meth:`str.format`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGS = ("sv", "en")

# code: {lang: (message, hint)}
CATALOG: dict[str, dict[str, tuple[str, str]]] = {
    # --- the file itself ---------------------------------------------------------
    "file.not_found": {
        "sv": ("{path} finns inte", "kontrollera sökvägen"),
        "en": ("{path} does not exist", "check the path"),
    },
    "file.not_workbook": {
        "sv": ("{path} är ingen arbetsbok som går att läsa ({detail})",
               "spara filen som .xlsx i Excel eller LibreOffice"),
        "en": ("{path} is not a readable workbook ({detail})",
               "save the file as .xlsx in Excel or LibreOffice"),
    },
    "file.encrypted": {
        "sv": ("filen {path} är lösenordsskyddad", "spara en kopia utan lösenord"),
        "en": ("the file {path} is password-protected", "save an unprotected copy"),
    },
    "file.legacy_xls": {
        "sv": ("{path} är en gammal .xls-fil som inte gick att läsa ({detail})",
               "spara den som .xlsx"),
        "en": ("{path} is a legacy .xls file that could not be read ({detail})",
               "save it as .xlsx"),
    },
    "file.lock": {
        "sv": ("{path} är Excels låsfil, inte arbetsboken", "öppna den riktiga arbetsboken"),
        "en": ("{path} is Excel's lock file, not the workbook", "open the real workbook"),
    },
    "file.damaged": {
        "sv": ("filen {path} är ofullständig eller skadad ({detail})",
               "ladda ner eller kopiera filen igen"),
        "en": ("the file {path} is incomplete or damaged ({detail})",
               "download or copy the file again"),
    },
    "file.unsafe_xml": {
        "sv": ("filen {path} innehåller XML med DTD eller entiteter ({member}) och läses inte",
               "öppna och spara filen i Excel eller LibreOffice"),
        "en": ("the file {path} holds XML with a DTD or entities ({member}) and is not read",
               "open and save the file in Excel or LibreOffice"),
    },
    "file.too_large": {
        "sv": ("filen {path} är orimligt stor för en arbetsbok ({detail})",
               "kontrollera att det är rätt fil"),
        "en": ("the file {path} is unreasonably large for a workbook ({detail})",
               "check that this is the right file"),
    },
    "file.sheet_too_large": {
        "sv": ("bladet '{sheet}' i {path} sträcker sig över {rows} rader × {cols} kolumner, "
               "fler celler än som går att läsa säkert",
               "töm eller radera cellerna utanför tabellen (Ctrl+End visar den sista) och "
               "spara filen igen"),
        "en": ("the sheet '{sheet}' in {path} spans {rows} rows × {cols} columns, more cells "
               "than can be read safely",
               "clear or delete the cells outside the table (Ctrl+End shows the last one) "
               "and save the file again"),
    },
    "file.changed": {
        "sv": ("filen {path} ändrades medan den lästes",
               "vänta tills den är sparad och stängd, och kör igen"),
        "en": ("the file {path} changed while it was being read",
               "wait until it is saved and closed, and run again"),
    },
    "file.sheet_encoding": {
        "sv": ("bladet '{sheet}' i {path} är sparat som {encoding}, som inte går att läsa",
               "öppna filen i Excel eller LibreOffice och spara den som .xlsx"),
        "en": ("the sheet '{sheet}' in {path} is stored as {encoding}, which cannot be read",
               "open the file in Excel or LibreOffice and save it as .xlsx"),
    },
    "file.part_encoding": {
        "sv": ("delen {part} i {path} är sparad som {encoding}, som inte går att läsa",
               "öppna filen i Excel eller LibreOffice och spara den som .xlsx"),
        "en": ("the part {part} of {path} is stored as {encoding}, which cannot be read",
               "open the file in Excel or LibreOffice and save it as .xlsx"),
    },
    "file.is_directory": {
        "sv": ("{path} är en mapp", "ange en arbetsbok (.xlsx)"),
        "en": ("{path} is a folder", "give a workbook (.xlsx)"),
    },
    # --- sheets and headers ------------------------------------------------------
    "sheet.missing": {
        "sv": ("bladet '{sheet}' saknas", "lägg till ett blad som heter '{sheet}' (eller '{en}')"),
        "en": ("the sheet '{en}' is missing", "add a sheet named '{sheet}' or '{en}'"),
    },
    "sheet.no_header": {
        "sv": ("hittar ingen rubrikrad med {missing}",
               "skriv rubrikerna {missing} i en rad överst; rubriker som finns: {found}"),
        "en": ("no header row with {missing} found",
               "write the headers {missing} in one row at the top; headers found: {found}"),
    },
    "sheet.one_of_missing": {
        "sv": ("kolumnen {names} saknas", "lägg till en av kolumnerna {names}"),
        "en": ("the column {names} is missing", "add one of the columns {names}"),
    },
    "sheet.empty": {
        "sv": ("bladet har inga datarader", "fyll i minst en rad under rubrikerna"),
        "en": ("the sheet has no data rows", "fill in at least one row below the headers"),
    },
    "sheet.duplicate_header": {
        "sv": ("rubriken '{header}' finns två gånger (även i {other})",
               "ta bort eller byt namn på den ena kolumnen"),
        "en": ("the header '{header}' appears twice (also in {other})",
               "remove or rename one of the columns"),
    },
    "sheet.duplicate_sheet": {
        "sv": ("bladen '{sheet}' och '{other}' betyder samma sak",
               "slå ihop dem till ett blad"),
        "en": ("the sheets '{sheet}' and '{other}' mean the same thing",
               "merge them into one sheet"),
    },
    "sheet.too_large": {
        "sv": ("bladet har {rows} rader och {cols} kolumner, mer än Excel tillåter",
               "kontrollera att det är rätt fil"),
        "en": ("the sheet has {rows} rows and {cols} columns, more than Excel allows",
               "check that this is the right file"),
    },
    # --- cells ---------------------------------------------------------------------
    "cell.required_empty": {
        "sv": ("'{column}' är tom", "fyll i ett värde eller ta bort raden"),
        "en": ("'{column}' is empty", "fill in a value or delete the row"),
    },
    "cell.amount_invalid": {
        "sv": ("'{value}' är inget belopp",
               "skriv kronor som 1 289 000, 12,5 eller 250 tkr (decimalkomma, mellanslag "
               "mellan tusental)"),
        "en": ("'{value}' is not an amount",
               "write kronor as 1 289 000, 12,5 or 250 tkr (decimal comma, spaces between "
               "thousands)"),
    },
    "cell.amount_negative": {
        "sv": ("beloppet {value} är negativt", "belopp i '{sheet_name}' kan inte vara negativa"),
        "en": ("the amount {value} is negative", "amounts in '{sheet_name}' cannot be negative"),
    },
    "cell.bool_number": {
        "sv": ("'{value}' är ett sant/falskt-värde där ett tal ska stå", "skriv ett tal"),
        "en": ("'{value}' is a true/false value where a number belongs", "write a number"),
    },
    "cell.error_value": {
        "sv": ("cellen innehåller felvärdet {value}",
               "rätta formeln i Excel eller skriv in värdet"),
        "en": ("the cell holds the error value {value}",
               "fix the formula in Excel or type in the value"),
    },
    "cell.date_invalid": {
        "sv": ("'{value}' är inget datum",
               "skriv datum som 2009-11-05, 5 november 2009 eller en månad som 2010-03"),
        "en": ("'{value}' is not a date",
               "write dates as 2009-11-05, 5 november 2009 or a month as 2010-03"),
    },
    "cell.category_unknown": {
        "sv": ("kategorin '{value}' finns inte", "använd en av: {accepted}"),
        "en": ("the category '{value}' does not exist", "use one of: {accepted}"),
    },
    "cell.share_invalid": {
        "sv": ("'{value}' är ingen andel mellan 0 och 1", "skriv t.ex. 0,2 eller 20 %"),
        "en": ("'{value}' is not a share between 0 and 1", "write e.g. 0.2 or 20 %"),
    },
    "cell.age_invalid": {
        "sv": ("'{value}' är ingen ålder", "skriv hela år mellan 0 och 120"),
        "en": ("'{value}' is not an age", "write whole years between 0 and 120"),
    },
    "cell.age_group_invalid": {
        "sv": ("'{value}' är ingen åldersgrupp", "använd en av: {accepted}"),
        "en": ("'{value}' is not an age group", "use one of: {accepted}"),
    },
    "cell.age_missing": {
        "sv": ("varken ålder eller åldersgrupp är ifylld", "fyll i den ena"),
        "en": ("neither age nor age group is filled in", "fill in one of them"),
    },
    "cell.age_conflict": {
        "sv": ("åldern {age} hör inte till åldersgruppen '{group}'", "rätta den ena"),
        "en": ("the age {age} does not belong to the age group '{group}'", "correct one of them"),
    },
    "cell.count_invalid": {
        "sv": ("'{value}' är inget antal", "skriv ett helt tal, 0 eller mer"),
        "en": ("'{value}' is not a count", "write a whole number, 0 or more"),
    },
    "cell.project_unknown": {
        "sv": ("projektet '{value}' finns inte i bladet projekt",
               "lägg till projektet i bladet projekt eller rätta id:t; kända: {known}"),
        "en": ("the project '{value}' is not in the projects sheet",
               "add the project to the projects sheet or correct the id; known: {known}"),
    },
    "cell.project_duplicate": {
        "sv": ("projekt_id '{value}' finns redan på rad {other}", "varje projekt får en rad"),
        "en": ("project_id '{value}' already appears on row {other}",
               "each project gets one row"),
    },
    "cell.personal_number": {
        "sv": ("cellen innehåller ett personnummer eller samordningsnummer ({masked})",
               "ta bort det; grantstats läser bara uppgifter utan personnummer (är det ett "
               "telefonnummer, skriv det med skiljetecken: 070-123 45 67)"),
        "en": ("the cell holds a personal identity or coordination number ({masked})",
               "remove it; grantstats reads only data without identity numbers (if it is a "
               "phone number, write it with separators: 070-123 45 67)"),
    },
    "cell.formula_no_value": {
        "sv": ("formeln har inget sparat resultat",
               "öppna och spara filen i Excel eller LibreOffice"),
        "en": ("the formula has no stored result",
               "open and save the file in Excel or LibreOffice"),
    },
    "cell.formula_recalc": {
        "sv": ("arbetsboken ska räknas om när den öppnas, så formelns sparade resultat kan "
               "vara inaktuellt", "öppna och spara filen i Excel eller LibreOffice"),
        "en": ("the workbook asks to be recalculated when opened, so the formula's stored "
               "result may be stale", "open and save the file in Excel or LibreOffice"),
    },
    "cell.merged_number": {
        "sv": ("sammanslagna celler {range} i en kolumn med tal",
               "dela upp cellerna och skriv talet på en rad (annars räknas det flera gånger)"),
        "en": ("merged cells {range} in a column of numbers",
               "unmerge the cells and write the number on one row (else it counts twice)"),
    },
    "cell.merged_overlap": {
        "sv": ("sammanslagna celler {range} överlappar andra sammanslagna celler",
               "filen är skadad: dela upp cellerna, eller öppna och spara filen i Excel "
               "eller LibreOffice"),
        "en": ("merged cells {range} overlap other merged cells",
               "the file is damaged: unmerge the cells, or open and save the file in Excel "
               "or LibreOffice"),
    },
    "cell.text_too_long": {
        "sv": ("texten är {length} tecken lång, mer än Excels gräns på 32 767",
               "korta texten"),
        "en": ("the text is {length} characters long, more than Excel's limit of 32,767",
               "shorten the text"),
    },
    "cell.date_out_of_range": {
        "sv": ("datumet {value} ligger utanför 1950–2199", "rätta årtalet"),
        "en": ("the date {value} is outside 1950–2199", "correct the year"),
    },
    "cell.merged_header": {
        "sv": ("sammanslagna celler {range} går från rubrikraden ned i data",
               "dela upp cellerna så att rubriken står ensam i sin cell"),
        "en": ("merged cells {range} reach from the header row into the data",
               "unmerge the cells so that the header stands alone in its cell"),
    },
    "cell.date_order": {
        "sv": ("slutdatum {end} ligger före startdatum {start}", "rätta datumen"),
        "en": ("the end date {end} is before the start date {start}", "correct the dates"),
    },
    "cell.flag_invalid": {
        "sv": ("'{value}' är varken ja eller nej", "skriv ja eller nej"),
        "en": ("'{value}' is neither yes nor no", "write yes or no"),
    },
    "sheet.header_unit": {
        "sv": ("enheten '{unit}' i rubriken '{header}' är okänd", "använd kr, tkr eller mkr"),
        "en": ("the unit '{unit}' in the header '{header}' is unknown", "use kr, tkr or mkr"),
    },
    "sheet.more_problems": {
        "sv": ("och {count} fel till av samma slag ({code})", "rätta de visade först"),
        "en": ("and {count} more problems of the same kind ({code})", "fix the ones shown first"),
    },
    "cell.bool_text": {
        "sv": ("'{value}' är ett sant/falskt-värde där en text ska stå", "skriv texten"),
        "en": ("'{value}' is a true/false value where a text belongs", "write the text"),
    },
    "total.mismatch": {
        "sv": ("summaraden säger {stated} men raderna ovanför summerar till {computed}",
               "rätta summan eller raderna"),
        "en": ("the totals row says {stated} but the rows above add up to {computed}",
               "correct the total or the rows"),
    },
    # --- the command line -----------------------------------------------------------
    "cli.check_ok": {
        "sv": ("OK: {name} – {counts}", ""),
        "en": ("OK: {name} – {counts}", ""),
    },
    "cli.folder_total": {
        "sv": ("{ok} av {n} arbetsböcker utan fel", ""),
        "en": ("{ok} of {n} workbooks without problems", ""),
    },
    "cli.folder_empty": {
        "sv": ("det finns inga arbetsböcker i {path}", "lägg .xlsx-filerna i mappen"),
        "en": ("there are no workbooks in {path}", "put the .xlsx files in the folder"),
    },
    "cli.folder_rollup": {
        "sv": ("Totalt: {n} arbetsböcker, {p} projekt", ""),
        "en": ("Total: {n} workbooks, {p} projects", ""),
    },
    "cli.os_error": {
        "sv": ("{path}: {error}", "kontrollera sökvägen och att du får läsa och skriva där"),
        "en": ("{path}: {error}", "check the path and that you may read and write there"),
    },
    "cli.cache_usage": {
        "sv": ("cache: {path} – arbetsböcker: {n}, {size}", ""),
        "en": ("cache: {path} – workbooks: {n}, {size}", ""),
    },
    "cli.cache_disabled": {
        "sv": ("cachen är avstängd (GRANTSTATS_CACHE={value})", ""),
        "en": ("the cache is turned off (GRANTSTATS_CACHE={value})", ""),
    },
    "cli.cache_unsafe": {
        "sv": ("cachen används inte: mappen tillhör någon annan eller får ändras av andra",
               "ange en egen mapp i GRANTSTATS_CACHE_DIR"),
        "en": ("the cache is not used: the folder belongs to someone else or others may "
               "change it", "name a folder of your own in GRANTSTATS_CACHE_DIR"),
    },
    "cli.cache_not_folder": {
        "sv": ("cachen används inte: sökvägen är ingen mapp",
               "ange en mapp i GRANTSTATS_CACHE_DIR"),
        "en": ("the cache is not used: the path is not a folder",
               "name a folder in GRANTSTATS_CACHE_DIR"),
    },
    "cli.cache_cleared": {
        "sv": ("tömde cachen i {path} (borttagna arbetsböcker: {n})", ""),
        "en": ("cleared the cache in {path} (workbooks removed: {n})", ""),
    },
    "cli.cache_unreadable": {
        "sv": ("cachen används inte: {path} går inte att använda ({error})",
               "ange en egen mapp i GRANTSTATS_CACHE_DIR"),
        "en": ("the cache is not used: {path} cannot be used ({error})",
               "name a folder of your own in GRANTSTATS_CACHE_DIR"),
    },
    "cli.template_suffix": {
        "sv": ("{path} är inget .xlsx-namn", "ge mallen ett namn som slutar på .xlsx"),
        "en": ("{path} is not an .xlsx name", "give the template a name ending in .xlsx"),
    },
    "cli.exists": {
        "sv": ("{path} finns redan och skrivs inte över", "välj ett annat namn"),
        "en": ("{path} already exists and is not overwritten", "choose another name"),
    },
    "cli.interrupted": {
        "sv": ("avbrutet; inget har skrivits", ""),
        "en": ("interrupted; nothing was written", ""),
    },
    "cli.interrupted_written": {
        "sv": ("avbrutet; det här hann skrivas: {files}", ""),
        "en": ("interrupted; these were written before it: {files}", ""),
    },
    "cli.out_unusable": {
        "sv": ("rapporter kan inte skrivas i mappen {path} ({error})",
               "ange med --out en mapp som du får skriva i"),
        "en": ("reports cannot be written in the folder {path} ({error})",
               "give a folder you may write in with --out"),
    },
    "cli.disk_full": {
        "sv": ("{path} kunde inte skrivas: disken är full",
               "frigör utrymme på disken eller välj en annan mapp (för rapporter: --out); "
               "ingen halvskriven fil finns kvar"),
        "en": ("{path} could not be written: the disk is full",
               "free some space on the disk or choose another folder (for reports: --out); "
               "no half-written file is left"),
    },
    "cli.write_failed": {
        "sv": ("{path} kunde inte skrivas ({error})",
               "kontrollera att du får skriva där, eller välj en annan mapp (för rapporter: "
               "--out); ingen halvskriven fil finns kvar"),
        "en": ("{path} could not be written ({error})",
               "check that you may write there, or choose another folder (for reports: "
               "--out); no half-written file is left"),
    },
    "cli.progress": {
        "sv": ("{step} …", ""),
        "en": ("{step} …", ""),
    },
    "cli.notebook_failed": {
        "sv": ("rapporten kunde inte skapas: cell {cell} i {notebook} gav {error}",
               "ingen rapport har skrivits; rätta felet och kör igen"),
        "en": ("the report could not be made: cell {cell} of {notebook} raised {error}",
               "no report was written; fix the error and run again"),
    },
    "cli.notebook_timeout": {
        "sv": ("rapporten tog för lång tid: cell {cell} i {notebook} blev inte klar på {seconds} s",
               "ingen rapport har skrivits; försök igen eller kontrollera arbetsboken"),
        "en": ("the report took too long: cell {cell} of {notebook} did not finish in "
               "{seconds} s", "no report was written; try again or check the workbook"),
    },
    "cli.chromium_missing": {
        "sv": ("PDF kräver webbläsaren Chromium, som inte hittades",
               "installera den (Debian/Ubuntu: sudo apt-get install chromium) eller ange "
               "sökvägen i GRANTSTATS_CHROMIUM; HTML-rapporten är skriven"),
        "en": ("PDF needs the Chromium browser, which was not found",
               "install it (Debian/Ubuntu: sudo apt-get install chromium) or give its path in "
               "GRANTSTATS_CHROMIUM; the HTML report is written"),
    },
    "cli.pdf_failed": {
        "sv": ("PDF:en kunde inte skrivas ({detail})", "HTML-rapporten är skriven"),
        "en": ("the PDF could not be written ({detail})", "the HTML report is written"),
    },
    "cli.project_unknown": {
        "sv": ("projektet '{project}' finns inte i arbetsboken", "kända projekt: {known}"),
        "en": ("the project '{project}' is not in the workbook", "known projects: {known}"),
    },
    # --- notes (check mentions them, they do not stop a load) --------------------------
    "note.total_ok": {
        "sv": ("summaraden ({stated}) stämmer med raderna ovanför", ""),
        "en": ("the totals row ({stated}) agrees with the rows above", ""),
    },
    "note.sheet_ignored": {
        "sv": ("bladet '{name}' används inte av grantstats", ""),
        "en": ("the sheet '{name}' is not used by grantstats", ""),
    },
    "note.column_ignored": {
        "sv": ("kolumnen '{name}' används inte", ""),
        "en": ("the column '{name}' is not used", ""),
    },
    "note.sheet_hidden": {
        "sv": ("bladet är dolt men läses ändå", ""),
        "en": ("the sheet is hidden but is read all the same", ""),
    },
    "note.rows_hidden": {
        "sv": ("dolda rader läses ändå: {rows}", ""),
        "en": ("hidden rows are read all the same: {rows}", ""),
    },
    "note.columns_hidden": {
        "sv": ("dolda kolumner läses ändå: {cols}", ""),
        "en": ("hidden columns are read all the same: {cols}", ""),
    },
}


def render(code: str, lang: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """The (message, hint) of ``code`` in ``lang``, with ``params`` filled in."""
    entry = CATALOG[code]
    message, hint = entry.get(lang) or entry["sv"]
    return message.format(**params), hint.format(**params)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


# --- the command line's help (``grantstats … --help``; ``--lang en`` for English) ------
HELP: dict[str, dict[str, str]] = {
    "sv": {
        "description": "Följ upp projektmedel: kontrollera arbetsboken, räkna fram siffrorna, "
                       "skriv rapporten till nämnden. Utan arbetsbok används exemplet. "
                       "--lang en ger engelska.",
        "epilog": "Slutstatus: 0 klart, 1 arbetsboken (eller någon i mappen) har fel, "
                  "2 filen går inte att använda eller kommandot är fel angivet.",
        "lang": "språk för meddelanden, hjälp och rapporter: sv eller en (standard: sv)",
        "no_cache": "läs alltid filen, också om samma innehåll lästs förut "
                    "(som GRANTSTATS_CACHE=0)",
        "jobs": "för en mapp: antal arbetsböcker som läses samtidigt (standard: en per kärna)",
        "check": "kontrollera en arbetsbok eller alla i en mapp",
        "workbook": "fil (.xlsx) eller mapp; utan: exemplet",
        "summary": "siffrorna per projekt (för en mapp: också totalt)",
        "format": "table (standard) eller json",
        "template": "skriv en tom arbetsbok att fylla i",
        "out_template": "ny fil (.xlsx); en befintlig fil skrivs aldrig över",
        "no_examples": "utan exempelrader",
        "report": "rapporten till nämnden som en HTML-fil (och PDF)",
        "workbooks": "arbetsböcker (.xlsx); utan: exemplet",
        "project": "ett projekt_id, eller 'all' (utan: alla projekt)",
        "separate": "en rapport per projekt (alla körs i samma kärna)",
        "out": "mapp för rapporten (standard: reports)",
        "suppress_below": "antal personer 1..N-1 visas som <N (standard: 3)",
        "no_suppress": "visa alla antal (endast för internt bruk)",
        "pdf": "skriv också en PDF (kräver Chromium)",
        "cache": "var lästa arbetsböcker sparas för omkörningar, och hur mycket",
        "cache_description": "Arbetsböcker över 512 KiB som lästs utan fel sparas som tabeller, "
                             "så att en omkörning på samma fil (samma SHA-256) slipper läsa om "
                             "den. Mappen är användarens cachemapp eller GRANTSTATS_CACHE_DIR; "
                             "GRANTSTATS_CACHE=0 eller --no-cache stänger av. Över 2 GiB tas "
                             "de som använts minst nyligen bort.",
        "clear": "ta bort alla sparade arbetsböcker (tabellerna finns kvar tills dess)",
        "help": "visa den här hjälpen och avsluta",
        "version": "visa versionen och avsluta",
        "commands": "kommandon",
        "command": "kommando",
        "metavar_workbook": "arbetsbok",
        "metavar_file": "FIL",
        "metavar_project": "PROJEKT",
        "metavar_folder": "MAPP",
    },
    "en": {
        "description": "Follow up grant-funded projects: check the workbook, compute the "
                       "figures, write the committee report. Without a workbook the sample "
                       "is used. Swedish unless --lang en.",
        "epilog": "Exit status: 0 done, 1 the workbook (or one in the folder) has problems, "
                  "2 the file cannot be used or the command was called wrongly.",
        "lang": "language of messages, help and reports: sv or en (default: sv)",
        "no_cache": "always read the file, even if the same content was read before "
                    "(like GRANTSTATS_CACHE=0)",
        "jobs": "for a folder: workbooks read at the same time (default: one per core)",
        "check": "check a workbook, or every one in a folder",
        "workbook": "file (.xlsx) or folder; without: the sample",
        "summary": "the figures per project (for a folder: also the total)",
        "format": "table (default) or json",
        "template": "write an empty workbook to fill in",
        "out_template": "new file (.xlsx); an existing file is never overwritten",
        "no_examples": "without example rows",
        "report": "the committee report as one HTML file (and PDF)",
        "workbooks": "workbooks (.xlsx); without: the sample",
        "project": "a project_id, or 'all' (without: every project)",
        "separate": "one report per project (all run in one kernel)",
        "out": "folder for the report (default: reports)",
        "suppress_below": "counts of people 1..N-1 are shown as <N (default: 3)",
        "no_suppress": "show every count (internal use only)",
        "pdf": "also write a PDF (needs Chromium)",
        "cache": "where loaded workbooks are kept for re-runs, and how much",
        "cache_description": "Workbooks over 512 KiB that loaded without problems are kept as "
                             "tables, so a re-run on the same file (same SHA-256) need not read "
                             "it again. The folder is the user's cache folder or "
                             "GRANTSTATS_CACHE_DIR; GRANTSTATS_CACHE=0 or --no-cache turns it "
                             "off. Above 2 GiB the least recently used go.",
        "clear": "remove every kept workbook (their tables stay until then)",
        "help": "show this help message and exit",
        "version": "show the version and exit",
        "commands": "commands",
        "command": "command",
        "metavar_workbook": "workbook",
        "metavar_file": "FILE",
        "metavar_project": "PROJECT",
        "metavar_folder": "FOLDER",
    },
}

#: argparse's own words (usage, section titles, its error messages), keyed by the English
#: text argparse looks up through gettext, plus the command's own usage errors; a text
#: not listed stays English.
ARGPARSE_WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "usage: ": "användning: ",
        "positional arguments": "argument",
        "options": "flaggor",
        "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
        "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
        "invalid choice: %(value)r (choose from %(choices)s)":
            "ogiltigt val: %(value)r (välj bland %(choices)s)",
        "invalid %(type)s value: %(value)r": "ogiltigt värde: %(value)r",
        "unrecognized arguments: %s": "okända argument: %s",
        "the following arguments are required: %s": "följande argument krävs: %s",
        "one of the arguments %s is required": "ett av argumenten %s krävs",
        "not allowed with argument %s": "går inte att kombinera med %s",
        "ambiguous option: %(option)s could match %(matches)s":
            "flaggan %(option)s är tvetydig: den kan vara %(matches)s",
        "expected one argument": "kräver ett värde",
        "expected at most one argument": "högst ett värde får anges",
        "expected at least one argument": "kräver minst ett värde",
        "ignored explicit argument %r": "tar inget värde (fick %r)",
        "N must be a whole number of 1 or more": "N måste vara ett heltal, minst 1",
    },
}
