from django.db import models


class SearchEntry(models.Model):
    """One public localization in the search index. Its terms live in the backend's own table (an FTS5 table on
    SQLite, a `tsvector` column on PostgreSQL), keyed by this row's id; rows exist only for releases that are
    public, and go in the transaction that withdraws them."""

    id = models.BigAutoField(primary_key=True)
    release = models.ForeignKey("releases.Release", on_delete=models.CASCADE, related_name="+")
    language = models.ForeignKey("taxonomy.Language", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "language"], name="search_entry_one_per_language")]

    def __str__(self) -> str:
        return f"{self.release_id} ({self.language_id})"
