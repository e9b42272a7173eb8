"""Reports in Django's admin (/admin/), for the server's staff."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from hearth.accounts.models import User
from hearth.moderation.models import InstanceReport
from hearth.moderation.services import report_resolve


def _staff(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_staff)


@admin.register(InstanceReport)
class InstanceReportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ("id", "created_at", "state", "category", "account", "reporter")
    list_filter = ("state", "category")
    search_fields = ("account__username", "reporter__username", "comment")
    ordering = ("-id",)
    readonly_fields = (
        "reporter",
        "account",
        "category",
        "comment",
        "reported_posts",
        "created_at",
        "state",
        "resolved_at",
        "resolved_by",
    )
    exclude = ("posts",)
    actions = ("resolve",)

    @admin.display(description="Reported posts")
    def reported_posts(self, report: InstanceReport) -> str:
        return format_html_join(
            "\n",
            '<p><a href="{}">{}</a>: {}</p>',
            ((p.get_absolute_url(), p.pk, p.text or "(deleted)") for p in report.posts.all()),
        )

    # Every staff account reads and resolves reports (`hearth createuser --staff`
    # makes one), without a permission set up for it in the admin.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _staff(request)

    def has_view_permission(self, request: HttpRequest, obj: InstanceReport | None = None) -> bool:
        return _staff(request)

    def has_change_permission(
        self, request: HttpRequest, obj: InstanceReport | None = None
    ) -> bool:
        return _staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Reports come from people, through the API; staff only read and resolve them.
        return False

    @admin.action(description="Mark as resolved")
    def resolve(self, request: HttpRequest, queryset: QuerySet[InstanceReport]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        for report in queryset:
            report_resolve(report=report, actor=actor)
        messages.success(request, f"{queryset.count()} report(s) resolved.")
