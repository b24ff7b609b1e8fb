"""URLs of the rollbar_items app."""

urlpatterns = []
