"""Command line: a thin skin over the library.

Exit codes: 0 when at least one article was analysed, 1 when nothing usable
came out (or a Parallax error stopped the run), 2 for usage errors.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from parallax import __version__
from parallax.errors import ParallaxError

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="parallax")
def cli() -> None:
    """Parallax: what happened, who said what, and how each outlet tells it."""


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False),
              help="Output directory: parallax.duckdb, analysis.json, report.html.")
@click.option("--allow-private", is_flag=True,
              help="Allow fetching URLs on loopback, private and link-local addresses.")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symlinks inside input folders (never out of them).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=64 * 1024 * 1024,
              show_default=True, help="Skip inputs larger than this, with an error.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes, here or in a local Dask cluster (default: one per core).")
@click.option("--runner", type=click.Choice(["local", "dask"]), default=None,
              help="Where per-article stages run: this machine's processes (local, the default) "
                   "or a Dask cluster (dask; local cluster unless --scheduler).")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="Address of an existing Dask scheduler, e.g. tcp://host:8786 "
                   "(implies --runner dask).")
@click.option("--shard-dir", type=click.Path(file_okay=False), default=None,
              help="Folder for the Parquet shards sent to Dask workers; must be on storage every "
                   "worker mounts at the same path [default: OUT/shards].")
@click.option("--batch-size", type=click.IntRange(min=1), default=256, show_default=True,
              help="Articles per batch; each batch is stored in one transaction.")
@click.option("--strict", is_flag=True, help="Stop at the first stage error instead of recording it.")
@click.option("--doc-timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds one document may spend in one stage before it is skipped "
                   "with an error (0: no limit).")
@click.option("--no-report", is_flag=True, help="Do not write report.html.")
@click.option("--clean-only", is_flag=True,
              help="Stop after cleaning: no entities, quotes, dates or events.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the report path and errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def analyze(
    inputs: tuple[str, ...], out: str, allow_private: bool, follow_symlinks: bool, max_bytes: int,
    workers: int | None, runner: str | None, scheduler: str | None, shard_dir: str | None,
    batch_size: int, strict: bool, no_report: bool, clean_only: bool, quiet: bool, debug: bool, doc_timeout: float,
) -> None:
    """Analyse INPUTS (files, folders, URLs) into OUT and print the report path."""
    from parallax.api import REPORT_FILE, analyze as run_analysis

    if scheduler and runner == "local":
        raise click.UsageError("--scheduler needs --runner dask")
    if scheduler and workers:
        raise click.UsageError("--workers starts a local cluster; with --scheduler the cluster has its own")
    runner = runner or ("dask" if scheduler else "local")
    if shard_dir and runner != "dask":
        raise click.UsageError("--shard-dir is for --runner dask")

    with _progress(quiet) as on_progress:
        try:
            result = run_analysis(
                list(inputs), out, allow_private=allow_private, follow_symlinks=follow_symlinks,
                max_bytes=max_bytes, workers=workers, batch_size=batch_size, strict=strict, report=not no_report,
                read=not clean_only, on_progress=on_progress, runner=runner, scheduler=scheduler,
                shard_dir=shard_dir, doc_timeout=doc_timeout or None,
            )
        except ParallaxError as error:
            if debug:
                raise
            click.echo(f"error: {error}", err=True)
            sys.exit(EXIT_NOTHING)
    duplicates = sum(1 for a in result.articles if a.duplicate_of)
    if not quiet:
        click.echo(
            f"{len(result.articles)} articles ({duplicates} near-duplicates), "
            f"{len(result.errors)} errors",
            err=True,
        )
        for failure in result.errors[:20]:
            click.echo(f"  ! {failure.input}: {failure.error}", err=True)
        if len(result.errors) > 20:
            click.echo(f"  … and {len(result.errors) - 20} more in analysis.json", err=True)
    click.echo(Path(out, "analysis.json" if no_report else REPORT_FILE).resolve())
    sys.exit(EXIT_OK if result.articles else EXIT_NOTHING)


_WEB_PACKAGES = {"fastapi", "uvicorn", "starlette", "pydantic"}


@cli.command()
@click.argument("store", type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback needs --allow-remote.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True,
              help="Port to listen on.")
@click.option("--token", envvar="PARALLAX_SERVE__TOKEN", default=None,
              help="Require this token (Bearer header, or ?token= once, then a cookie). "
                   "With --allow-remote and no token, a random one is made and printed.")
@click.option("--allow-remote", is_flag=True,
              help="Allow a non-loopback --host: prints a warning and requires a token.")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a request may run before it is stopped (503).")
@click.option("--watch", "watch", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Analyse files dropped into this folder into STORE while serving "
                                  "(STORE is made from the folder if it does not exist yet).")
@click.option("--interval", type=click.FloatRange(min=0.5), default=5.0, show_default=True,
              help="Seconds between looks at the --watch folder.")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def serve(store: Path, host: str, port: int, token: str | None, allow_remote: bool,
          time_limit: float, watch: Path | None, interval: float, debug: bool) -> None:
    """Serve STORE (an --out folder or its parallax.duckdb) read-only: web views and a JSON API."""
    try:
        from parallax.web import serve as run_server
    except ImportError as error:
        if error.name not in _WEB_PACKAGES:
            raise
        raise click.ClickException("`parallax serve` needs fastapi and uvicorn installed") from error
    try:
        run_server(store, host=host, port=port, token=token, allow_remote=allow_remote,
                   time_limit=time_limit, echo=lambda line: click.echo(line, err=True),
                   watch=watch, watch_interval=interval)
    except ParallaxError as error:
        if debug:
            raise
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_NOTHING)


@cli.command(name="export")
@click.argument("store", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl",
              show_default=True, help="File format of the tables (events_plover.csv is always CSV).")
@click.option("--out", "-o", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the files [default: STORE/export].")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def export(store: Path, fmt: str, out: Path | None, debug: bool) -> None:
    """Write each table of STORE to its own file, plus events_plover.csv; print their paths."""
    from parallax.export import export_store

    target = out or (store if store.is_dir() else store.parent) / "export"
    try:
        paths = export_store(store, target, fmt)  # type: ignore[arg-type]
    except ParallaxError as error:
        if debug:
            raise
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_NOTHING)
    for path in paths:
        click.echo(path)


@cli.group(name="eval")
def evaluate() -> None:
    """Measure quality on public gold data (each dataset in its own layout)."""


@evaluate.command(name="cleaning")
@click.argument("data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", default="train", show_default=True, help="PTC split: train or dev.")
@click.option("--show", default=0, show_default=True, help="Print N removed pieces and lost spans.")
def evaluate_cleaning(data_dir: Path, split: str, show: int) -> None:
    """Body-text retention of cleaning on PTC (SemEval-2020 Task 11) gold spans."""
    from parallax.evaluation.cleaning import evaluate_cleaning as run

    score = run(data_dir, split, samples=show)
    click.echo(f"PTC {split}: {score.articles} articles, {score.spans} gold body spans")
    click.echo(f"span retention  {score.span_retention:.4f} ({score.spans_kept}/{score.spans})")
    click.echo(f"char retention  {score.char_retention:.4f}")
    click.echo(f"removed share   {score.removed_share:.4f} of input characters")
    for reason, count in sorted(score.removed_by_reason.items()):
        click.echo(f"  removed {reason:<20} {count}")
    for article_id, reason, text in score.removed_samples:
        click.echo(f"  - [{article_id}] {reason}: {text!r}")
    for article_id, text in score.lost_spans[:show]:
        click.echo(f"  LOST [{article_id}] {text!r}")


@evaluate.command(name="ner")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", type=int, default=None, help="Only the first N documents.")
def evaluate_ner(path: Path, limit: int | None) -> None:
    """Entity-level F1 on a CoNLL-2003 file (e.g. conllpp_test.txt), rules vs bare spaCy."""
    from parallax.evaluation.ner import evaluate_ner as run, format_ner_report

    click.echo(format_ner_report(run(path, limit=limit)))


@evaluate.command(name="dates")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--show", default=10, show_default=True, help="Print N wrong values.")
def evaluate_dates(path: Path, show: int) -> None:
    """Date-expression values on TempEval-3 TimeML (a folder of .tml files)."""
    from parallax.evaluation.dates import evaluate_dates as run, format_dates_report

    click.echo(format_dates_report(run(path), show_errors=show))


@evaluate.command(name="events")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--show", default=0, show_default=True, help="Print N wrong events.")
def evaluate_events(path: Path, show: int) -> None:
    """PLOVER type, actor and target accuracy on the PLOVER gold records."""
    from parallax.evaluation.events import evaluate_events as run, format_events_report

    click.echo(format_events_report(run(path), show_errors=show))


@evaluate.command(name="participants")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def evaluate_participants(path: Path) -> None:
    """Event actor/target vs MEANTIME Arg0/Arg1 participants (a MEANTIME folder)."""
    from parallax.evaluation.events import evaluate_event_participants, format_participants_report

    click.echo(format_participants_report(evaluate_event_participants(path)))


@evaluate.command(name="quotes")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", default="dev", show_default=True, help="PolNeAR split folder name.")
def evaluate_quotes(path: Path, split: str) -> None:
    """Quote content and speaker scores on PolNeAR (brat standoff, its own layout)."""
    from parallax.evaluation.quotes import evaluate_quotes as run, format_quotes_report

    click.echo(format_quotes_report(run(path, split)))


@evaluate.command(name="claims")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--topics", default="dev", show_default=True,
              help="ECB+ topics: 'dev', 'all', or a comma-separated list of numbers.")
@click.option("--show", default=20, show_default=True, help="Print N contradiction flags.")
def evaluate_claims(path: Path, topics: str, show: int) -> None:
    """Claim alignment precision and contradiction flags on ECB+ (its xml/ layout)."""
    from parallax.evaluation.claims import DEV_TOPICS, evaluate_claims as run, format_claims_report

    chosen = DEV_TOPICS if topics == "dev" else None if topics == "all" else tuple(
        int(t) for t in topics.split(",") if t.strip())
    click.echo(format_claims_report(run(path, topics=chosen, show=show), show=show))


@evaluate.command(name="contradictions")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--split", type=click.Choice(["dev", "test", "all"]), default="test", show_default=True,
              help="Which labelled pairs to score (dev was used for tuning).")
@click.option("--show", default=20, show_default=True, help="Print N misses and false flags.")
def evaluate_contradictions(path: Path, split: str, show: int) -> None:
    """Contradiction precision/recall/false-flag rate on hand-labelled ECB+ sentence pairs."""
    from parallax.evaluation.contradictions import evaluate_contradictions as run
    from parallax.evaluation.contradictions import format_contradictions_report

    click.echo(format_contradictions_report(run(path, split=split), show=show))


@evaluate.command(name="naming")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def evaluate_naming(path: Path) -> None:
    """Recall of NewsWCL50 word-choice labels per outlet (its own layout)."""
    from parallax.evaluation.naming import evaluate_naming as run, format_naming_report

    click.echo(format_naming_report(run(path)))


@evaluate.command(name="stories")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dataset", type=click.Choice(["ecbplus", "newswcl50"]), default="ecbplus",
              show_default=True, help="Layout of PATH.")
def evaluate_stories(path: Path, dataset: str) -> None:
    """Story clustering B3/pairwise F1 on ECB+ sub-topics or NewsWCL50 events."""
    from parallax.evaluation import stories

    run = stories.evaluate_stories if dataset == "ecbplus" else stories.evaluate_stories_newswcl
    click.echo(stories.format_stories_report(run(path)))


@evaluate.command(name="coref")
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--dataset", type=click.Choice(["newswcl50", "ecbplus"]), default="newswcl50",
              show_default=True, help="Layout of PATH (ECB+: dev topics).")
@click.option("--topics", default="dev", show_default=True,
              help="ECB+ topics: 'dev', 'train' (all but dev and test), 'all', or numbers 1,2,3.")
@click.option("--match", type=click.Choice(["head", "last-word"]), default="head", show_default=True,
              help="Gold mention to system mention: by its head, or (old) its last word.")
def evaluate_coref(path: Path, dataset: str, topics: str, match: str) -> None:
    """Cross-article entity resolution vs gold chains (NewsWCL50 actors or ECB+ topics)."""
    from parallax.evaluation import coref
    from parallax.evaluation.stories import DEV_TOPICS, TEST_TOPICS

    if dataset == "newswcl50":
        click.echo(coref.format_coref_report(coref.evaluate_entity_coref(path, match=match)))
        return
    chosen = DEV_TOPICS if topics == "dev" else None if topics in ("all", "train") else tuple(
        int(t) for t in topics.split(",") if t.strip())
    exclude = DEV_TOPICS | TEST_TOPICS if topics == "train" else frozenset()
    result = coref.evaluate_entity_coref_ecbplus(path, topics=chosen, exclude=exclude, match=match)
    click.echo(coref.format_coref_report(result))


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[..., None] | None]:
    """A rich progress display on a terminal, plain log lines otherwise."""
    if quiet:
        yield None
        return
    if not sys.stderr.isatty():
        def log(p: object) -> None:
            click.echo(
                f"read {p.read} inputs: {p.articles} articles, {p.skipped} already stored, "  # type: ignore[attr-defined]
                f"{p.errors} errors",  # type: ignore[attr-defined]
                err=True,
            )
        yield log
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading inputs", total=None)

        def update(p: object) -> None:
            bar.update(
                task,
                description=f"{p.read} inputs · {p.articles} articles · {p.errors} errors",  # type: ignore[attr-defined]
            )
        yield update


def main() -> None:
    """Entry point of the ``parallax`` script."""
    cli()
