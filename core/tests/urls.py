"""A URLconf for the error-shape tests: the project's URLs plus views that fail on purpose."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from config.urls import urlpatterns as project_urlpatterns


class EchoSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=5)
    doors = serializers.IntegerField(min_value=0)


class EchoView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = EchoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data, status=201)


class CrashView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("boom")


def plain_crash(request):
    raise RuntimeError("boom")


def sleep_in_the_database(request):
    """`?seconds=N`: one statement that runs N seconds (PostgreSQL only)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(%s)", [float(request.GET["seconds"])])
    return HttpResponse("slept")


class SleepView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"slept": sleep_in_the_database(request).content.decode()})


urlpatterns = [
    path("test/echo", EchoView.as_view()),
    path("test/crash", CrashView.as_view()),
    path("test/plain-crash", plain_crash),
    path("test/plain-sleep", sleep_in_the_database),
    path("test/sleep", SleepView.as_view()),
    *project_urlpatterns,
]
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
