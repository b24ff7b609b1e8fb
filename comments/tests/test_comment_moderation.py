"""Staff remove comments: DELETE /api/comment/<id>, and the admin's search and moderation action."""

import pytest

from comments.models import Comment
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def test_staff_delete_a_comment(staff_client, api_client):
    kept = CommentFactory(content_id=1)
    removed = CommentFactory(content_id=1)

    response = staff_client.delete(f"/api/comment/{removed.pk}")

    assert response.status_code == 200
    assert response.json() == {"status": "SUCCESS", "message": f"comment {removed.pk} deleted"}
    assert [c["id"] for c in api_client.get("/api/comment/list/1").json()] == [kept.pk]


def test_a_trailing_slash_works_too(staff_client):
    comment = CommentFactory()

    assert staff_client.delete(f"/api/comment/{comment.pk}/").status_code == 200
    assert not Comment.objects.exists()


def test_deleting_twice_answers_404(staff_client):
    comment = CommentFactory()
    staff_client.delete(f"/api/comment/{comment.pk}")

    response = staff_client.delete(f"/api/comment/{comment.pk}")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": f"comment {comment.pk} not found"}


def test_a_user_who_is_not_staff_gets_403(auth_client):
    comment = CommentFactory()

    response = auth_client.delete(f"/api/comment/{comment.pk}")

    assert response.status_code == 403
    assert response.json() == {
        "status": "FORBIDDEN",
        "message": "You do not have permission to perform this action.",
    }
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_an_anonymous_client_gets_401(api_client):
    comment = CommentFactory()

    response = api_client.delete(f"/api/comment/{comment.pk}")

    assert response.status_code == 401
    assert response.json() == {
        "status": "UNAUTHORIZED",
        "message": "Authentication credentials were not provided.",
    }
    assert response["WWW-Authenticate"] == "Token"
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_an_anonymous_client_gets_401_even_for_an_unknown_comment(api_client):
    assert api_client.delete("/api/comment/12345").status_code == 401


def test_anyone_reads_one_comment(api_client):
    comment = CommentFactory(content_id=3, email="dan@example.com", comment="<b>bold</b>")

    response = api_client.get(f"/api/comment/{comment.pk}")

    assert response.status_code == 200
    assert response.json() == {
        "id": comment.pk,
        "email": "dan@example.com",
        "comment": "<b>bold</b>",
        "content_id": 3,
        "created_at": comment.created_at.isoformat().replace("+00:00", "Z"),
    }


@pytest.mark.parametrize("comment_id", ["999", str(2**63 - 1), str(2**63), "9" * 50])
def test_an_unknown_comment_answers_404(api_client, comment_id):
    response = api_client.get(f"/api/comment/{comment_id}")

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": f"comment {int(comment_id)} not found"}


def test_a_non_numeric_comment_id_answers_404_in_the_error_shape(api_client):
    response = api_client.get("/api/comment/abc")

    assert response.status_code == 404
    assert response.json()["status"] == "NOT-FOUND"


class TestAdmin:
    URL = "/admin/comments/comment/"

    def test_search_by_email(self, admin_client):
        CommentFactory(email="alice@example.com", comment="first post!")
        CommentFactory(email="bob@example.com", comment="I agree")

        page = admin_client.get(self.URL, {"q": "alice@"}).content.decode()

        assert "alice@example.com" in page
        assert "bob@example.com" not in page

    def test_search_by_comment_text(self, admin_client):
        CommentFactory(email="alice@example.com", comment="first post!")
        CommentFactory(email="bob@example.com", comment="I agree")

        page = admin_client.get(self.URL, {"q": "agree"}).content.decode()

        assert "bob@example.com" in page
        assert "alice@example.com" not in page

    def test_the_moderation_action_deletes_the_selected_comments(self, admin_client):
        spam = CommentFactory.create_batch(2, comment="buy now")
        kept = CommentFactory(comment="a real comment")

        response = admin_client.post(
            self.URL,
            {"action": "delete_comments", "_selected_action": [c.pk for c in spam]},
            follow=True,
        )

        assert response.status_code == 200
        assert "2 comment(s) deleted." in response.content.decode()
        assert list(Comment.objects.all()) == [kept]

    def test_the_action_is_offered_and_is_the_only_delete_action(self, admin_client):
        CommentFactory()

        page = admin_client.get(self.URL).content.decode()

        assert 'value="delete_comments"' in page
        assert 'value="delete_selected"' not in page

    def test_a_comment_opens_in_the_admin(self, admin_client):
        comment = CommentFactory(comment="<script>alert(1)</script>")

        page = admin_client.get(f"{self.URL}{comment.pk}/change/").content.decode()

        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
