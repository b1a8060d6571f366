"""OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html): a request's
arguments → its response document, as an lxml tree.

All six verbs; ``from``/``until`` in either granularity (the same in both); sets; lists in pages
of ``page_size`` with resumption tokens that carry the request and the repository's state (a
token of a repository that changed since is refused); and every error condition the protocol
names, each in the response with its code. Nothing here knows of HTTP.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .. import __version__
from .repository import FORMATS, Item, Repository

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_LOCATION = OAI_NS + " http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
PAGE_SIZE = 100
_NSMAP: Any = {None: OAI_NS, "xsi": XSI_NS}  # OAI-PMH the default namespace
#: Each verb's arguments: required, optional, exclusive (resumptionToken).
VERBS: dict[str, tuple[frozenset[str], frozenset[str], str | None]] = {
    "Identify": (frozenset(), frozenset(), None),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"}), None),
    "ListSets": (frozenset(), frozenset(), "resumptionToken"),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset(), None),
    "ListIdentifiers": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
    "ListRecords": (
        frozenset({"metadataPrefix"}),
        frozenset({"from", "until", "set"}),
        "resumptionToken",
    ),
}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    """A protocol error: its code and a message for the harvester."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Provider:
    """What answers requests: the repository snapshot and how the provider names itself."""

    repository: Repository
    base_url: str
    name: str = "newspaper-tei archive"
    admin_email: str = "nobody@example.org"
    page_size: int = PAGE_SIZE


def _o(tag: str) -> str:
    return "{" + OAI_NS + "}" + tag


def _add(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, _o(tag))
    if text is not None:
        element.text = text
    return element


def stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def respond(
    provider: Provider, arguments: Sequence[tuple[str, str]], now: dt.datetime
) -> etree._Element:
    """The response document to a request's arguments (name, value), in the order given."""
    root = etree.Element(_o("OAI-PMH"), nsmap=_NSMAP)
    root.set("{" + XSI_NS + "}schemaLocation", OAI_LOCATION)
    _add(root, "responseDate", stamp(now))
    request = _add(root, "request", provider.base_url)
    try:
        args = _checked(arguments)
        for name, value in args.items():  # echoed only for a request with no badVerb/badArgument
            request.set(name, value)
        verb = args.pop("verb")
        root.append(_VERB_BODY[verb](provider, args))
    except OaiError as exc:
        if exc.code in ("badVerb", "badArgument"):
            request.attrib.clear()
        error = _add(root, "error", exc.message)
        error.set("code", exc.code)
    return root


def _checked(arguments: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The arguments by name, checked against the verb's; OaiError badVerb or badArgument."""
    args: dict[str, str] = {}
    repeated = []
    for name, value in arguments:
        if name in args:
            repeated.append(name)
        args[name] = value
    verb = args.get("verb")
    if verb is None or "verb" in repeated or verb not in VERBS:
        what = "no verb" if verb is None else f"verb {verb!r} is not an OAI-PMH verb"
        raise OaiError("badVerb", "repeated verb" if "verb" in repeated else what)
    if repeated:
        raise OaiError("badArgument", f"repeated argument: {', '.join(sorted(set(repeated)))}")
    required, optional, exclusive = VERBS[verb]
    given = set(args) - {"verb"}
    if exclusive is not None and exclusive in given:
        if given != {exclusive}:
            raise OaiError("badArgument", f"{exclusive} is exclusive: no other argument with it")
        return args
    illegal = given - required - optional
    if illegal:
        raise OaiError("badArgument", f"{verb} takes no argument {', '.join(sorted(illegal))}")
    missing = required - given
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(sorted(missing))}")
    return args


# --- verbs -----------------------------------------------------------------------------------


def _identify(provider: Provider, _args: dict[str, str]) -> etree._Element:
    body = etree.Element(_o("Identify"))
    _add(body, "repositoryName", provider.name)
    _add(body, "baseURL", provider.base_url)
    _add(body, "protocolVersion", "2.0")
    _add(body, "adminEmail", provider.admin_email)
    _add(body, "earliestDatestamp", stamp(provider.repository.earliest))
    _add(body, "deletedRecord", "no")
    _add(body, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    description = _add(body, "description")
    # A description in a namespace of its own: Identify's schema takes any such element.
    about = etree.SubElement(description, "{urn:newspaper-tei}provider")
    about.text = f"newspaper-tei {__version__}"
    return body


def _list_metadata_formats(provider: Provider, args: dict[str, str]) -> etree._Element:
    prefixes = list(FORMATS)
    if "identifier" in args:
        prefixes = [p for p in prefixes if p in _item(provider, args["identifier"]).files]
    body = etree.Element(_o("ListMetadataFormats"))
    for prefix in prefixes:
        _, schema, namespace = FORMATS[prefix]
        entry = _add(body, "metadataFormat")
        _add(entry, "metadataPrefix", prefix)
        _add(entry, "schema", schema)
        _add(entry, "metadataNamespace", namespace)
    return body


def _list_sets(provider: Provider, args: dict[str, str]) -> etree._Element:
    if "resumptionToken" in args:
        raise OaiError("badResumptionToken", "the set list is never split: no token is valid")
    body = etree.Element(_o("ListSets"))
    for spec, name in provider.repository.sets.items():
        entry = _add(body, "set")
        _add(entry, "setSpec", spec)
        _add(entry, "setName", name)
    return body


def _get_record(provider: Provider, args: dict[str, str]) -> etree._Element:
    prefix = args["metadataPrefix"]
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"no metadata format {prefix!r}")
    item = _item(provider, args["identifier"])
    if prefix not in item.files:
        raise OaiError("cannotDisseminateFormat", f"the item has no {prefix} record")
    body = etree.Element(_o("GetRecord"))
    body.append(_record(item, prefix))
    return body


