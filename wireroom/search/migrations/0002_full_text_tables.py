from django.db import migrations

# Each database's own full-text table, keyed by the SearchEntry's id (see wireroom/search/backends/). No foreign
# key: Django's flush (between transactional tests) truncates only its models' tables, and a reference to one
# would stop it. The backends delete a document with its entry, and overwrite one left behind.
SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(headline, summary, body, tokenize = 'ascii')",
]
SQLITE_DROP = ["DROP TABLE search_fts"]
POSTGRESQL = [
    "CREATE TABLE search_document (entry_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_document_terms ON search_document USING gin (document)",
]
POSTGRESQL_DROP = ["DROP TABLE search_document"]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
                             _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})),
    ]
