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
) -> None:
    """Serve the store at ``store_path`` until interrupted.

    A host that is not loopback is refused unless ``allow_remote``; then a
    warning is printed and a token is required (a random one is made and
    printed if none is given). A token given on loopback is required too.
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
    app = create_app(store_path, token=token, allowed_hosts=allowed_hosts, time_limit=time_limit)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    say(f"Parallax is serving {store_path} at {url}" + (f"?token={quote(token)}" if token else ""))
    say("Press Ctrl+C to stop.")
    uvicorn.run(
        app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False,
        limit_concurrency=256, timeout_keep_alive=5, h11_max_incomplete_event_size=64 * 1024,
    )
