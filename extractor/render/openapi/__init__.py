"""OpenAPI 3.1 documents, one per API version, from the unified spec.

Each document holds only what exists in its version. Nothing in it may dangle: a type the
spec cannot resolve becomes an empty schema with a description, path templates are rewritten
into valid parameter names, and operation ids stay unique when one operation has several paths.
"""

from extractor.render.openapi.document import (
    build_openapi,
    dump_yaml,
    render_openapi,
    render_openapi_files,
)
from extractor.render.openapi.paths import normalize_path

__all__ = [
    "build_openapi",
    "dump_yaml",
    "normalize_path",
    "render_openapi",
    "render_openapi_files",
]
