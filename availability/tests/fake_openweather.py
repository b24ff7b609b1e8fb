"""A fake OpenWeatherMap current-weather API: a real HTTP server on 127.0.0.1 for the tests.

It answers `GET /weather?q=<City>,<cc>&appid=<key>` like the real one: the full current-weather body
with `weather[0].id`, 401 `{"cod": 401, "message": "Invalid API key. ..."}` for a wrong or missing
key, 404 `{"cod": "404", "message": "city not found"}` for an unknown city. `mode` switches it to
"slow" (sleeps `delay` seconds before answering), "fail" (500) or "malformed" (200 without a condition).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# The real service's texts (https://openweathermap.org/faq#error401).
INVALID_KEY = {
    "cod": 401,
    "message": "Invalid API key. Please see https://openweathermap.org/faq#error401 for more info.",
}
CITY_NOT_FOUND = {"cod": "404", "message": "city not found"}
DESCRIPTIONS = {2: "thunderstorm", 3: "drizzle", 5: "rain", 6: "snow", 7: "mist", 8: "clouds"}


class FakeOpenWeather:
    def __init__(self, api_key: str = "fake-openweather-key"):
        self.api_key = api_key
        self.conditions: dict[tuple[str, str], int] = {}
        self.mode = "ok"
        self.delay = 2.0
        self.requests: list[dict] = []  # the query of every request received
        self._release = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/data/2.5"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def set_condition(self, city: str, country: str, condition_id: int) -> None:
        self.conditions[(city.lower(), country.lower())] = condition_id

    def start(self) -> "FakeOpenWeather":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()  # wake any request sleeping in slow mode
        self.server.shutdown()
        self.server.server_close()

    def _answer(self, path: str, query: dict) -> tuple[int, dict]:
        if path != "/data/2.5/weather":
            return 404, {"cod": "404", "message": "Internal error"}
        if query.get("appid") != self.api_key:
            return 401, INVALID_KEY
        if self.mode == "fail":
            return 500, {"cod": "500", "message": "Internal error"}
        if self.mode == "malformed":
            return 200, {"cod": 200, "weather": []}
        if self.mode == "slow":
            self._release.wait(self.delay)
        city, _, country = query.get("q", "").partition(",")
        condition = self.conditions.get((city.strip().lower(), country.strip().lower()))
        if condition is None:
            return 404, CITY_NOT_FOUND
        return 200, current_weather(city.strip(), country.strip().upper(), condition)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {name: values[-1] for name, values in parse_qs(url.query).items()}
                fake.requests.append(query)
                status, body = fake._answer(url.path, query)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout), as real clients do

            def log_message(self, format, *args):
                pass

        return Handler


def current_weather(city: str, country: str, condition: int) -> dict:
    """The body of OpenWeatherMap's current-weather answer, trimmed of nothing the client might read."""
    description = DESCRIPTIONS.get(condition // 100, "clear sky" if condition == 800 else "unknown")
    return {
        "coord": {"lon": -86.88, "lat": 12.43},
        "weather": [
            {"id": condition, "main": description.title(), "description": description, "icon": "10d"}
        ],
        "base": "stations",
        "main": {"temp": 301.15, "feels_like": 303.2, "pressure": 1011, "humidity": 70},
        "visibility": 10000,
        "wind": {"speed": 3.6, "deg": 60},
        "clouds": {"all": 40},
        "dt": 1700000000,
        "sys": {"country": country, "sunrise": 1699960000, "sunset": 1700001000},
        "timezone": -21600,
        "id": 3618030,
        "name": city,
        "cod": 200,
    }
