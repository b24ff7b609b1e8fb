"""URLs of the cars app."""

urlpatterns = []
