"""Documents on a case (letters, reports, photos): checked on the way in, stored outside the
web root under a random name, and only ever sent back through a view that checks the user may
see the case. The public form (issue 7) uses the same checks."""

from __future__ import annotations

from django.db import transaction

from heard.audit import services as audit
from heard.cases.models import Case, Document

MAX_BYTES = 10 * 1024 * 1024

#: Accepted types: the extension, the content type recorded, and how the file must begin.
ACCEPTED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "txt": ("text/plain", ()),
}


class DocumentRefused(ValueError):
    pass


def check(uploaded) -> str:
    """The content type to record, or DocumentRefused with a plain reason."""
    name = uploaded.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ACCEPTED:
        raise DocumentRefused("The document must be a PDF, Word document, text file, JPEG or PNG")
    if uploaded.size > MAX_BYTES:
        raise DocumentRefused("The document must be smaller than 10 MB")
    if uploaded.size == 0:
        raise DocumentRefused("The document is empty")
    content_type, signatures = ACCEPTED[extension]
    head = uploaded.read(16)
    uploaded.seek(0)
    if signatures and not any(head.startswith(sig) for sig in signatures):
        raise DocumentRefused(f"The document is not really a .{extension} file")
    if not signatures and b"\x00" in head:
        raise DocumentRefused("The text file contains binary data")
    return content_type


@transaction.atomic
def add_document(case: Case, uploaded, *, description: str = "", user=None) -> Document:
    content_type = check(uploaded)
    document = Document(
        case=case,
        original_name=uploaded.name[:255],
        content_type=content_type,
        size=uploaded.size,
        description=description,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    document.file.save("upload", uploaded, save=False)
    document.save()
    audit.record(
        "document.added",
        user=user,
        case=case,
        obj=document,
        changes=[{"field": "document", "old": None, "new": document.original_name}],
        note=description,
    )
    return document
