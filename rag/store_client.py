"""Connecting to Chroma: the embedded store in the data folder, or a server, with every
request bounded so a stalled server fails with an error instead of hanging the app."""

from __future__ import annotations

from typing import Any

from rag.config import Settings
from rag.errors import IndexUnavailable
from rag.store_files import embedded_hint, unwritable


def store_address(settings: Settings) -> str:
    if settings.store == "server":
        scheme = "https" if settings.chroma_ssl else "http"
        return f"{scheme}://{settings.chroma_host}:{settings.chroma_port}"
    return str(settings.index_dir)


def open_client(settings: Settings) -> Any:
    """A Chroma client for the configured store; errors name the address and the fix."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    try:
        if settings.store == "server":
            return _http_client(settings, chroma_settings)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(settings.index_dir), settings=chroma_settings)
        client.list_collections()  # Chroma opens lazily: read now so corruption shows here
        return client
    except Exception as exc:
        raise IndexUnavailable(
            f"cannot open the Chroma index at {store_address(settings)}: {exc}; "
            f"{unavailable_hint(settings)}"
        ) from exc


def _http_client(settings: Settings, chroma_settings: Any) -> Any:
    import chromadb
    import httpx

    headers = {}
    if settings.chroma_token is not None:
        headers["Authorization"] = f"Bearer {settings.chroma_token.get_secret_value()}"
    # chromadb's HttpClient waits forever on a server that accepts but never
    # answers; a bounded heartbeat first turns that into a clear error.
    httpx.get(
        f"{store_address(settings)}/api/v2/heartbeat",
        headers=headers,
        timeout=settings.chroma_timeout,
    ).raise_for_status()
    client = chromadb.HttpClient(
        host=settings.chroma_host,
        port=settings.chroma_port,
        ssl=settings.chroma_ssl,
        headers=headers,
        settings=chroma_settings,
    )
    # ... and every later request is bounded too, so a server that stalls
    # mid-search fails with an error instead of hanging the app.
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(
            settings.chroma_request_timeout, connect=settings.chroma_timeout
        )
    client.heartbeat()
    return client


def unavailable_hint(settings: Settings) -> str:
    """What to do when the store fails: start the server, fix permissions, or rebuild."""
    if settings.store == "server":
        return "check that it is running and reachable (chroma run --path DIR --port N)"
    return embedded_hint(settings.index_dir, unwritable(settings.index_dir))
