"""Every URL of the project: the shared core, the docs, and one include per app."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from core import auth_views, views
from core.observability.metrics import metrics_view

urlpatterns = [
    re_path(r"^$", views.RootView.as_view(), name="api-root"),
    # The four services first: Django tries patterns in order, and these take the traffic.
    path("", include("cars.urls")),
    path("", include("comments.urls")),
    path("", include("availability.urls")),
    path("", include("rollbar_items.urls")),
    re_path(r"^which/?$", views.WhichView.as_view(), name="which"),
    re_path(r"^live/?$", views.LiveView.as_view(), name="live"),
    re_path(r"^check/?$", views.CheckView.as_view(), name="check"),
    re_path(r"^metrics/?$", metrics_view, name="metrics"),
    # The docs' canonical URLs end with a slash (they are linked from /); both forms work.
    path("api/schema/", views.SchemaView.as_view(), name="schema"),
    path("api/schema", views.SchemaView.as_view()),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/docs", SpectacularSwaggerSplitView.as_view(url_name="schema")),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/redoc", SpectacularRedocView.as_view(url_name="schema")),
    re_path(r"^admin$", RedirectView.as_view(url="/admin/")),
    # Before the admin's and rest_framework's URLs: their login views, throttled.
    re_path(r"^admin/login/?$", auth_views.admin_login),
    path("admin/", admin.site.urls),
    re_path(r"^api-auth/login/?$", auth_views.api_login, name="api-login"),
    re_path(r"^api-auth/token/?$", auth_views.ObtainTokenView.as_view(), name="api-token"),
    path("api-auth/", include("rest_framework.urls")),
    # Last: any other path answers 404 in the JSON error shape, for every method.
    re_path(r"^", views.NotFoundView.as_view()),
]

handler400 = "core.errors.handler400"
handler403 = "core.errors.handler403"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
