"""URLs of the cars app; every path works with and without a trailing slash."""

from django.urls import re_path

from cars import views

urlpatterns = [
    re_path(r"^cars/?$", views.CarListView.as_view(), name="cars-list"),
    # Any segment is accepted as an id so that `/cars/abc` answers "car abc not found", not a generic 404.
    re_path(r"^cars/(?P<pk>[^/]+)/?$", views.CarDetailView.as_view(), name="cars-detail"),
]