def _list_identifiers(provider: Provider, args: dict[str, str]) -> etree._Element:
    return _list(provider, args, "ListIdentifiers")


def _list_records(provider: Provider, args: dict[str, str]) -> etree._Element:
    return _list(provider, args, "ListRecords")


def _list(provider: Provider, args: dict[str, str], verb: str) -> etree._Element:
    """A page of ListIdentifiers or ListRecords, with a resumption token when it is split."""
    repository = provider.repository
    if "resumptionToken" in args:
        offset, args = _read_token(args["resumptionToken"], verb, repository.state)
    else:
        offset = 0
    prefix = args["metadataPrefix"]
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"no metadata format {prefix!r}")
    start, end = _range(args.get("from"), args.get("until"))
    wanted = args.get("set")
    matches = [
        item
        for item in repository.items
        if prefix in item.files
        and (start is None or item.datestamp >= start)
        and (end is None or item.datestamp <= end)
        and (wanted is None or any(s == wanted or s.startswith(wanted + ":") for s in item.sets))
    ]
    if not matches:
        raise OaiError("noRecordsMatch", "no record matches the request")
    if offset >= len(matches):
        raise OaiError("badResumptionToken", "the token points past the list")
    body = etree.Element(_o(verb))
    page = matches[offset : offset + provider.page_size]
    for item in page:
        body.append(_header(item) if verb == "ListIdentifiers" else _record(item, prefix))
    if offset > 0 or len(matches) > len(page):
        token = _add(body, "resumptionToken")
        token.set("completeListSize", str(len(matches)))
        token.set("cursor", str(offset))
        following = offset + len(page)
        if following < len(matches):
            token.text = _make_token(verb, args, following, repository.state)
    return body


_VERB_BODY = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list_identifiers,
    "ListRecords": _list_records,
}


# --- parts -----------------------------------------------------------------------------------


def _item(provider: Provider, identifier: str) -> Item:
    item = provider.repository.by_id.get(identifier)
    if item is None:
        raise OaiError("idDoesNotExist", f"no item {identifier!r} in this repository")
    return item


def _header(item: Item) -> etree._Element:
    header = etree.Element(_o("header"))
    _add(header, "identifier", item.identifier)
    _add(header, "datestamp", stamp(item.datestamp))
    for spec in item.sets:
        _add(header, "setSpec", spec)
    return header


def _record(item: Item, prefix: str) -> etree._Element:
    record = etree.Element(_o("record"))
    record.append(_header(item))
    metadata = _add(record, "metadata")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True)
    try:
        metadata.append(etree.parse(str(item.files[prefix]), parser).getroot())
    except (OSError, etree.XMLSyntaxError) as exc:
        # The archive changed under the provider: the harvester may try again later.
        raise OaiError("idDoesNotExist", f"the {prefix} record cannot be read: {exc}") from None
    return record


def _range(start: str | None, end: str | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """The ``from``/``until`` bounds as instants (a day: from its first or to its last
    second); badArgument for another format, two granularities, or from after until."""
    first = _moment(start, "from", False) if start is not None else None
    last = _moment(end, "until", True) if end is not None else None
    if start is not None and end is not None and len(start) != len(end):
        raise OaiError("badArgument", "from and until have different granularities")
    if first is not None and last is not None and first > last:
        raise OaiError("badArgument", "from is after until")
    return first, last


def _moment(value: str, name: str, end_of_day: bool) -> dt.datetime:
    try:
        if _DAY.match(value):
            day = dt.datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=dt.UTC)
            return day + dt.timedelta(days=1, seconds=-1) if end_of_day else day
        if _SECOND.match(value):
            return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        pass
    raise OaiError("badArgument", f"{name} {value!r} is not YYYY-MM-DD nor YYYY-MM-DDThh:mm:ssZ")


def _make_token(verb: str, args: dict[str, str], offset: int, state: str) -> str:
    names = ("metadataPrefix", "from", "until", "set")
    kept = {k: v for k, v in sorted(args.items()) if k in names}
    payload = json.dumps([verb, offset, state, kept], separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _read_token(token: str, verb: str, state: str) -> tuple[int, dict[str, str]]:
    """The offset and arguments a token carries; badResumptionToken for a token this
    provider did not give for this verb, or gave before the repository changed."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        made_for, offset, made_in, args = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise OaiError("badResumptionToken", "not a resumption token of this provider") from None
    if (
        made_for != verb
        or not isinstance(offset, int)
        or offset < 1
        or not isinstance(args, dict)
        or not all(isinstance(v, str) for v in args.values())
        or "metadataPrefix" not in args
    ):
        raise OaiError("badResumptionToken", f"not a resumption token of {verb}")
    if made_in != state:
        raise OaiError("badResumptionToken", "the archive changed since the token was given")
    return offset, {str(k): v for k, v in args.items()}
