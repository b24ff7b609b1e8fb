"""factory_boy factories of stored reports."""

import factory

from rollbar_items.models import Report


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = Report.Kind.TOP_ACTIVE_ITEMS
    params = factory.LazyFunction(lambda: {"hours": 24, "environments": []})
    content = factory.Sequence(
        lambda n: [
            {
                "item": {"id": 1000 + n, "counter": n + 1, "title": f"Error {n}", "level": 40},
                "counts": [0] * 23 + [n + 1],
            }
        ]
    )
