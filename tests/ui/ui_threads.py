"""The threads a window leaves behind, for the fixtures' "no thread outlives its window" checks.

The engine's decision-map pool (engine/fused_map.py) lives for the whole process once a map has
been computed, on purpose, so which test first draws a map must not decide a leak."""
import threading

PERSISTENT_PREFIXES = ("decision-map",)


def app_threads() -> int:
    return sum(1 for thread in threading.enumerate()
               if not thread.name.startswith(PERSISTENT_PREFIXES))
