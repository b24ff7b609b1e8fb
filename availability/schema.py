"""OpenAPI description of the availability app's authentication (loaded by AvailabilityConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.permissions import SAFE_METHODS


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "availability.auth.ServiceTokenAuthentication"
    # Not "tokenAuth": that name belongs to DRF's TokenAuthentication, a different class.
    name = ["availabilityBearer", "availabilityToken"]

    def get_security_requirement(self, auto_schema):
        # Either scheme alone is enough (not both together); reads need neither (CanChangeLocations).
        alternatives = [{"availabilityBearer": []}, {"availabilityToken": []}]
        return [*alternatives, {}] if auto_schema.method in SAFE_METHODS else alternatives

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": "The shared AVAILABILITY_API_TOKEN."},
            {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": 'A user\'s API token with the prefix "Token"',
            },
        ]
