"""OpenWeatherMap current-weather client: the condition id of a city, with timeouts and typed errors.

No Django here: the caller passes the base URL, key and timeout (read from settings at call time).
Messages never contain the API key (requests' own exception texts do, in the URL, so they are not reused).
"""

from dataclasses import dataclass, field

import requests


class WeatherError(Exception):
    """Any failure to learn the current weather of a city."""


class WeatherUnavailable(WeatherError):
    """The service is down, unreachable, or answered something unusable."""


class WeatherTimeout(WeatherError):
    """The service did not answer within the timeout."""


class WeatherKeyRefused(WeatherError):
    """The service refused the configured API key (its 401)."""


class CityNotFound(WeatherError):
    """The service does not know the city (its 404)."""


# One pooled session per process: keeps the TCP/TLS connection to the API alive between quotes.
_session = requests.Session()


@dataclass(frozen=True)
class WeatherClient:
    base_url: str
    api_key: str
    timeout: float = 3.0
    # Connecting takes one round trip; past a lost SYN (resent after 1 s) the host is not there.
    connect_timeout: float = 1.5
    session: requests.Session = field(default=_session, repr=False, compare=False)

    def condition_id(self, city: str, country: str) -> int:
        """The current weather condition id (`weather[0].id`) of `city` in `country` (alpha-2)."""
        place = f"{city}, {country}"
        try:
            response = self.session.get(
                f"{self.base_url.rstrip('/')}/weather",
                params={"q": f"{city},{country}", "appid": self.api_key},
                timeout=(min(self.connect_timeout, self.timeout), self.timeout),
            )
        except requests.Timeout:  # before ConnectionError: ConnectTimeout is both
            raise WeatherTimeout(
                f"The weather service did not answer within {self.timeout:g} seconds for {place}."
            ) from None
        except requests.RequestException:
            raise WeatherUnavailable("The weather service could not be reached.") from None

        if response.status_code == 401:
            raise WeatherKeyRefused(
                "The weather service refused the configured API key (OPENWEATHER_API_KEY)."
            )
        if response.status_code == 404:
            raise CityNotFound(f"The weather service does not know {place}.")
        if response.status_code == 429:
            raise WeatherUnavailable("The weather service is rate limiting our API key; try again later.")
        if response.status_code != 200:
            raise WeatherUnavailable(f"The weather service answered HTTP {response.status_code} for {place}.")
        try:
            condition = response.json()["weather"][0]["id"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise WeatherUnavailable(
                f"The weather service sent an answer without a condition for {place}."
            ) from None
        if not isinstance(condition, int) or isinstance(condition, bool):
            raise WeatherUnavailable(
                f"The weather service sent a condition that is not a number for {place}."
            )
        return condition
