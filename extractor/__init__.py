"""extractor: Microsoft Graph API reference pages to records, a unified spec and its renderings.

``extractor.build`` and ``extractor.extract`` are the Python API's (``extractor.api``, which
also has ``diff``: here that name is the diff stage's package, ``extractor.diff``). They are
loaded when first used: helper processes import this package, and must not pay for more.
"""

__version__ = "0.1.0"

__all__ = ["BuildSummary", "ExtractorError", "SpecDiff", "__version__", "build", "extract"]

_API = frozenset({"BuildSummary", "ExtractorError", "SpecDiff", "build", "extract"})

TYPE_CHECKING = False  # typing's own would cost the helpers an import
if TYPE_CHECKING:
    from extractor.api import BuildSummary, ExtractorError, SpecDiff, build, extract
else:

    def __getattr__(name: str) -> object:
        if name in _API:
            from extractor import api

            return getattr(api, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
