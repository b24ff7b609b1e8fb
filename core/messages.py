"""Django's messages framework with its storage built on first use, not on every request."""

from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class LazyMessageMiddleware(MessageMiddleware):
    """Only the admin and the browsable API's login show messages; API calls never touch them.

    Django's middleware builds the storage (a cookie and a session backend) for every request and
    saves it on the way out; profiled on a trivial view that was 3-4% of a worker's CPU. Here the
    storage is built when something reads or adds a message, and saved only then.
    """

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
