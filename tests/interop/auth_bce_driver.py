"""Drives examples/bce_eip.rs, started with credentials, through the official BCE Python SDK
(bce-python-sdk) to check `bce-auth-v1` verification.

Usage: python auth_bce_driver.py <base_url> <access_key> <secret_key>

Every call goes through `EipClient`, so the SDK itself signs. Tampering happens after signing,
in the SDK's `_send_http_request` (the request is signed by then): the path, the query, or the
body together with its Content-Length (bce-auth-v1 signs Content-Length, not the body). A replay
resends a request the server accepted, byte for byte, on a new connection.

Prints one JSON object per case:

    case, raised, status_code, code, message, request_id   (from the SDK's BceHttpClientError)
    http_status, header_request_id, raw_body, sent_bce_date (the wire)

The driver only reports; tests/interop_auth_bce.rs asserts.
"""

import http.client
import json
import sys
import time
from urllib.parse import urlparse

from baidubce import utils
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.exception import BceHttpClientError
from baidubce.http import bce_http_client
from baidubce.retry.retry_policy import NoRetryPolicy
from baidubce.services.eip.eip_client import EipClient

RESPONSES = []
SENT = []
# A function (method, uri, headers, body) -> (uri, headers, body) applied after signing.
TAMPER = [None]


class RecordedResponse(object):
    """What http.client returned, read once, then handed to the SDK unchanged."""

    def __init__(self, response):
        self.status = response.status
        self.reason = response.reason
        self._headers = response.getheaders()
        self._body = response.read()
        self.raw_body = self._body
        response.close()

    def getheaders(self):
        return self._headers

    def getheader(self, name, default=None):
        for key, value in self._headers:
            if key.lower() == name.lower():
                return value
        return default

    def read(self, *args):
        body, self._body = self._body, b""
        return body

    def close(self):
        pass


_send_http_request = bce_http_client._send_http_request


def recording_send_http_request(conn, http_method, uri, headers, body, send_buf_size):
    headers = dict(headers)
    if TAMPER[0] is not None:
        uri, headers, body = TAMPER[0](http_method, uri, headers, body)
    SENT.append((http_method, uri, dict(headers), body))
    response = RecordedResponse(
        _send_http_request(conn, http_method, uri, headers, body, send_buf_size))
    RESPONSES.append(response)
    return response


bce_http_client._send_http_request = recording_send_http_request

_get_canonical_time = utils.get_canonical_time


class SkewedClock(object):
    """Makes the SDK date and sign its requests `seconds` away from now (through
    baidubce.utils.get_canonical_time, which both the signer and the x-bce-date header read)."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __enter__(self):
        utils.get_canonical_time = (
            lambda timestamp=0: _get_canonical_time(timestamp or int(time.time()) + self.seconds))

    def __exit__(self, *exc):
        utils.get_canonical_time = _get_canonical_time
        return False


def text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def client(url, ak, sk):
    config = BceClientConfiguration(
        credentials=BceCredentials(ak.encode(), sk.encode()),
        endpoint=url.encode(),
        retry_policy=NoRetryPolicy())
    return EipClient(config)


def header_of(headers, name):
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def run(name, call, tamper=None):
    del RESPONSES[:]
    del SENT[:]
    TAMPER[0] = tamper
    report = {"case": name}
    try:
        call()
        report.update(raised=False)
    except BceHttpClientError as e:
        report.update(raised=True, status_code=e.status_code, code=text(e.code),
                      message=text(str(e.last_error)), request_id=text(e.request_id))
    except Exception as e:  # the SDK itself failed: reported, the test fails on it
        report.update(raised=True, code="python:" + type(e).__name__, message=repr(e))
    finally:
        TAMPER[0] = None
    if RESPONSES:
        response = RESPONSES[-1]
        report.update(http_status=response.status,
                      header_request_id=header_of(response.getheaders(), "x-bce-request-id"),
                      raw_body=text(response.raw_body))
        report["sent_uri"] = text(SENT[-1][1])
        report["sent_bce_date"] = text(next(
            (v for k, v in SENT[-1][2].items() if k.lower() == b"x-bce-date"), None))
    print(json.dumps(report), flush=True)
    return report


def replay(name, url):
    """Resends the last request the SDK sent, unchanged, on a new connection."""
    method, uri, headers, body = SENT[-1]
    parsed = urlparse(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    conn.putrequest(text(method), text(uri), skip_host=True, skip_accept_encoding=True)
    for key, value in headers.items():
        conn.putheader(text(key), text(str(value)) if not isinstance(value, bytes) else text(value))
    conn.endheaders(body if body else None)
    response = conn.getresponse()
    raw = response.read()
    print(json.dumps({"case": name, "raised": response.status != 200, "http_status": response.status,
                      "header_request_id": response.getheader("x-bce-request-id"),
                      "raw_body": text(raw)}), flush=True)
    conn.close()


def tamper_uri(change):
    def tamper(method, uri, headers, body):
        return change(uri), headers, body
    return tamper


def other_eip(uri):
    # The last digit of the EIP in the path (not the query, which is after '?').
    if isinstance(uri, str):
        uri = uri.encode()
    path, sep, query = uri.partition(b"?")
    last = b"9" if path[-1:] != b"9" else b"8"
    return path[:-1] + last + sep + query


def tamper_body(method, uri, headers, body):
    # A longer bandwidth, and the Content-Length to match: what a proxy rewriting the body does.
    if isinstance(body, str):
        body = body.encode("utf-8")
    body = body.replace(b'"bandwidthInMbps": 1', b'"bandwidthInMbps": 100')
    headers = {k: v for k, v in headers.items() if k.lower() != b"content-length"}
    headers[b"Content-Length"] = len(body)
    return uri, headers, body


def without_authorization(method, uri, headers, body):
    return uri, {k: v for k, v in headers.items() if k.lower() != b"authorization"}, body


def main():
    url, ak, sk = sys.argv[1:4]
    good = client(url, ak, sk)
    created = []

    def create():
        created.append(text(good.create_eip(1, name="signed").eip))

    # Right credentials, every route.
    run("create", create)
    eip = created[-1] if created else "100.88.0.1"
    run("list", lambda: good.list_eips())
    replay("replay_list", url)
    run("bind", lambda: good.bind_eip(eip, "BCC", "i-web00001"))
    run("list_by_instance", lambda: good.list_eips(instance_type="BCC", instance_id="i-web00001"))
    run("unbind", lambda: good.unbind_eip(eip))
    run("resize", lambda: good.resize_eip(eip, 2))

    # Failures.
    run("wrong_secret", lambda: client(url, ak, sk + "x").list_eips())
    run("unknown_key", lambda: client(url, ak + "-unknown", sk).list_eips())
    with SkewedClock(-3600):
        run("clock_behind", lambda: good.list_eips())
    with SkewedClock(3600):
        run("clock_ahead", lambda: good.list_eips())
    run("tampered_query", lambda: good.list_eips(), tamper=tamper_uri(
        lambda uri: uri.replace(b"maxKeys=1000", b"maxKeys=1")))
    run("tampered_path", lambda: good.release_eip(eip), tamper=tamper_uri(other_eip))
    run("tampered_body", lambda: good.create_eip(1, name="signed"), tamper=tamper_body)
    run("unsigned", lambda: good.list_eips(), tamper=without_authorization)

    run("release", lambda: good.release_eip(eip))


if __name__ == "__main__":
    main()
