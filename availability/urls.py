"""URLs of the availability app (with or without a trailing slash)."""

from django.urls import re_path

from availability import views

urlpatterns = [
    re_path(r"^active/?$", views.ActiveView.as_view(), name="availability-active"),
    re_path(r"^price/(?P<sku>[^/]+)/?$", views.PriceView.as_view(), name="availability-price"),
    re_path(r"^quote/?$", views.QuoteView.as_view(), name="availability-quote"),
]
