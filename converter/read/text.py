"""Read stage: bytes of one OCR page → decoded, normalised, numbered lines.

Decoding is strict (nothing is silently dropped); line endings CRLF, CR and LF all end a line;
characters that XML 1.0 forbids (§2.2 Char) are replaced by U+FFFD and each replacement is
reported with its line, so the rest of the pipeline only ever sees characters it may write.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence

from ..diagnostics import Diagnostics
from ..errors import DecodeError
from ..model import Line, Text

#: The source model a reader produces lives in :mod:`converter.model`; it is named here too.
__all__ = ["REPLACEMENT", "Line", "Text", "decode", "encoding_script", "split_lines"]

#: Line ends: CRLF, CR, LF. Other Unicode separators (U+2028, U+0085) stay inside lines.
_LINE_END = re.compile(r"\r\n|\r|\n")
#: Characters outside XML 1.0 Char: C0 controls but TAB/LF/CR, surrogates, U+FFFE, U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
REPLACEMENT = "\ufffd"
#: Bytes below 0x20 that plain text does not hold (all but TAB, LF, FF, CR).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0C, 0x0D))

#: Leading bytes of binary formats a user might pass by mistake, with a name for the message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
)
#: bzip2: "BZh", the block size 1-9, then the block magic (π in BCD); "BZh" alone is text.
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


#: Encodings that hold one script of a language only, by Python's codec name: its ISO 15924
#: code, the script subtag of a BCP 47 tag (Big5 and its variants hold Traditional Chinese).
_ENCODING_SCRIPTS = {"big5": "Hant", "big5hkscs": "Hant", "cp950": "Hant"}


def encoding_script(encoding: str) -> str | None:
    """The script (ISO 15924: ``Hant``) that text in ``encoding`` is written in, where the
    encoding holds one script only; None for every other encoding."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    return _ENCODING_SCRIPTS.get(name)


def decode(
    data: bytes, name: str, encoding: str | None = None, candidates: Sequence[str] = ()
) -> Text:
    """Decode bytes into numbered lines (see module docstring).

    ``candidates`` are the legacy encodings (e.g. gb18030, big5) to detect among when the
    bytes are not UTF-8 and no BOM or ``encoding`` says otherwise.
    """
    diagnostics = Diagnostics()
    text, used = _decode(data, name, encoding, candidates, diagnostics)
    lines = split_lines(text, diagnostics)
    return Text(name=name, encoding=used, lines=lines, diagnostics=diagnostics.frozen())


def split_lines(text: str, diagnostics: Diagnostics) -> tuple[Line, ...]:
    """Split on CRLF/CR/LF and replace XML-illegal characters, reporting each line touched."""
    # A page with LF line ends only is split by the string method; CR is looked for once.
    parts = _LINE_END.split(text) if "\r" in text else text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()  # a final line end does not start another line
    if not _XML_ILLEGAL.search(text):
        # Looked for once in the whole page: most pages have none, and then no line is touched.
        return tuple([Line(number, raw) for number, raw in enumerate(parts, start=1)])
    lines = []
    for number, raw in enumerate(parts, start=1):
        clean = raw
        if _XML_ILLEGAL.search(raw):
            found = sorted({f"U+{ord(c):04X}" for c in _XML_ILLEGAL.findall(raw)})
            clean = _XML_ILLEGAL.sub(REPLACEMENT, raw)
            diagnostics.warn(
                "char.replaced",
                number,
                f"replaced characters not allowed in XML ({', '.join(found)}) by U+FFFD",
            )
        lines.append(Line(number, clean))
    return tuple(lines)


