"""The search index: one document per case, and the words of every name for typo tolerance.

A :class:`SearchDocument` holds a case's searchable text in six weighted columns, each already
reduced to plain lower-case words by :mod:`heard.search.documents` (so that both engines see
exactly the same words), and ``entries``, the original values with what they are, so a result
can say which field matched. Each engine adds its own full-text index over these columns in a
migration: an FTS5 table kept by triggers on SQLite, a generated ``tsvector`` column with a GIN
index on PostgreSQL. See docs/search.md and decision 0022.
"""

from django.db import models

from heard.cases.models import Case

#: The indexed columns, most telling first; the engines weight them in this order.
COLUMNS = ("reference", "names", "contact", "dates", "address", "body")


class SearchDocument(models.Model):
    case = models.OneToOneField(
        Case, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    reference = models.TextField(blank=True)
    names = models.TextField(blank=True)
    contact = models.TextField(blank=True)
    dates = models.TextField(blank=True)
    address = models.TextField(blank=True)
    body = models.TextField(blank=True)
    #: [{"column": ..., "label": "Complainant", "value": "Sam Jones"}, ...]
    entries = models.JSONField(default=list)
    indexed_at = models.DateTimeField(auto_now=True)


class SearchName(models.Model):
    """Every word that appears in a name, once: the vocabulary a misspelt name is matched
    against by trigram similarity (pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite).
    Rebuilt with the index, so a name that no longer appears anywhere goes then."""

    word = models.CharField(max_length=100, unique=True)
