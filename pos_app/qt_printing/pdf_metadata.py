"""PDF writers with fixed metadata, so that rendering the same receipt twice gives the same bytes.

What Qt 6 puts in a PDF that changes from run to run, and what is done about each:

* the document id (``/ID`` in the trailer, ``xmpMM:DocumentID``): a random UUID unless
  ``QPdfWriter.setDocumentId`` is given one (Qt ≥ 6.8) — we give one derived from the document's identity;
* the XMP metadata packet with the creation time: replaced by our own packet (``setDocumentXmpMetadata``) that
  carries the document's own time (a receipt's: when the operation happened);
* ``/CreationDate`` and ``/ModDate`` in the info dictionary: Qt always writes the current time and has no setter,
  so :func:`fix_info_dates` overwrites them in the finished bytes with the document's time, *in exactly as many
  bytes* (the cross-reference table holds byte offsets, which must stay valid).

* the order in which the embedded fonts are written: Qt keeps them in a QHash, whose iteration order depends on
  a per-process random seed. :func:`deterministic_hashes` sets Qt's deterministic seed while a receipt's writer
  exists (a QHash takes its seed when it is made) and restores the random one after; hash flooding is no risk
  for a PDF of our own text.

Nothing else differs (the font subsets' names and contents are deterministic). A card sheet is written
straight to a file and keeps Qt's creation date (patching a 100 MB file is not worth it); its id is fixed.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from PySide6.QtCore import QByteArray, QHashSeed, QIODevice, QMarginsF, QUuid
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

CREATOR = "pos_app"
RESOLUTION = 1200  # device units per inch: coordinates are floats anyway; this only sets the grid of rounding
_INFO_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})(Z|[+-]\d{2}'\d{2}')\)")


@contextmanager
def deterministic_hashes() -> Iterator[None]:
    """Qt hashes made inside iterate in the same order in every process (see the module's docstring)."""
    QHashSeed.setDeterministicGlobalSeed()
    try:
        yield
    finally:
        QHashSeed.resetRandomGlobalSeed()


def mm(value: float) -> float:
    """Millimetres in the writer's device units."""
    return value * RESOLUTION / 25.4


def pdf_writer(target: QIODevice | str, *, title: str, page: QPageSize, when: datetime,
               document_id: uuid.UUID) -> QPdfWriter:
    """A QPdfWriter at :data:`RESOLUTION` with no page margins (the layout has its own), fixed metadata."""
    writer = QPdfWriter(target)
    writer.setResolution(RESOLUTION)
    writer.setCreator(CREATOR)
    writer.setTitle(title)
    writer.setPageSize(page)
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    if hasattr(writer, "setDocumentId"):  # Qt ≥ 6.8; older ones write a random id
        writer.setDocumentId(QUuid(str(document_id)))
    writer.setDocumentXmpMetadata(QByteArray(xmp_packet(title=title, when=when, document_id=document_id)))
    return writer


def xmp_packet(*, title: str, when: datetime, document_id: uuid.UUID) -> bytes:
    stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    return (
        "<?xpacket begin='\ufeff' id='W5M0MpCehiHzreSzNTczkc9d'?>"
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool><xmp:CreateDate>{stamp}</xmp:CreateDate>"
        f"<xmp:ModifyDate>{stamp}</xmp:ModifyDate><xmp:MetadataDate>{stamp}</xmp:MetadataDate>"
        f"<xmpMM:DocumentID>uuid:{document_id}</xmpMM:DocumentID>"
        "</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end='w'?>"
    ).encode()


def fix_info_dates(pdf: bytes, when: datetime) -> bytes:
    """Replace Qt's ``/CreationDate`` and ``/ModDate`` (the time of rendering) with ``when``, byte for byte the
    same length: ``Z`` stays ``Z`` and ``+01'00'`` becomes ``+00'00'`` (UTC either way)."""
    digits = when.astimezone(UTC).strftime("%Y%m%d%H%M%S").encode()

    def same_length(match: re.Match[bytes]) -> bytes:
        zone = b"Z" if match[3] == b"Z" else b"+00'00'"
        return b"/" + match[1] + b" (D:" + digits + zone + b")"

    fixed = _INFO_DATE.sub(same_length, pdf)
    assert len(fixed) == len(pdf), "the PDF's byte offsets must not move"
    return fixed
