"""The model files of every version package, and the plans validation reads."""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path
from typing import Any

from extractor.gcpause import gc_paused
from extractor.render.models.formatting import _format_pieces
from extractor.render.models.names import _names, module_for
from extractor.render.models.package import _all_versions, _version_modules
from extractor.render.models.views import ModuleView, PackagePlan
from extractor.render.templating import environment
from extractor.reuse import RenderPieces
from extractor.schema import UnifiedSpec


def render_models(spec: UnifiedSpec) -> dict[str, str]:
    """``{"models/__init__.py": ..., "models/v1_0/__init__.py": ..., ...}`` for every version."""
    return render_models_and_plans(spec)[0]


@gc_paused()
def render_models_and_plans(
    spec: UnifiedSpec, pieces: RenderPieces | None = None
) -> tuple[dict[str, str], dict[str, PackagePlan]]:
    """The model files, and each version package's plan (by package name, ``v1_0``) for
    ``check``, which validates with the same validators without importing the files.

    Each module is rendered as its header (docstring and imports) and one piece per enum,
    class and index; with ``pieces``, the pieces of the last build's parts are reused, and
    ruff formats only the pieces whose text changed (``_format_pieces``).
    """
    pieces = pieces or RenderPieces()
    env = environment()
    # The macros are attributes Jinja gives the template's module at run time.
    macros: Any = env.get_template("models/_macros.j2").module
    module_template = env.get_template("models/module.py.j2")
    plans: dict[str, PackagePlan] = {}
    names = _names(spec)
    files: dict[str, list[str]] = {}
    packages: list[tuple[str, str]] = []
    seen_packages: set[str] = set()
    all_versions = _all_versions(spec)
    texts = pieces.memo("models/texts")
    for version in all_versions:
        package = module_for(version)
        if package in seen_packages:
            continue
        seen_packages.add(package)
        packages.append((version, package))
        context = _version_modules(spec, names, version, all_versions, pieces)
        plans[package] = context.pop("plan")  # type: ignore[assignment]
        root = f"models/{package}"
        files[f"{root}/_base.py"] = [env.get_template("models/base.py.j2").render(version=version)]
        files[f"{root}/_wire.py"] = [_wire_source()]
        modules: list[ModuleView] = list(context["modules"])  # type: ignore[call-overload]
        if context["operations"] is not None:
            modules.append(context["operations"])  # type: ignore[arg-type]
        for module in modules:
            parts: list[str] = [module_template.render(module=module, pieces=[])]
            for enum in module.enums:
                made = partial(macros.enum_class, enum)
                parts.append(texts.get((package, enum.name), (enum,), made))
            for cls in module.classes:
                made = partial(macros.model_class, cls)
                parts.append(texts.get((package, cls.name), (cls,), made))
            if module.index is not None:
                parts.append(macros.request_index(module))
            files[f"{root}/{module.name}.py"] = parts
        files[f"{root}/__init__.py"] = [
            env.get_template("models/version_init.py.j2").render(**context)
        ]
    files["models/__init__.py"] = [
        env.get_template("models/package_init.py.j2").render(packages=packages)
    ]
    return _format_pieces(files, pieces.memo("models/formatted")), plans


@cache
def _wire_source() -> str:
    """``models/wire.py`` as it is: each package gets the very wire types validation uses."""
    return (Path(__file__).parent / "wire.py").read_text(encoding="utf-8")
