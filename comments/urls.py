"""URLs of the comments app."""

urlpatterns = []
