"""Command line: ``newspaper-tei convert | validate | text | view | issue | archive | records |
oai``.

It parses options, calls the library, prints what the library hands back (reports and progress
are built in ``batch/``), and maps typed errors to exit codes (README, "Exit codes"); it is the
only place that prints. Start-up time counts for one-page runs: modules that not every run
needs (the schema validator, json, traceback, the batch machinery) are imported where used.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import ConverterError, ExitCode, InputFileError, NotTeiError

if TYPE_CHECKING:
    from .profile import Profile

F = TypeVar("F", bound=Callable[..., Any])
PROG = "newspaper-tei"


def _print_traceback() -> None:
    import traceback

    traceback.print_exc()


def _fail(message: str, code: int) -> None:
    click.echo(f"{PROG}: {message}", err=True)
    sys.exit(code)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that the interpreter's final flush cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _write_stdout(data: bytes, where: str) -> None:
    """Write bytes to stdout; a full disk or closed file is an output error (exit 6)."""
    from .batch.output import write_stdout

    write_stdout(data, where)


def handle_errors(func: F) -> F:
    """Turn typed errors into one stderr line and their exit code; hide tracebacks."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(ctx.find_root().params.get("debug"))
        try:
            return func(*args, **kwargs)
        except ConverterError as exc:
            if debug:
                _print_traceback()
            hint = (
                " (rerun with --debug for the traceback)"
                if exc.exit_code == ExitCode.INTERNAL
                else ""
            )
            _fail(f"{exc}{hint}", int(exc.exit_code))
        except KeyboardInterrupt:
            _fail("interrupted", int(ExitCode.INTERRUPTED))
        except BrokenPipeError:
            # The reader of our output went away (`… | head`): stop quietly.
            _quiet_stdout()
            sys.exit(int(ExitCode.OK))
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:
            if debug:
                _print_traceback()
            _fail(
                f"internal error: {type(exc).__name__}: {exc}"
                " (rerun with --debug for the traceback)",
                int(ExitCode.INTERNAL),
            )
        return None

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name=PROG)
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Convert OCR text of newspaper pages into validated TEI P5 XML.

    \b
    Examples:
      newspaper-tei convert page.txt --meta page.toml -o page.xml
      newspaper-tei validate build/*.xml
      newspaper-tei text page.xml
    """


headlines_option = click.option(
    "--headlines",
    type=click.Choice(["auto", "before", "after"]),
    default="auto",
    show_default=True,
    help="Where headlines stand relative to their bodies in the OCR text.",
)
fsync_option = click.option(
    "--fsync", is_flag=True, help="Flush every file to disk before renaming it into place."
)
encoding_option = click.option(
    "--encoding",
    help="Input encoding (default: UTF-8 or a byte order mark's; else detected among the "
    "language's legacy encodings, e.g. gb18030, big5).",
)
profile_option = click.option(
    "--profile",
    "profile_file",
    type=click.Path(path_type=Path),
    help="Language profile TOML file to use for every page, instead of the bundled one for "
    "the page's language (README: Profiles).",
)


def _records(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    from .batch.catalogue import parse_records_option

    return parse_records_option(value)


records_option = click.option(
    "--records",
    default="mods,dc,marcxml",
    show_default=True,
    callback=_records,
    help="Catalogue records written beside each issue and article TEI: any of mods, dc, "
    "marcxml (comma-separated; MARCXML for articles only), or none.",
)
base_url_option = click.option(
    "--base-url", help="Web address the output folder is published at (records link the TEI)."
)
institution_option = click.option(
    "--institution", help="Institution holding the copy and publishing the files."
)
licence_option = click.option("--licence", help="Licence of the files: its name or address.")


def _given_profile(path: Path | None) -> Profile | None:
    """The profile of a ``--profile`` file, loaded and checked once for the whole run."""
    if path is None:
        return None
    from .profile import load_profile_file

    return load_profile_file(path)


_META_HELP = (
    "Metadata TOML file with keys paper, date, page, place, publisher, issn, lang "
    "(and edition, volume, number, lccn, oclc, institution, licence, base_url: an issue.toml "
    "serves)."
)


@main.command()
@click.argument("page", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write TEI here (default, or -: stdout; a device or FIFO is written to as it is).",
)
@click.option("--paper", help="Newspaper title, e.g. 焦作日报.")
@click.option("--date", "date", help="Issue date, YYYY-MM-DD.")
@click.option("--page", "page_no", help="Page number: 1, 2, … or A3.")
@click.option("--place", help="Place of publication.")
@click.option("--publisher", help="Publisher.")
@click.option("--issn", help="ISSN of the newspaper.")
@click.option(
    "--lang",
    help="BCP 47 language tag: en, de, fr, zh (zh-Hans, zh-Hant), any a profile lists "
    "(default: detected from the script and the commonest words).",
)
@click.option("--meta", "meta_file", type=click.Path(path_type=Path), help=_META_HELP)
@encoding_option
@headlines_option
@profile_option
@click.option(
    "--report", type=click.Path(path_type=Path), help="Write all diagnostics as JSON (-: stdout)."
)
@click.option(
    "--image",
    help="Layout input: the scan's file name or URL (an IIIF image URL works) for "
    "facsimile/surface/graphic, instead of the one the source names.",
)
@click.option(
    "--dump",
    type=click.Choice(
        ["layout", "blocks", "labels", "units", "leaning", "attribution", "articles"]
    ),
    help="Print an intermediate stage instead of TEI (for debugging rules).",
)
@fsync_option
@handle_errors
def convert(
    page: Path,
    output: Path | None,
    paper: str | None,
    date: str | None,
    page_no: str | None,
    place: str | None,
    publisher: str | None,
    issn: str | None,
    lang: str | None,
    meta_file: Path | None,
    encoding: str | None,
    headlines: str,
    profile_file: Path | None,
    report: Path | None,
    image: str | None,
    dump: str | None,
    fsync: bool,
) -> None:
    """Convert one OCR page (plain text, ALTO, PaddleOCR JSON, hOCR or PAGE XML, told by
    its content) into a TEI page document.

    \b
    Example:
      newspaper-tei convert samples/jiaozuo-daily/2016-12-11/p1.txt \\
          --meta samples/jiaozuo-daily/2016-12-11/issue.toml --page 1 -o p1.xml
    """
    from . import metadata
    from .batch.output import STDOUT, write_output
    from .batch.reports import page_line, page_report
    from .pipeline import Options, convert_file

    if output is not None and str(output) == STDOUT:
        output = None
    if report is not None and str(report) == STDOUT and output is None and dump is None:
        raise click.UsageError("--report - and the TEI cannot both go to stdout: give -o FILE")
    options = {
        "paper": paper,
        "date": date,
        "page": page_no,
        "place": place,
        "publisher": publisher,
        "issn": issn,
        "lang": lang,
    }
    meta = metadata.for_page(page, options, meta_file)
    result = convert_file(
        page,
        meta,
        Options(
            encoding=encoding,
            headlines=headlines,  # type: ignore[arg-type]
            validate=dump is None,
            keep_stages=dump is not None,
            profile=_given_profile(profile_file),
            image=image,
        ),
    )
    analysis = result.analysis
    if dump is not None:
        from .dump import dump_stage

        click.echo(dump_stage(analysis, dump), nl=False)
        return
    if report is not None:
        write_output(report, page_report(page, analysis.page, analysis.layout), fsync=fsync)
    if output is None:
        _write_stdout(result.data, str(page))
    else:
        write_output(output, result.data, fsync=fsync)
    click.echo(page_line(page, output, analysis.page), err=True)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--reference",
    is_flag=True,
    help="Run the XSD 1.1 schema with xmlschema (slower) instead of the libxml2 fast path.",
)
@handle_errors
def validate(files: tuple[Path, ...], reference: bool) -> None:
    """Check TEI files against the bundled schema; print FILE:LINE: message for each error.

    \b
    Example:
      newspaper-tei validate build/*.xml
    Every file is checked and reported. Exit status 1 when any document is not valid, else 3
    when a file cannot be read, else 0.
    """
    from .validate import validate_bytes

    invalid = unreadable = False
    for path in files:
        try:
            data = _read_input(path)
        except InputFileError as exc:
            click.echo(f"{PROG}: {exc}", err=True)
            unreadable = True
            continue
        problems = validate_bytes(data, reference=reference)
        for problem in problems:
            line = f":{problem.line}" if problem.line is not None else ""
            click.echo(f"{path}{line}: {problem.message}")
        invalid = invalid or bool(problems)
        if not problems:
            click.echo(f"{path}: valid", err=True)
    # An invalid document is the answer asked for; a missing file only comes next.
    status = ExitCode.INVALID if invalid else ExitCode.INPUT if unreadable else ExitCode.OK
    sys.exit(int(status))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--page", "page_no", help="Only the lines of this page (its pb/@n: 1, 2, A3).")
@handle_errors
def text(file: Path, page_no: str | None) -> None:
    """Print the input lines of a TEI document, rebuilt from lb/@n: page by page in page
    order, each page's lines in input order.

    \b
    Example:
      newspaper-tei text p1.xml > p1.txt
      newspaper-tei text issue.xml --page 2 > p2.txt
    """
    from lxml import etree

    from .lines import NoLinesError, NoSuchPageError, page_lines

    data = _read_input(file)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise NotTeiError(f"not well-formed XML: {exc.msg}", path=file, line=exc.lineno) from None
    try:
        lines = page_lines(root, page_no)
    except NoLinesError as exc:
        raise NotTeiError(str(exc), path=file) from None
    except NoSuchPageError as exc:  # a page the document does not have: a wrong --page
        _fail(f"{file}: --page: {exc}", int(ExitCode.USAGE))
    _write_stdout("".join(line + "\n" for _, line in lines).encode("utf-8"), str(file))


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write HTML here (default: stdout)."
)
@click.option(
    "--report",
    type=click.Path(path_type=Path),
    help="The run's report JSON (default: FILE's NAME.json or report.json beside it).",
)
@click.option(
    "--image",
    "images",
    multiple=True,
    help="A page's scan (PNG, JPEG, …; a file is embedded, a URL is linked), once per page "
    "in page order, instead of the graphic/@url of the TEI.",
)
@fsync_option
@handle_errors
def view(
    file: Path, output: Path | None, report: Path | None, images: tuple[str, ...], fsync: bool
) -> None:
    """Write an HTML view of a page or issue TEI document: its pages (drawn from their zones
    when it has them), stories, headlines, bylines, datelines, jumps and diagnostics.

    \b
    Example:
      newspaper-tei view build/archive/hechuan-daily/2016-12-11/issue.xml -o view.html
    """
    from .batch.output import write_atomic
    from .batch.views import file_view

    data, used = file_view(file, report=report, images=images)
    if output is None:
        _write_stdout(data, str(file))
    else:
        write_atomic(output, data, fsync=fsync)
    shown = f" (diagnostics from {used})" if used is not None else " (no report found)"
    click.echo(f"{file} -> {output or 'stdout'}{shown}", err=True)


@main.command("issue")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="Output folder."
)
@fsync_option
@encoding_option
@headlines_option
@profile_option
@records_option
@base_url_option
@institution_option
@licence_option
@handle_errors
def issue_command(
    folder: Path,
    output: Path,
    fsync: bool,
    encoding: str | None,
    headlines: str,
    profile_file: Path | None,
    records: tuple[str, ...],
    base_url: str | None,
    institution: str | None,
    licence: str | None,
) -> None:
    """Convert one issue folder (or issue METS file) into issue and article TEI.

    \b
    Writes OUT/issue.xml, OUT/articles/<xml:id>.xml, OUT/manifest.jsonl, OUT/report.json,
    OUT/view.html (an HTML view of the issue), and the catalogue records beside each TEI
    (issue.mods.xml, articles/<xml:id>.dc.xml, …).
    A folder with a METS file: the METS gives the pages, their order and numbers, and the
    metadata. Otherwise its page files (*.txt, *.xml, *.json, *.hocr, *.html) are the pages,
    numbered by the last number in their names (p1.txt, page-02.xml); issue.toml (optional)
    sets or overrides metadata.
    Example:
      newspaper-tei issue samples/jiaozuo-daily/2016-12-11 -o build/jiaozuo-2016-12-11
    """
    from .batch.issue import convert_issue
    from .batch.output import write_issue
    from .batch.reports import issue_line
    from .errors import OutputError

    mets_file = None
    if folder.is_file():  # an issue METS named itself: its folder is the issue's
        from .read.mets import is_mets

        if not is_mets(folder):
            raise InputFileError("not a folder nor a METS file", path=folder)
        mets_file, folder = folder, folder.parent
    result = convert_issue(
        folder,
        encoding=encoding,
        headlines=headlines,  # type: ignore[arg-type]
        profile=_given_profile(profile_file),
        mets_file=mets_file,
        records=records,
        meta_options={"base_url": base_url, "institution": institution, "licence": licence},
    )
    if output.exists() and not output.is_dir():
        raise OutputError("exists and is not a folder", path=output)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create folder: {exc.strerror or exc}", path=output) from None
    write_issue(result, output, fsync=fsync)
    for failure in result.failed_pages:
        click.echo(f"{PROG}: {failure}", err=True)
    click.echo(issue_line(folder, output, result), err=True)
    if result.failed_pages:
        sys.exit(int(ExitCode.PARTIAL))


@main.command("archive")
@click.argument("source", type=click.Path(path_type=Path))
@click.argument("target", type=click.Path(path_type=Path))
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: cores).")
@click.option(
    "--scheduler",
    metavar="local:N|tcp://HOST:PORT",
    help="Run on Dask: a local cluster of N worker processes, or the scheduler at that address "
    "(needs newspaper-tei[dask]; README: Archives on a cluster).",
)
@click.option("--force", is_flag=True, help="Convert issues that are up to date too.")
@fsync_option
@encoding_option
@headlines_option
@profile_option
@records_option
@base_url_option
@institution_option
@licence_option
@handle_errors
def archive_command(
    source: Path,
    target: Path,
    jobs: int | None,
    scheduler: str | None,
    force: bool,
    fsync: bool,
    encoding: str | None,
    headlines: str,
    profile_file: Path | None,
    records: tuple[str, ...],
    base_url: str | None,
    institution: str | None,
    licence: str | None,
) -> None:
    """Convert every issue folder below SOURCE (any depth) into a mirrored tree under TARGET.

    \b
    SOURCE may be (or hold) an NDNP batch (data/batch.xml): its issues are written to
    TARGET/<lccn>/<date>/ed-<edition>; an issue it lists that is missing is reported.
    Up-to-date issues are skipped (--force redoes them); failed issues are reported and the
    run goes on; the exit status is 7 if any issue failed. TARGET/manifest.jsonl lists every
    document and record of the archive (--base-url: the address TARGET is published at).
    Examples:
      newspaper-tei archive samples build/archive -j 2
      newspaper-tei archive samples build/archive --scheduler tcp://10.0.0.5:8786
    """
    import os

    from .batch.archive import ArchiveOptions, batch_collection, find_issues, holding, run_archive
    from .batch.catalogue import write_root_manifest
    from .batch.progress import Progress
    from .batch.reports import archive_lines

    cluster = _dask_scheduler(scheduler, jobs)
    if not source.is_dir():
        raise InputFileError("not a folder", path=source)
    found = find_issues(source, target)
    if not found:
        raise InputFileError(
            "no issues below: no NDNP batch.xml, nor folders with issue.toml, a METS file "
            "or numbered page files",
            path=source,
        )
    options = ArchiveOptions(
        encoding=encoding,
        headlines=headlines,
        force=force,
        fsync=fsync,
        profile=_given_profile(profile_file),
        records=records,
        meta=_archive_meta(base_url=base_url, institution=institution, licence=licence),
    )
    progress = Progress(
        source, lambda text: click.echo(text, err=True, nl=False), terminal=sys.stderr.isatty()
    )
    batch_collection()
    with holding(target):
        if cluster is None:
            summary = run_archive(found, options, jobs or os.cpu_count() or 1, progress)
        else:
            from .batch.dask_executor import connect

            with connect(cluster) as executor:
                summary = run_archive(found, options, executor, progress)
        write_root_manifest(target, [j.output or j.name for j in found if not j.error], fsync=fsync)
        from .batch.views import write_archive_index

        write_archive_index(target, found, summary, fsync=fsync)
    progress.end()
    for line in archive_lines(source, summary):
        click.echo(line, err=True)
    if summary.failed:
        sys.exit(int(ExitCode.PARTIAL))


def _archive_meta(**values: str | None) -> tuple[tuple[str, str], ...]:
    """The metadata options given, checked now (a bad one stops the run before it starts)."""
    from . import metadata
    from .errors import MetadataError

    given = {key: value for key, value in values.items() if value is not None}
    try:
        metadata.build(given)
    except MetadataError as exc:
        raise MetadataError("option " + exc.message) from None
    return tuple(sorted(given.items()))


@main.command("records")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mods", "dc", "marcxml"]),
    required=True,
    help="Record format: MODS 3.8, Dublin Core (oai_dc) or MARCXML (articles only).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write here (default: stdout)."
)
@handle_errors
def records_command(file: Path, fmt: str, output: Path | None) -> None:
    """Make a catalogue record of an issue or article TEI document the converter wrote.

    \b
    Example:
      newspaper-tei records build/archive/hechuan-daily/2016-12-11/articles/p1-a1.xml \\
          --format marcxml
    Exit status 1 when FILE is not an issue or article document of the converter.
    """
    from . import records
    from .batch.output import write_atomic
    from .write import catalogue

    item = records.read(records.parse_tei(_read_input(file), file), file)
    if fmt not in catalogue.formats_for(item, [fmt]):
        raise click.UsageError(f"{file}: an issue document has no {fmt} record (articles only)")
    data = catalogue.record_bytes(item, fmt)
    if output is None:
        _write_stdout(data, str(file))
    else:
        write_atomic(output, data, fsync=False)


@main.command("oai")
@click.argument("archive", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8080, show_default=True, help="Port."
)
@click.option(
    "--base-url",
    help="The address harvesters reach the server at (default: http://HOST:PORT/oai).",
)
@handle_errors
def oai_command(archive: Path, host: str, port: int, base_url: str | None) -> None:
    """Serve the records of an archive (its manifest.jsonl) over OAI-PMH 2.0 at /oai.

    \b
    Formats oai_dc, mods and marc21; sets by newspaper and by year. Ctrl-C stops it.
    Example:
      newspaper-tei oai build/archive --port 8080
      curl 'http://127.0.0.1:8080/oai?verb=Identify'
    """
    from .oai.server import serve

    if not archive.is_dir():
        raise InputFileError("not a folder", path=archive)
    serve(archive, host, port, base_url, lambda text: click.echo(text, err=True))


def _dask_scheduler(scheduler: str | None, jobs: int | None) -> str | int | None:
    """``--scheduler`` read (exit 2 if malformed, given with ``-j``, or dask is missing)."""
    if scheduler is None:
        return None
    from .batch import dask_executor

    if jobs is not None:
        raise click.UsageError("-j is for the local pool: give either -j or --scheduler")
    try:
        parsed = dask_executor.parse_scheduler(scheduler)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--scheduler'") from None
    if not dask_executor.available():
        _fail(dask_executor.INSTALL, int(ExitCode.USAGE))
    return parsed


def _read_input(path: Path) -> bytes:
    from .read.formats import read_input

    return read_input(path)


if __name__ == "__main__":  # pragma: no cover
    main()
