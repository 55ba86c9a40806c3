"""Fixed choices and process defaults that must load without pydantic (standard library
only): `rag --help` lists the generator names before any settings are read, and the
entry points apply the offline environment before any library starts.
"""

from __future__ import annotations

import os

# The one list of generator names, in the order menus offer them. `rag.generation` maps
# each to its class; the `generator` setting takes these or "auto".
GENERATORS: tuple[str, ...] = ("extractive", "openai", "local")

# Offline by default: no library may phone home from the command line or the UI.
OFFLINE_DEFAULTS = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "TOKENIZERS_PARALLELISM": "false",
    # onnxruntime >= 1.29 on Linux: usage events (DNS look-ups seen with strace). Read when
    # its library loads; `disable_telemetry_events()` alone does not stop them.
    "ORT_DISABLE_TELEMETRY": "1",
}


def apply_offline_defaults() -> None:
    """Set each of `OFFLINE_DEFAULTS` the user left unset. Called at process entry (the
    CLI's `main`, the UI's `launch`), never at import, and never over the user's choice."""
    for name, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(name, value)


def one_of(names: tuple[str, ...]) -> str:
    """The choices as "a, b or c", for help texts and errors."""
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else "".join(names)
