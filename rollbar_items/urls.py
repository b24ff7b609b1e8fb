"""URLs of the rollbar_items app: every path with and without a trailing slash."""

from django.urls import re_path

from rollbar_items import views

urlpatterns = [
    re_path(r"^items/?$", views.ItemListView.as_view(), name="rollbar-item-list"),
    re_path(
        r"^items/(?P<item_id>[0-9]{1,18})/?$", views.ItemDetailView.as_view(), name="rollbar-item-detail"
    ),
    re_path(r"^reports/?$", views.ReportListView.as_view(), name="rollbar-report-list"),
]
