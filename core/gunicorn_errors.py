"""gunicorn's own error answers (URI too long, headers too large, malformed HTTP) in the JSON error shape.

gunicorn answers these before the application sees the request, with a hard-coded HTML page
(gunicorn.util.write_error). The API promises JSON for every non-2xx answer, so
`gunicorn.conf.py` swaps that one function for this one. No Django here: it runs in gunicorn.
"""

import json

from gunicorn import util

WORDS = {400: "INVALID", 403: "FORBIDDEN", 414: "TOO-LARGE", 417: "INVALID", 431: "TOO-LARGE", 501: "ERROR"}
ADVICE = {
    414: "Shorten the URL: send fewer or shorter query parameters.",
    431: "Send fewer or smaller headers.",
}


def write_json_error(sock, status_int, reason, mesg):
    message = f"{reason}: {mesg}." if mesg else f"{reason}."
    if status_int in ADVICE:
        message = f"{message} {ADVICE[status_int]}"
    body = json.dumps(
        {"status": WORDS.get(status_int, "ERROR" if status_int >= 500 else "INVALID"), "message": message}
    )
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body.encode())}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body.encode())


def install():
    util.write_error = write_json_error
