"""factory_boy factories for the comments app."""

import factory

from comments.models import Comment


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    content_id = 1
    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    comment = factory.Faker("sentence")
