"""The car list: pages, a capped page size, filters, search, ordering, and a constant query count."""

import pytest

from cars.tests.factories import CarFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [car["name"] for car in response.json()["cars"]]


def test_default_page_size_and_links(api_client, settings):
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    CarFactory.create_batch(page_size + 5)

    first = api_client.get("/cars").json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == page_size + 5
    assert len(first["cars"]) == page_size
    assert first["previous"] is None
    assert first["next"] == "http://testserver/cars?page=2"
    assert len(second["cars"]) == 5
    assert second["next"] is None
    assert second["previous"] == "http://testserver/cars"
    assert first["cars"][-1]["id"] < second["cars"][0]["id"]


def test_page_size_parameter(api_client):
    CarFactory.create_batch(7)

    body = api_client.get("/cars", {"page_size": 3, "page": 3}).json()

    assert body["count"] == 7
    assert len(body["cars"]) == 1
    assert body["previous"] == "http://testserver/cars?page=2&page_size=3"


def test_page_size_is_capped(api_client, settings):
    cap = settings.API_MAX_PAGE_SIZE
    CarFactory.create_batch(cap + 1)

    body = api_client.get("/cars", {"page_size": cap * 10}).json()

    assert len(body["cars"]) == cap
    assert body["next"] is not None


@pytest.mark.parametrize("page_size", ["abc", "0", "-3", "null", "2.5"])
def test_invalid_page_size_answers_400(api_client, page_size):
    response = api_client.get("/cars", {"page_size": page_size})

    assert response.status_code == 400
    assert response.json() == {
        "status": "INVALID",
        "message": "Invalid input. page_size: A whole number of at least 1 is required.",
        "errors": {"page_size": ["A whole number of at least 1 is required."]},
    }


@pytest.mark.parametrize("page", ["5", "0", "-1", "abc", "1.5", "99999999999999999999999"])
def test_page_out_of_range_or_not_a_number_answers_404_in_error_shape(api_client, page):
    CarFactory()

    response = api_client.get("/cars", {"page": page})

    assert response.status_code == 404
    assert response.json() == {"status": "NOT-FOUND", "message": "Invalid page."}


def test_last_page(api_client):
    cars = CarFactory.create_batch(5)

    body = api_client.get("/cars", {"page": "last", "page_size": 2}).json()

    assert [car["id"] for car in body["cars"]] == [cars[4].id]
    assert body["count"] == 5
    assert body["next"] is None


def test_filtered_count_is_the_count_of_matching_cars(api_client):
    CarFactory.create_batch(3, doors=2)
    CarFactory.create_batch(4, doors=4)

    body = api_client.get("/cars", {"doors": 4, "page_size": 2}).json()

    assert body["count"] == 4
    assert len(body["cars"]) == 2
    assert set(body["cars"][0]) == {"id", "name", "model", "doors"}


