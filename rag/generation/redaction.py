"""What of a server's address or error may be shown: URL credentials, secret-looking
query values and API keys become `***`, in messages, in logs and on the page.

Standard library only, so the UI and the CLI's log filter load no generator code.
"""

from __future__ import annotations

import logging
import re

_SECRET = re.compile(r"\b(sk-[A-Za-z0-9_-]{6,})")
# Credentials inside a URL: `scheme://user:pass@host`, and query values whose name looks
# secret (`?api_key=...`, `&token=...`).
_USERINFO = re.compile(r"//[^/@\s]+@")
SECRET_PARAMS = ("key", "token", "secret", "password", "api_key", "apikey", "access_token")
_SECRET_QUERY = re.compile(r"([?&;](?:" + "|".join(SECRET_PARAMS) + r")=)[^&#;\s]*", re.IGNORECASE)


def redact_url(url: str) -> str:
    """A URL fit to show: userinfo and secret-looking query values become `***`."""
    return _SECRET_QUERY.sub(r"\1***", _USERINFO.sub("//***@", url))


def redact(message: str, secret: str | None) -> str:
    """An error message without the API key, URL credentials, or anything key-shaped."""
    if secret:
        message = message.replace(secret, "***")
    return _SECRET.sub("sk-***", redact_url(message))


class RedactingFilter(logging.Filter):
    """Scrubs URL credentials and API keys from every record a handler emits: httpx and
    openai log request URLs (with OPENAI_BASE_URL's userinfo) at INFO and DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message, None)
        if clean != message:
            record.msg, record.args = clean, None
        return True
