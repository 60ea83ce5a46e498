"""Reading one type cell: normalize the markdown, cut it into tokens in one linear scan,
and parse those with a small recursive descent into a :class:`~extractor.schema.TypeRef`."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from extractor.read.typeref.names import (
    JSON_NAMES,
    NAME_RE,
    PRIMITIVES,
    link_namespace,
    name_from_target,
    qualify,
)
from extractor.schema import TypeRef

_NO_TYPE = frozenset({"none", "n/a", "na", "-", "--", "—", "–", "null", "void", "nothing"})
_COLLECTION_WORDS = frozenset({"collection", "array"})  # not "list": a Graph type
_SEP_WORDS = frozenset({"or", "and"})
_QUALIFIER_WORDS = frozenset(
    {"optional", "required", "nullable", "readonly", "read-only", "untyped"}
)
_SUFFIX_WORDS = frozenset({"enum", "enumeration", "resource", "object", "type"})
_NOTE_WORDS = _QUALIFIER_WORDS | _SUFFIX_WORDS
_MAX_ANNOTATION_WORDS = 5

# Localized words seen in type cells of pages without English; read, then reported.
_LOCALIZED: dict[str, str] = {
    "字符串": " String ",
    "双精度": " Double ",
    "布尔值": " Boolean ",
    "布尔": " Boolean ",
    "持续时间": " Duration ",
    "期限": " Duration ",
    "日期时间": " DateTimeOffset ",
    "整数": " Int32 ",
    "集合": " collection ",
    "或": " or ",
    "、": ", ",
    "无": " None ",
    "Строка": " String ",
    "строка": " String ",
    "Логический": " Boolean ",
    "Логическое": " Boolean ",
    "Коллекция": " collection ",
    "коллекция": " collection ",
    "или": " or ",
    "Cadeia de caracteres": " String ",
    "cadeia de caracteres": " String ",
    "Booliano": " Boolean ",
    "Booleano": " Boolean ",
    "Coleção de": " collection of ",
    "coleção de": " collection of ",
    "Coleção": " collection ",
    "coleção": " collection ",
}
_LOCALIZED_RE = re.compile("|".join(re.escape(k) for k in sorted(_LOCALIZED, key=len)[::-1]))

_TAG_RE = re.compile(
    r"<\s*(?:/\s*)?(?:br|b|i|em|strong|code|p|ul|ol|li|span|sup|sub|div|a)\b[^<>]*>", re.IGNORECASE
)
_MD_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_IDENT_RE = re.compile(r"[A-Za-z_#@][A-Za-z0-9_\-]*(?:\.[A-Za-z_][A-Za-z0-9_\-]*)*")
_FULLWIDTH_DOT_RE = re.compile(r"(?<=[A-Za-z0-9_])\s*[。．]\s*(?=[A-Za-z_])")
_PUNCT = "()<>,|/;:"

# --- tokens --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tok:
    kind: str  # "word", "link", "punct", "other"
    text: str
    target: str | None = None
    ref: bool = False  # reference-style or bare [x]: target is elsewhere on the page


def _normalize(cell: str) -> str:
    """Markdown and HTML residue out, so only words, links and punctuation remain."""
    s = html.unescape(cell)
    if "<" in s:
        s = _TAG_RE.sub(" ; ", s)
    if "\\" in s:
        s = _MD_ESCAPE_RE.sub(r"\1", s)
    s = s.replace("`", " ").replace("*", "").replace("\u00a0", " ")
    if "。" in s or "．" in s:
        s = _FULLWIDTH_DOT_RE.sub(".", s)
    return s


def _closing_positions(s: str, ch: str) -> list[int]:
    """For each index, the next index of ``ch`` at or after it (len(s) when none)."""
    nxt = [len(s)] * (len(s) + 1)
    for k in range(len(s) - 1, -1, -1):
        nxt[k] = k if s[k] == ch else nxt[k + 1]
    return nxt


def _tokenize(s: str) -> list[_Tok]:
    """One pass over the cell; links become single tokens (text, target)."""
    toks: list[_Tok] = []
    next_bracket = _closing_positions(s, "]")
    next_paren = _closing_positions(s, ")")
    i, n = 0, len(s)
    while i < n:
        ch = s[i]
        if ch.isspace():
            i += 1
        elif ch == "[":
            close = next_bracket[i + 1]
            if close >= n:
                toks.append(_Tok("other", "["))
                i += 1
                continue
            text = s[i + 1 : close].strip()
            j = close + 1
            if not text:  # "String[]" or a stray "[]"
                toks.append(_Tok("word", "collection"))
                i = j
                continue
            if j < n and s[j] == "(":
                end = next_paren[j + 1]
                target = s[j + 1 : min(end, n)].strip()
                target = target.split()[0] if target.split() else ""  # drop a link title
                toks.append(_Tok("link", text, target=target or None))
                i = min(end, n - 1) + 1
            elif j < n and s[j] == "[":
                end = next_bracket[j + 1]
                toks.append(_Tok("link", text, ref=True))
                i = min(end, n - 1) + 1
            else:
                toks.append(_Tok("link", text, ref=True))
                i = j
        elif ch in _PUNCT:
            toks.append(_Tok("punct", ch))
            i += 1
        else:
            m = _IDENT_RE.match(s, i)
            if m:
                toks.append(_Tok("word", m.group(0)))
                i = m.end()
            else:
                j = i + 1
                while j < n and not (s[j].isspace() or s[j] in _PUNCT or s[j] in "[]"):
                    if s[j].isascii() and (s[j].isalpha() or s[j] == "_"):
                        break
                    j += 1
                toks.append(_Tok("other", s[i:j]))
                i = j
    return toks


# --- parser --------------------------------------------------------------------------


@dataclass
class _Item:
    name: str
    target: str | None = None
    ref: bool = False
    link: bool = False
    collection: bool = False


@dataclass
class _Parser:
    """Recursive descent over tokens: alternatives of items, each maybe a collection."""

    toks: list[_Tok]
    pos: int = 0
    notes: list[str] = field(default_factory=list)

    def peek(self, k: int = 0) -> _Tok | None:
        j = self.pos + k
        return self.toks[j] if j < len(self.toks) else None

    def at_word(self, words: frozenset[str], k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "word" and t.text.lower() in words

    def at_punct(self, chars: str, k: int = 0) -> bool:
        t = self.peek(k)
        return t is not None and t.kind == "punct" and t.text in chars

    def skip_qualifiers(self) -> None:
        """``(optional)``, ``Nullable``, ``read-only`` and friends, before or after a type."""
        while True:
            nxt = self.peek(1)
            if (
                self.at_word(_QUALIFIER_WORDS)
                and nxt is not None
                and nxt.kind in ("word", "link")
                and nxt.text.lower() not in _COLLECTION_WORDS
            ):
                self.pos += 1  # "Untyped JSON", "Nullable String"; a lone "untyped" stays
            elif self.at_punct("(") and self.at_word(_QUALIFIER_WORDS, 1) and self.at_punct(")", 2):
                self.pos += 3
            else:
                return

    def alternatives(self, depth: int = 0) -> list[_Item]:
        """``X``, ``X or Y``, ``X, Y or Z``, ``X | Y``, ``X/Y``; stops before anything else."""
        items = self.item(depth)
        if not items:
            return []
        while True:
            save = self.pos
            if self.at_word(_SEP_WORDS) or self.at_punct("|/"):
                self.pos += 1
            elif self.at_punct(","):
                self.pos += 1
                if self.at_word(_SEP_WORDS):
                    self.pos += 1
            else:
                return items
            nxt = self.item(depth)
            note = len(nxt) == 1 and not nxt[0].link and nxt[0].name.lower() in _NOTE_WORDS
            if not nxt or note or not self._ends_item():
                self.pos = save  # ", maximum size 20" is a note, not an alternative
                return items
            items.extend(nxt)

    def _ends_item(self) -> bool:
        t = self.peek()
        return t is None or (t.kind == "punct" and t.text in ",|/);>") or self.at_word(_SEP_WORDS)

    def item(self, depth: int) -> list[_Item]:
        """One type, or a group: ``Collection(X)``, ``Collection<X>``, ``(X or Y)``."""
        if depth > 20:
            return []
        self.skip_qualifiers()
        t = self.peek()
        if t is None:
            return []
        if self.at_word(_COLLECTION_WORDS) and self.at_word(frozenset({"of"}), 1):
            self.pos += 2  # "Collection of String"
            items = self.item(depth + 1)
            for it in items:
                it.collection = True
            return items
        if t.kind == "word" and t.text.lower() in _COLLECTION_WORDS and self.at_punct("(<", 1):
            close = ")" if self.at_punct("(", 1) else ">"
            save = self.pos
            self.pos += 2
            inner = self.alternatives(depth + 1)
            if not inner or not self.at_punct(close):
                self.pos = save
                return []
            self.pos += 1
            for it in inner:
                it.collection = True
            items = inner
        elif t.kind == "punct" and t.text == "(":
            save = self.pos
            self.pos += 1
            inner = self.alternatives(depth + 1)
            if not inner or not self.at_punct(")"):
                self.pos = save
                return []
            self.pos += 1
            items = inner
        elif t.kind == "link":
            self.pos += 1
            items = [self._link_item(t)]
        elif t.kind == "word":
            self.pos += 1
            items = [_Item(name=t.text)]
        else:
            return []
        if self._collection_suffix():
            for it in items:
                it.collection = True
        return items

    def _collection_suffix(self) -> bool:
        """Trailing ``collection`` (also repeated), skipping ``enum``/``resource`` words."""
        found = False
        while True:
            if self.at_word(_SUFFIX_WORDS):
                self.pos += 1
            elif self.at_word(_COLLECTION_WORDS):
                self.pos += 1
                found = True
            else:
                return found

    def _link_item(self, t: _Tok) -> _Item:
        inner = _tokenize(t.text)
        words = [x for x in inner if x.kind == "word"]
        coll = any(w.text.lower() in _COLLECTION_WORDS for w in words[1:])
        names = [w for w in words if w.text.lower() not in _COLLECTION_WORDS]
        if len(names) == 1 and len(words) == len(inner):
            return _Item(names[0].text, t.target, t.ref, link=True, collection=coll)
        self.notes.append("link-text")
        guessed = name_from_target(t.target)
        name = guessed or (names[0].text if names else t.text)
        return _Item(name, t.target, t.ref, link=True, collection=coll)


# --- the cell ------------------------------------------------------------------------


def _resolve(item: _Item, namespace: str) -> tuple[str | None, str | None]:
    """The qualified name of an item, and a problem when the name is unusable."""
    name = item.name.strip()
    low = name.lower().lstrip("#")
    if low in PRIMITIVES or low in JSON_NAMES:
        return qualify(name, namespace), None
    if low.startswith("edm."):
        q = qualify(name, namespace)
        if low[4:] not in PRIMITIVES:
            return q, f"unknown primitive: {name!r}"
        return q, None
    if not NAME_RE.fullmatch(name):
        return None, f"not a type: {name!r}"
    if item.link and "." not in name:
        ns = link_namespace(item.target) if not item.ref else None
        return qualify(name, ns or namespace), None
    return qualify(name, namespace), None


def _annotation_ok(toks: list[_Tok]) -> bool:
    """Whether leftover tokens are a short note (``, maximum size 20``, ``(url)``)."""
    words = [t for t in toks if t.kind != "punct"]
    if len(words) > _MAX_ANNOTATION_WORDS:
        return False
    if any(t.kind == "link" or (t.kind == "other" and not t.text.isdigit()) for t in words):
        return False
    first = toks[0]
    if first.kind == "punct" and first.text == "(":
        return toks[-1].kind == "punct" and toks[-1].text == ")"
    if first.kind == "punct" and first.text in ",;:":
        return True
    return all(t.kind == "word" and t.text.lower() in _NOTE_WORDS for t in words)


def _has_foreign_letters(text: str) -> bool:
    """Letters of another script, or the CJK punctuation machine translation leaves."""
    return any(not ch.isascii() and (ch.isalpha() or ch in "。．、，") for ch in text)


def parse_type_cell(cell: str, namespace: str = "microsoft.graph") -> tuple[TypeRef, str | None]:
    """The cell's type and, when it is not a clean type, a problem message for a diagnostic."""
    raw = cell.strip()
    problems: list[str] = []
    text = _normalize(raw)
    if _has_foreign_letters(raw):
        translated = _LOCALIZED_RE.sub(lambda m: _LOCALIZED[m.group(0)], text)
        problems.append(f"localized type cell: {raw[:80]!r}")
        text = translated
    stripped = text.strip().strip(".;").strip()
    if not stripped:
        msg = "empty type cell" if not raw else f"no type: {raw[:80]!r}"
        return TypeRef(raw=raw), "; ".join([*problems, msg]) if problems else msg
    if stripped.lower() in _NO_TYPE:
        return TypeRef(raw=raw), "; ".join([*problems, f"no type: {raw[:80]!r}"])

    parser = _Parser(_tokenize(stripped))
    items = parser.alternatives()
    parser.skip_qualifiers()
    rest = parser.toks[parser.pos :]
    while rest and rest[-1].kind == "punct" and rest[-1].text in ".;:,":
        rest.pop()

    if not items:
        return TypeRef(raw=raw), "; ".join([*problems, f"not a type: {raw[:80]!r}"])

    resolved: list[str] = []
    for it in items:
        q, problem = _resolve(it, namespace)
        if problem:
            problems.append(problem)
        if q and q not in resolved:
            resolved.append(q)
    main = items[0]
    prose = bool(rest) and not _annotation_ok(rest)
    if prose and not main.link and "." not in main.name and main.name.lower() not in PRIMITIVES:
        # "Moment in time when ...", "Not supported.": a sentence, not a type
        return TypeRef(raw=raw), "; ".join([*problems, f"not a type: {raw[:80]!r}"])
    if prose:
        problems.append(f"extra text in type cell: {raw[:80]!r}")
    if "link-text" in parser.notes and not problems:
        problems.append(f"link text is no type name: {raw[:80]!r}")
    if len(resolved) > 1:
        problems.append(f"ambiguous type: {raw[:80]!r}")
    ref = TypeRef(
        type=resolved[0] if resolved else None,
        collection=any(it.collection for it in items),
        alternatives=resolved if len(resolved) > 1 else [],
        raw=raw,
    )
    return ref, "; ".join(problems) if problems else None