def test_empty_list(api_client):
    assert api_client.get("/cars").json() == {
        "message": "success",
        "count": 0,
        "next": None,
        "previous": None,
        "cars": [],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"name": "Pink Rose"}, ["Pink Rose"]),
        ({"name__icontains": "rose"}, ["Pink Rose", "Red Rose"]),
        ({"model": "Accord"}, ["Black Bullet II"]),
        ({"model__icontains": "q"}, ["Pink Rose", "Red Rose"]),
        ({"doors": 2}, ["Red Rose"]),
        ({"doors__gte": 4}, ["Pink Rose", "Black Bullet II"]),
        ({"doors__lte": 4}, ["Pink Rose", "Red Rose"]),
        ({"doors": 4, "model": "Audi Q5"}, ["Pink Rose"]),
    ],
)
def test_filters(api_client, query, expected):
    CarFactory(name="Pink Rose", model="Audi Q5", doors=4)
    CarFactory(name="Red Rose", model="Audi Q3", doors=2)
    CarFactory(name="Black Bullet II", model="Accord", doors=5)

    response = api_client.get("/cars", query)

    assert response.status_code == 200
    assert names(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(("param", "value"), [("doors", "abc"), ("doors", "1.5"), ("doors__gte", "x")])
def test_invalid_filter_value_answers_400_per_field(api_client, param, value):
    response = api_client.get("/cars", {param: value})

    assert response.status_code == 400
    assert response.json() == {
        "status": "INVALID",
        "message": f"Invalid input. {param}: Enter a whole number.",
        "errors": {param: ["Enter a whole number."]},
    }


def test_out_of_range_filter_value_finds_nothing(api_client):
    CarFactory(doors=4)

    response = api_client.get("/cars", {"doors": "99999999999999999999"})

    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_search_looks_in_name_and_model(api_client):
    CarFactory(name="Pink Rose", model="Audi Q5")
    CarFactory(name="Audi Fan", model="Corolla")
    CarFactory(name="Other", model="Civic")

    assert names(api_client.get("/cars", {"search": "audi"})) == ["Pink Rose", "Audi Fan"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("-name", ["Charlie", "Bravo", "Alpha"]),
        ("doors,name", ["Bravo", "Alpha", "Charlie"]),
        ("-id", ["Charlie", "Alpha", "Bravo"]),
        ("not_a_field", ["Bravo", "Alpha", "Charlie"]),
    ],
)
def test_ordering(api_client, ordering, expected):
    CarFactory(name="Bravo", doors=2)
    CarFactory(name="Alpha", doors=4)
    CarFactory(name="Charlie", doors=4)

    assert names(api_client.get("/cars", {"ordering": ordering})) == expected


def test_ordering_on_equal_keys_keeps_pages_stable(api_client):
    cars = CarFactory.create_batch(6, doors=4)

    pages = [api_client.get("/cars", {"ordering": "doors", "page_size": 2, "page": p}) for p in (1, 2, 3)]

    assert [car["id"] for page in pages for car in page.json()["cars"]] == [car.id for car in cars]


@pytest.mark.parametrize("size", [1, 10, 100])
def test_listing_a_page_costs_a_constant_number_of_queries(api_client, django_assert_num_queries, size):
    CarFactory.create_batch(size)

    # One SELECT for the rows of the page and the total (COUNT(*) OVER ()), whatever the page size.
    with django_assert_num_queries(1):
        response = api_client.get("/cars", {"page_size": size})

    assert len(response.json()["cars"]) == size


def test_authenticated_listing_adds_only_the_token_lookup(auth_client, django_assert_num_queries):
    CarFactory.create_batch(50)

    with django_assert_num_queries(2):
        auth_client.get("/cars", {"page_size": 50})


def test_unknown_query_parameters_are_ignored(api_client):
    CarFactory.create_batch(2)

    response = api_client.get("/cars", {"colour": "pink"})

    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_repeated_parameter_answers_400(api_client):
    response = api_client.get("/cars?page_size=1&page_size=50&doors=2&doors=4")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page_size": ["Give this parameter once."],
        "doors": ["Give this parameter once."],
    }


@pytest.mark.parametrize(
    "search",
    ["a b c d e f", "ab", "audi xy", "x" * 101, " ".join(f"w{n:02}" for n in range(200))],
)
def test_a_search_beyond_its_bounds_answers_400(api_client, search):
    response = api_client.get("/cars", {"search": search})

    assert response.status_code == 400
    message = "Give 1 to 5 words of 3 to 100 characters each."
    assert response.json() == {
        "status": "INVALID",
        "message": f"Invalid input. search: {message}",
        "errors": {"search": [message]},
    }


def test_a_search_at_its_bounds_is_answered(api_client):
    CarFactory(name="Pink Rose", model="Audi Q5")

    repeated = api_client.get("/cars", {"search": "audi " * 50})  # one distinct word
    widest = api_client.get("/cars", {"search": "pin ink rose audi " + "x" * 100})

    assert (repeated.status_code, names(repeated)) == (200, ["Pink Rose"])
    assert (widest.status_code, names(widest)) == (200, [])


def test_ordering_names_each_field_once(api_client):
    CarFactory(name="Bravo", doors=2)
    CarFactory(name="Alpha", doors=4)

    assert names(api_client.get("/cars", {"ordering": ",".join(["-doors", "name"] * 500)})) == [
        "Alpha",
        "Bravo",
    ]