def _decode(
    data: bytes,
    name: str,
    encoding: str | None,
    candidates: Sequence[str],
    diagnostics: Diagnostics,
) -> tuple[str, str]:
    if encoding is not None:
        try:
            info = codecs.lookup(encoding)
        except LookupError:
            raise DecodeError(
                f"unknown encoding {encoding!r} given with --encoding", path=name
            ) from None
        codec = info.name
        if not getattr(info, "_is_text_encoding", True):
            raise DecodeError(
                f"{encoding!r} given with --encoding is not a text encoding", path=name
            )
        # UTF-16/32 may carry lone surrogates: decode them, the XML check replaces them.
        errors = "surrogatepass" if codec.startswith("utf-") else "strict"
        try:
            return data.decode(codec, errors=errors), codec
        except UnicodeDecodeError as exc:
            raise DecodeError(
                f"byte 0x{data[exc.start]:02X} at offset {exc.start} is not valid {codec}",
                path=name,
            ) from None
        except (UnicodeError, LookupError, ValueError, TypeError) as exc:
            raise DecodeError(f"cannot decode with {encoding!r}: {exc}", path=name) from None
    failure: UnicodeDecodeError | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec, errors="surrogatepass"), codecs.lookup(codec).name
            except UnicodeDecodeError as exc:
                # FF FE 00 00 is the UTF-32 LE mark, or the UTF-16 LE mark before U+0000:
                # try the next mark that fits before giving up.
                failure = failure or exc
                failed_codec = codec
                continue
    if failure is not None:
        offset = failure.start + (len(codecs.BOM_UTF8) if failed_codec == "utf-8-sig" else 0)
        raise DecodeError(
            f"byte 0x{data[offset]:02X} at offset {offset} is not valid {failed_codec} "
            "(the file starts with its byte order mark)",
            path=name,
        )
    kind = _magic_kind(data)
    if kind is not None:
        raise DecodeError(f"looks like {kind}, not OCR text", path=name)
    wide = _utf16_without_bom(data)
    if wide is not None:
        diagnostics.info(
            "encoding.detected",
            None,
            f"no byte order mark; decoded as {wide}: line ends and Latin characters stand "
            "as UTF-16 code units",
        )
        return data.decode(wide, errors="surrogatepass"), wide
    kind = _binary_kind(data)
    if kind is not None:
        raise DecodeError(f"looks like {kind}, not OCR text", path=name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc.start
    try:
        # UTF-8 whose only flaw is encoded surrogates: decode them, the XML check replaces them.
        return data.decode("utf-8", errors="surrogatepass"), "utf-8"
    except UnicodeDecodeError:
        pass
    detected = _detect(data, candidates)
    if detected is not None:
        diagnostics.info(
            "encoding.detected",
            None,
            f"not UTF-8 (byte offset {first_error}); decoded as {detected}, detected among "
            f"{', '.join(candidates)}",
        )
        return data.decode(detected), detected
    decodes = [c for c in candidates if _decodes(data, c)]
    raise DecodeError(
        f"byte 0x{data[first_error]:02X} at offset {first_error} is not valid UTF-8"
        + _not_candidates(candidates, decodes)
        + f"; give the file's encoding with --encoding ({_hint(data, candidates, decodes)})",
        path=name,
    )


def _not_candidates(candidates: Sequence[str], decodes: Sequence[str]) -> str:
    """What the message says of the legacy encodings tried: those the bytes are not valid in,
    and those they decode in without reading as text."""
    parts = []
    invalid = [c for c in candidates if c not in decodes]
    if invalid:
        parts.append(f" nor {' or '.join(invalid)}")
    if decodes:
        parts.append(f", and does not read as text in {' or '.join(decodes)}")
    return "".join(parts)


def _hint(data: bytes, candidates: Sequence[str], decodes: Sequence[str]) -> str:
    """An example of ``--encoding`` that fits what the bytes look like: UTF-16 where zero
    bytes stand among them (text in no other encoding has them), else a legacy encoding."""
    if b"\x00" in data:
        return "e.g. --encoding utf-16-le or utf-16-be"
    example = next(iter(decodes), None) or next(iter(candidates), None) or "latin-1"
    return f"e.g. --encoding {example}"


def _detect(data: bytes, candidates: Sequence[str]) -> str | None:
    """The legacy encoding the bytes are in, among ``candidates``, or None.

    charset-normalizer decodes with each candidate and keeps the ones that read as text
    (few unlikely character sequences); a file with broken bytes matches none. It needs some
    text to judge: for a page shorter than :data:`SHORT` bytes, or where it finds nothing,
    the candidate whose reading is most like text (:func:`_reading_score`; of equals, the
    first) is taken, if it reads as text at all.
    """
    if not candidates:
        return None
    if len(data) >= SHORT:
        from charset_normalizer import from_bytes

        best = from_bytes(data, cp_isolation=list(candidates)).best()
        if best is not None:
            name = codecs.lookup(best.encoding).name
            return name if _decodes(data, name) else None
    scored = []
    for order, candidate in enumerate(candidates):
        name = codecs.lookup(candidate).name
        if not _decodes(data, name):
            continue
        # A sample is enough to judge, and keeps a large page that fits no candidate (a
        # UTF-8 file with a broken byte) from being read character by character.
        reading = data.decode(name)[:SAMPLE]
        share, score = _reading_score(reading, name)
        if share >= TEXT_SHARE:
            # Of readings alike, the one of letters (»O¥_ is Big5 臺北 read as cp1252).
            letters = sum(1 for c in reading if c.isalpha()) / max(1, len(reading))
            scored.append((-score, -letters, order, name))
    return min(scored)[-1] if scored else None


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


#: Below this many bytes charset-normalizer's judgement is a guess (a few characters read
#: as well in GB 18030 as in Big5 by its measures): the readings are compared instead.
SHORT = 256
#: The characters of a reading that are judged.
SAMPLE = 65_536
#: The share of a reading's characters beyond ASCII that must be like text (letters of one
#: script, punctuation) for a legacy encoding to be taken without charset-normalizer's word.
TEXT_SHARE = 0.9
#: Encodings that also hold characters a page in them rarely has, where bytes of another
#: encoding often land: GB 18030 read from Big5 bytes gives GBK's rare ideographs (Big5's
#: second bytes 0x40-0x7E are GB 2312's never) and GB 2312's rows of kana, Greek, Cyrillic,
#: pinyin and box drawing (first bytes 0xA4-0xA9, where Big5's common ideographs begin).
#: The common repertoire: GB 2312's punctuation and full-width forms (first bytes 0xA1-0xA3)
#: and its ideographs (0xB0 on).
_COMMON_GB = ("gb18030", "gbk")


def _common(char: str, encoding: str) -> bool:
    """Whether a character is in the common repertoire of ``encoding`` (see _COMMON_GB);
    every character is, for encodings without a rarer part."""
    if encoding not in _COMMON_GB:
        return True
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 1 or 0xA1 <= encoded[0] <= 0xA3 or encoded[0] >= 0xB0


#: Non-letters that stand in text of any script: punctuation, spaces, numbers (①),
#: currency and the like.
_TEXT_CATEGORIES = frozenset(
    {"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Zs", "Nd", "No", "Sc", "So"}
)


def _reading_score(text: str, encoding: str) -> tuple[float, float]:
    """How much a decoding reads as text: (the share of its characters beyond ASCII that are
    punctuation or letters of its main script, the same share with letters outside the
    encoding's common repertoire (:func:`_common`) counted half).

    Bytes read in the wrong legacy encoding give letters of several scripts (ideographs
    mixed with kana, Greek, Cyrillic), private-use characters and symbols.
    """
    import unicodedata

    beyond = [c for c in text if ord(c) > 0x7F]
    if not beyond:
        return 1.0, 1.0
    scripts: dict[str, int] = {}
    letters: list[tuple[str, str]] = []
    fitting = 0
    for char in beyond:
        category = unicodedata.category(char)
        if category.startswith("L"):
            script = unicodedata.name(char, "?").split(" ", 1)[0]
            scripts[script] = scripts.get(script, 0) + 1
            letters.append((char, script))
        elif category in _TEXT_CATEGORIES:
            fitting += 1
    main = max(scripts, key=lambda k: scripts[k]) if scripts else None
    ascii_letters = sum(1 for c in text if c.isascii() and c.isalpha())
    if main == "LATIN" and 3 * scripts[main] > ascii_letters + scripts[main]:
        # Latin text is mostly ASCII letters with a few accented ones (at most a third);
        # more are bytes of another script read one by one (GB 18030 中国 as ÖÐ¹ú).
        return 0.0, 0.0
    outside = 0
    for char, script in letters:
        if script != main:
            continue
        fitting += 1
        if not _common(char, encoding):
            outside += 1
    share = fitting / len(beyond)
    return share, share - outside / (2 * len(beyond))


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the bytes are UTF-16 without a byte order mark.

    Text in UTF-16 has zero bytes in one position of its code units (the high byte of every
    line end, space, digit and Latin letter), and in the other only where a character's low
    byte is zero (a few ideographs); no other text encoding has zero bytes. It must then
    decode in that order and read as text: no control characters but tab and line ends, no
    unassigned or private-use code points. Text that is also valid UTF-8 (ASCII and zero
    bytes) is taken as UTF-16 only when a quarter of its code units have a zero byte, as
    Latin text in UTF-16 has half.
    """
    if len(data) < 2 or len(data) % 2 or b"\x00" not in data:
        return None
    high_odd = data[1::2].count(0)
    high_even = data[0::2].count(0)
    # A code unit whose low byte is zero is rare (U+5F00 开): a few such zeros are allowed.
    if high_odd > 4 * high_even:
        codec, zeros = "utf-16-le", high_odd
    elif high_even > 4 * high_odd:
        codec, zeros = "utf-16-be", high_even
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if _UNLIKE_TEXT.search(text):
        return None
    if _decodes(data, "utf-8") and zeros * 4 < len(data) // 2:
        return None
    import unicodedata

    if any(unicodedata.category(c) in ("Cn", "Co") for c in text[:SAMPLE]):
        return None
    return codec


#: In a decoded page: control characters but tab, line feed, form feed and carriage return.
_UNLIKE_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _magic_kind(data: bytes) -> str | None:
    """What a file is by its first bytes (a PDF, an image, an archive), or None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if _BZIP2.match(data):
        return "a bzip2 archive"
    return None


def _binary_kind(data: bytes) -> str | None:
    kind = _magic_kind(data)
    if kind is not None:
        return kind
    head = data[:8192]
    if len(head) >= 32:
        # Text with a stray control character is text (it is replaced and reported); a file
        # in which a third of the bytes are controls is not.
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if controls * 3 > len(head):
            return "a binary file"
    return None
