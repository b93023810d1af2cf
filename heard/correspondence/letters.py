"""A letter as a Word file (the council's own docxtpl template, or a plain layout) and a PDF."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.html import escape, linebreaks


def as_docx(*, template, context: dict, body: str) -> bytes:
    if template is not None and template.docx:
        from docxtpl import DocxTemplate

        with template.docx.open("rb") as handle:
            document = DocxTemplate(io.BytesIO(handle.read()))
        # The council's Word template places the edited text where it writes {{ body }}.
        document.render({**context, "body": body}, autoescape=True)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
    from docx import Document

    document = Document()
    document.core_properties.title = context["case"]["reference"]
    document.core_properties.language = "en-GB"
    document.add_heading(settings.COUNCIL_NAME, level=1)
    recipient = [context["complainant"]["name"], context["complainant"]["address"]]
    for line in "\n".join(part for part in recipient if part).splitlines():
        document.add_paragraph(line)
    document.add_paragraph(context["today"])
    for paragraph in body.split("\n\n"):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def as_pdf(*, context: dict, body: str, subject: str) -> bytes:
    from weasyprint import HTML

    recipient = "<br>".join(
        escape(line)
        for part in (context["complainant"]["name"], context["complainant"]["address"])
        for line in (part or "").splitlines()
    )
    html = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">
<title>{escape(subject or context["case"]["reference"])}</title>
<style>@page {{ size: A4; margin: 25mm 20mm; }} body {{ font-family: Arial, sans-serif;
font-size: 11pt; line-height: 1.4; }} h1 {{ font-size: 14pt; }}</style></head><body>
<h1>{escape(settings.COUNCIL_NAME)}</h1><p>{recipient}</p><p>{escape(context["today"])}</p>
{linebreaks(body, autoescape=True)}</body></html>"""
    return HTML(string=html).write_pdf()
