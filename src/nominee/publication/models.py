"""The public record's own tables: draws published elsewhere, pool snapshots, the version.

Nominee's executed draws live in ``draws.Draw``; the public record unifies them with the
draws imported here (``PublishedDraw``). Nothing in these tables is personal data: the
snapshots hold counts per score, and only banded counts with "<5" suppression are shown.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedDraw(models.Model):
    """A draw made outside Nominee, as published (``nominee publication import-draws``).

    ``stream_text`` keeps the stream as the source wrote it; ``streams`` holds the stream
    codes it names (several for a row that groups draws across streams) and ``stream`` the
    code when it names exactly one. Figures the source did not publish stay NULL and are
    shown as unknown. ``natural_key`` (date, stream text, draw type, notes) identifies the
    row across re-imports; ``slug`` is its stable public name in URLs and feeds.
    ``source_file`` and ``source_urls`` say where it came from.
    """

    class DrawType(models.TextChoices):
        GENERAL = "general", _("General")
        TARGETED = "targeted", _("Targeted")

    natural_key = models.CharField(max_length=64, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    draw_date = models.DateField()
    stream_text = models.CharField(max_length=300)
    streams = models.JSONField(default=list)
    stream = models.CharField(max_length=30, null=True, blank=True)
    draw_type = models.CharField(max_length=10, choices=DrawType.choices, null=True, blank=True)
    invitations = models.PositiveIntegerField(null=True, blank=True)
    min_score = models.PositiveSmallIntegerField(null=True, blank=True)
    registered_from = models.DateField(null=True, blank=True)
    registered_to = models.DateField(null=True, blank=True)
    targeting_notes = models.TextField(blank=True)
    noc_codes = models.JSONField(default=list, blank=True)
    source_urls = models.JSONField(default=list, blank=True)
    source_file = models.CharField(max_length=200)
    line = models.PositiveIntegerField()
    imported_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-draw_date", "line"]
        indexes = [models.Index(fields=["draw_date"], name="pubdraw_date")]

    def __str__(self) -> str:
        return f"{self.draw_date} {self.stream_text}"


class PoolSnapshot(models.Model):
    """The score distribution of a stream's pool just before one of Nominee's draws.

    Taken when ``draws.signals.draw_executed`` fires: the EOIs eligible on the draw date
    (the draw's own rules: active, live, not legacy) plus those the draw invited, i.e. the
    pool as it stood when the draw ran. ``scores`` is ``[[score, count], ...]`` highest
    first: raw counts, never shown as such (pages band them and suppress counts under 5).
    """

    draw = models.OneToOneField(
        "draws.Draw", on_delete=models.CASCADE, related_name="pool_snapshot"
    )
    stream = models.CharField(max_length=30)
    as_of = models.DateField()
    scores = models.JSONField(default=list)
    total = models.PositiveIntegerField()
    taken_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Pool of {self.stream} at draw {self.draw_id}"


class PublicationState(models.Model):
    """One row: the publication version, bumped whenever the public record changes.

    Pages and feeds are cached under a key that includes the version, so bumping it (a
    draw executed, draws imported) invalidates every cached page in every process.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"publication version {self.version}"
