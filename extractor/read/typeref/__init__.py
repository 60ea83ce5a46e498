"""Type cells of property and parameter tables, read as OData type references.

A cell is raw markdown (English after segment replacement): ``String``,
``[invitationParticipantInfo](../resources/invitationparticipantinfo.md) collection``,
``Collection(microsoft.graph.x)``, ``X or Y``, bare names, and a long tail of noise
(``**String**``, backticks, ``<br>``, ``(optional)``, entities, reference links,
``string, maximum size 20``). The cell is normalized, cut into tokens by one linear scan
and read by a small recursive-descent parser, so no input can make it slow.

Choices (documented here because tables do not say):

* Primitives map to ``Edm.*``; ``int``/``Integer`` -> ``Edm.Int32``, ``long`` ->
  ``Edm.Int64``, ``Number``/``Float``/``numeric`` -> ``Edm.Double`` (the pages do not say
  which number), ``DateTime``/``Timestamp`` -> ``Edm.DateTimeOffset`` (OData v4 has no
  ``Edm.DateTime``), ``Url``/``Uri`` -> ``Edm.String``.
* ``Json``, ``JSON object``, ``Object`` and ``Untyped JSON object`` ->
  ``microsoft.graph.Json``, the complex type Graph itself uses for untyped JSON (it has a
  resource page, ``resources/json.md``).
* A link names its type by its text (casing kept); the file name only decides the
  sub-namespace (``callrecords-session.md`` -> ``microsoft.graph.callRecords``) and, when
  the text is localized, stands in for the name. A link to an ordinary resource page
  means ``microsoft.graph`` even on a namespaced page; a bare name, or a reference-style
  link whose target is elsewhere on the page, takes the page's namespace.
* Short annotations (``(optional)``, ``(readonly)``, ``Nullable``, ``, maximum size 20``,
  a trailing ``enum``) are dropped without a problem; longer extra text is a problem.
* Known localized words (zh-CN, ru-RU, pt-BR: string, boolean, collection, or, ...) are
  read, and the cell still gets a "localized" problem.

Problem messages start with a stable phrase so callers can map them to rule ids:
``empty type cell``, ``no type``, ``ambiguous type``, ``localized type cell``,
``extra text in type cell``, ``not a type``, ``unknown primitive``, ``link text is no
type name``; several problems of one cell are joined with ``"; "``.

:mod:`.names` qualifies names (primitives, namespaces, link targets); :mod:`.cell` reads
the cell itself.
"""

from __future__ import annotations

from extractor.read.typeref.cell import parse_type_cell
from extractor.read.typeref.names import PRIMITIVES, SUBNAMESPACES, qualify

__all__ = ["PRIMITIVES", "SUBNAMESPACES", "parse_type_cell", "qualify"]
