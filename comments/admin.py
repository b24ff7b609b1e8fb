"""Moderation of comments in the Django admin: search by e-mail and text, delete in bulk."""

from django.contrib import admin, messages
from django.utils.text import Truncator

from comments.models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "content_id", "email", "excerpt", "created_at")
    list_display_links = ("id", "excerpt")
    search_fields = ("email", "comment")
    search_help_text = "Search by e-mail address or comment text."
    date_hierarchy = "created_at"
    ordering = ("-id",)
    readonly_fields = ("created_at",)
    actions = ["delete_comments"]
    # Counting a large table on every page view is slow; the list does not need the exact total.
    show_full_result_count = False

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(obj.comment).chars(80)

    def get_actions(self, request):
        # One way to delete from the list: the moderation action below, in one query.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(permissions=["delete"], description="Delete selected comments (moderation)")
    def delete_comments(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"{count} comment(s) deleted.", messages.SUCCESS)
