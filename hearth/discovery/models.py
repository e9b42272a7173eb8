"""Stored "find your people" vectors: one row per community and model."""

from __future__ import annotations

from django.db import models

from hearth.communities.models import Community


class CommunityVector(models.Model):
    """One community's precomputed vectors for one ranking model.

    `data` is the ranker's payload (hearth.discovery.resonance.store): the
    community's vectors and the units of text they were computed from. For a
    private community those units are its public fields only (name,
    description, who it is for, topics), never its rules or posts.

    A row is stale when `digest` no longer matches the community's units (an
    edit, a new public thread) or `model` is not the running model's identity;
    stale rows are recomputed one community at a time (services). A row whose
    `format` is older than the ranker's `payload_format` holds comparable
    vectors in an older byte layout: it is still read (converted on load) and
    is rewritten in the current format without running the model.
    """

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=80)
    digest = models.CharField(max_length=64)
    # The community's updated_at when the vectors were computed: a cheap
    # check for edits, without rebuilding the community's text.
    source_updated_at = models.DateTimeField()
    data = models.BinaryField()
    # The payload's byte layout (the ranker's `payload_format`). Rows written
    # before the field existed hold float32 vectors: format 1.
    format = models.PositiveSmallIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "model"], name="discovery_vector_one_per_model"
            )
        ]
        indexes = [models.Index(fields=["model", "updated_at"], name="discovery_vector_changed")]

    def __str__(self) -> str:
        return f"{self.model} vectors of community {self.community_id}"
