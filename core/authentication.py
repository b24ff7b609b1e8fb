"""DRF's token authentication, without building every request's header mapping to find no token, and
with each process remembering a checked token for a few seconds."""

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from rest_framework import authentication
from rest_framework.authtoken.models import Token


def _cache_key(key: str) -> str:
    return "token:" + hashlib.sha256(key.encode()).hexdigest()


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's, but a request without the header costs nothing: DRF reads it through `request.headers`,
    a renamed copy of every header, on the anonymous reads that make most traffic.

    A valid token's user is kept in the `tokens` cache, local to the process, for its TIMEOUT
    (settings): a client repeating its calls costs no query each time, and the user (password hash
    included) never leaves the process. A token deleted or a user changed in this process is dropped
    at once; another process sees it within the TIMEOUT (docs/security.md)."""

    def authenticate(self, request):
        if "HTTP_AUTHORIZATION" not in request.META:
            return None
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        cache_key = _cache_key(key)
        if (found := caches["tokens"].get(cache_key)) is None:
            found = super().authenticate_credentials(key)
            caches["tokens"].set(cache_key, found)
        return found


@receiver(post_delete, sender=Token)
def forget_token(sender: type[Token], instance: Token, **kwargs: Any) -> None:
    caches["tokens"].delete(_cache_key(instance.key))


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def forget_user_token(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """A user made inactive, or no longer staff, is seen so by its next request in this process."""
    keys = Token.objects.filter(user_id=instance.pk).values_list("key", flat=True)
    caches["tokens"].delete_many([_cache_key(key) for key in keys])
