"""Run the web app with uvicorn: loopback by default, a token for anything else."""

from __future__ import annotations

import ipaddress
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from parallax.errors import ConfigError
from parallax.web.security import LOOPBACK_HOSTS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` only accepts connections from this machine."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name other than localhost: could resolve anywhere


def serve(
    store_path: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    token: str | None = None,
    allow_remote: bool = False,
    *,
    time_limit: float = 10.0,
    echo: Callable[[str], None] | None = None,
    watch: str | Path | None = None,
    watch_interval: float = 5.0,
) -> None:
    """Serve the store at ``store_path`` until interrupted.

    A host that is not loopback is refused unless ``allow_remote``; then a
    warning is printed and a token is required (a random one is made and
    printed if none is given). A token given on loopback is required too.
    With ``watch``, files dropped into that folder are analysed into the
    store while serving; a store that does not exist yet is made from the
    folder first.
    """
    import uvicorn

    from parallax.web.app import create_app

    say = echo or (lambda line: print(line, file=sys.stderr))
    remote = not is_loopback(host)
    if remote and not allow_remote:
        raise ConfigError(
            f"refusing to serve on {host}: it is reachable from other machines. Use the default "
            f"{DEFAULT_HOST}, or pass --allow-remote (a token will be required)"
        )
    if remote:
        token = token or secrets.token_urlsafe(24)
        say(f"WARNING: serving on {host}, reachable from other machines; every request needs the "
            "token. Article texts and analyses are readable by anyone holding it.")
    allowed_hosts = None if remote else {*LOOPBACK_HOSTS, host.strip("[]").lower()}
    if watch is not None:
        store_path = _first_analysis(Path(store_path), Path(watch), say)
    app = create_app(store_path, token=token, allowed_hosts=allowed_hosts, time_limit=time_limit,
                     watch=watch, watch_interval=watch_interval, echo=say)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    say(f"Parallax is serving {store_path} at {url}" + (f"?token={quote(token)}" if token else ""))
    if watch is not None:
        say(f"Watching {watch}: files dropped there are analysed and shown (every {watch_interval:g} s).")
    say("Press Ctrl+C to stop.")
    uvicorn.run(
        app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False,
        limit_concurrency=256, timeout_keep_alive=5, h11_max_incomplete_event_size=64 * 1024,
    )


def _first_analysis(store_path: Path, folder: Path, say: Callable[[str], None]) -> Path:
    """Make the store from ``folder`` when ``store_path`` has none yet; return the --out folder."""
    from parallax.web.watch import analyse_folder, install_staged

    out_dir = store_path.parent if store_path.suffix == ".duckdb" else store_path
    if (out_dir / "parallax.duckdb").is_file():
        return out_dir
    if not folder.is_dir():
        raise ConfigError(f"--watch needs a folder; {folder} is not one")
    say(f"No store in {out_dir} yet: analysing {folder} first")
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        install_staged(analyse_folder(folder, out_dir), out_dir)
    except RuntimeError as error:
        raise ConfigError(str(error)) from error
    return out_dir
