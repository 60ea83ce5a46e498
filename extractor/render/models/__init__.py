"""Generate pydantic v2 models of the unified spec: one package per API version.

``render_models(spec)`` returns ``{"models/__init__.py": ..., "models/v1_0/__init__.py": ...}``;
``render_models_and_plans`` also each package's ``PackagePlan`` (its classes, fields and
enums as the files define them), from which ``check`` validates without importing them.
Each version package holds only what exists in that version:

- ``_base.py``: ``GraphModel`` (extra fields allowed, because the docs truncate their examples)
  and ``Nested[X]``, a field annotation that validates a nested object with ``X``'s own
  validator, picked by ``@odata.type`` when it names a more derived type. Pydantic otherwise
  inlines every reachable model into each model's validator: with thousands of interlinked Graph
  types that overflows the stack, and even when it does not, imports take minutes.
- one module per namespace (``graph.py`` for ``microsoft.graph``, ``call_records.py`` for
  ``microsoft.graph.callRecords``) with its enums and model classes, bases before subclasses;
- ``operations.py``: ``<OperationId>Request`` body models of actions, functions, creates and
  updates that list parameters (``call.redirect`` → ``CallRedirectRequest``);
- ``__init__.py``: every class, ``TYPE_INDEX``, ``ENUM_INDEX``, ``OPERATION_REQUEST_INDEX``
  (``operations`` is imported when first asked for) and ``rebuild_all()``.

Import time: the beta package of the real corpus has ~2,400 types and ~1,500 request models.
Building every validator at import (``model_rebuild()`` of every class) took 3.3 s of CPU for
2,300 types, so ``GraphModel`` sets ``defer_build``: a model builds its validator when first
used (pydantic resolves forward references then), and only the few classes that name classes
of a module imported after their own are rebuilt by ``__init__`` with the package namespace.
``rebuild_all()`` builds everything, in a fixed order, for who wants it eagerly.

Naming (documented here because users import these names):

- ``model_class_name``: drop the ``microsoft.graph.`` prefix and join the remaining segments in
  PascalCase: ``microsoft.graph.call`` → ``Call``, ``microsoft.graph.callRecords.session`` →
  ``CallRecordsSession``. Two names that map to one class name are told apart by a number,
  assigned in a fixed order (root namespace first, then by qualified name): ``Session2``.
- fields are snake_case with the wire name as alias (``callbackUri`` → ``callback_uri``);
  keywords, builtins used in annotations and ``BaseModel`` attributes get a trailing ``_``,
  names starting with a digit a leading ``n``.
- enums are ``StrEnum``s (ruff's UP042 rejects ``(str, Enum)``) with UPPER_SNAKE members; fields
  of an enum type accept any string too (``CallState | str | None``) because the docs' examples
  use values outside the documented lists.
- ``Edm.DateTimeOffset``, ``Guid``, ``Duration``, ``Binary`` and other textual primitives are
  ``str`` (the docs show placeholders such as ``"String (timestamp)"``), with the Edm type
  noted in the field's description.

The code is laid out by the Jinja templates in ``templates/models/`` and then formatted with ruff
(settings mirror the project's pyproject, passed explicitly so that a checkout and an installed
wheel format alike), so it reads as hand-written and passes the project's ``ruff check``.
"""

from extractor.render.models.check import PlannedPackage
from extractor.render.models.classes import is_primitive
from extractor.render.models.formatting import format_python
from extractor.render.models.names import (
    field_name,
    model_class_name,
    module_for,
    request_class_name,
)
from extractor.render.models.rendering import render_models, render_models_and_plans
from extractor.render.models.views import ClassPlan, PackagePlan

__all__ = [
    "ClassPlan",
    "PackagePlan",
    "PlannedPackage",
    "field_name",
    "format_python",
    "is_primitive",
    "model_class_name",
    "module_for",
    "render_models",
    "render_models_and_plans",
    "request_class_name",
]
