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
__all__ = ["REPLACEMENT", "Line", "Text", "decode", "split_lines"]

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
    raise DecodeError(
        f"byte 0x{data[first_error]:02X} at offset {first_error} is not valid UTF-8"
        + (f" nor {' or '.join(candidates)}" if candidates else "")
        + "; give the file's encoding with --encoding (e.g. --encoding gb18030)",
        path=name,
    )


def _detect(data: bytes, candidates: Sequence[str]) -> str | None:
    """The legacy encoding the bytes are in, among ``candidates``, or None.

    charset-normalizer decodes with each candidate and keeps the ones that read as text
    (few unlikely character sequences); a file with broken bytes matches none.
    """
    if not candidates:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(candidates)).best()
    if best is None:
        return None
    name = codecs.lookup(best.encoding).name
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if _BZIP2.match(data):
        return "a bzip2 archive"
    head = data[:8192]
    if len(head) >= 32:
        # Text with a stray control character is text (it is replaced and reported); a file
        # in which a third of the bytes are controls is not.
        controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
        if controls * 3 > len(head):
            return "a binary file"
    return None
