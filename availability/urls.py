"""URLs of the availability app."""

urlpatterns = []
