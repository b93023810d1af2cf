"""Each engine's full-text index over the search documents (see docs/search.md, decision 0022).

SQLite: an FTS5 table over ``search_searchdocument`` (external content, kept by triggers) and an
FTS5 trigram table over ``search_searchname`` for misspelt names.
PostgreSQL: the pg_trgm extension, a generated weighted ``tsvector`` column with a GIN index,
and a GIN trigram index on the name words.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(reference, names, contact, dates, address, body,
        content='search_searchdocument', content_rowid='case_id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, reference, names, contact, dates, address, body) VALUES (new.case_id, new.reference, new.names, new.contact, new.dates, new.address, new.body); END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, reference, names, contact, dates, address, body)
        VALUES ('delete', old.case_id, old.reference, old.names, old.contact, old.dates, old.address, old.body); END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, reference, names, contact, dates, address, body)
        VALUES ('delete', old.case_id, old.reference, old.names, old.contact, old.dates, old.address, old.body);
        INSERT INTO search_fts(rowid, reference, names, contact, dates, address, body) VALUES (new.case_id, new.reference, new.names, new.contact, new.dates, new.address, new.body); END""",
    """CREATE VIRTUAL TABLE search_name_trigrams USING fts5(word,
        content='search_searchname', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER search_name_trigrams_insert AFTER INSERT ON search_searchname BEGIN
        INSERT INTO search_name_trigrams(rowid, word) VALUES (new.id, new.word); END""",
    """CREATE TRIGGER search_name_trigrams_delete AFTER DELETE ON search_searchname BEGIN
        INSERT INTO search_name_trigrams(search_name_trigrams, rowid, word)
        VALUES ('delete', old.id, old.word); END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    "INSERT INTO search_name_trigrams(search_name_trigrams) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_name_trigrams_delete",
    "DROP TRIGGER IF EXISTS search_name_trigrams_insert",
    "DROP TABLE IF EXISTS search_name_trigrams",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', reference || ' ' || names), 'A')
        || setweight(to_tsvector('simple', contact || ' ' || dates), 'B')
        || setweight(to_tsvector('simple', address), 'C')
        || setweight(to_tsvector('simple', body), 'D')) STORED""",
    "CREATE INDEX search_document_tsv ON search_searchdocument USING gin (tsv)",
    "CREATE INDEX search_name_word_trgm ON search_searchname USING gin (word gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_name_word_trgm",
    "DROP INDEX IF EXISTS search_document_tsv",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index_tables")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
