"""Drives examples/bce_eip.rs through the official BCE Python SDK (bce-python-sdk).

Usage: python bce_eip_driver.py <base_url>

Runs a fixed scenario against a fresh server started with fault injection on, and prints one
JSON object per case on stdout:

    case               the case name
    raised             whether the SDK call raised
    exception          the exception's class name (BceHttpClientError when the server answered)
    last_error         the class of the error the SDK wrapped (BceServerError)
    status_code, code, message, request_id
                       what the SDK reports: exc.status_code, exc.code, str(exc.last_error),
                       exc.request_id
    result             for a success, the SDK's response object as plain JSON (metadata and
                       raw_data left out)
    requests           how many HTTP requests the call sent (1: the SDK does not retry here)
    http_status, reason, header_request_id, content_type, allow, connection, raw_body
                       the raw response of the call's last request, as received on the wire
    sent_bce_date      the x-bce-date header the SDK signed and sent with that request

The driver only reports; tests/interop_bce.rs asserts.
"""

import http.client
import json
import sys
import time

import baidubce.protocol
from baidubce import utils
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.exception import BceHttpClientError
from baidubce.http import bce_http_client, http_methods
from baidubce.retry.retry_policy import NoRetryPolicy
from baidubce.services.eip.eip_client import EipClient
from baidubce.services.eip.model import Billing

# Every response the SDK receives, as (status, reason, headers, body), the x-bce-date of each
# request, and the headers to add to the requests of the current case (x-demo-fault).
RESPONSES = []
SENT_DATES = []
EXTRA_HEADERS = {}
# Whether the current case reads the answer even when sending the body failed (see Tolerant).
TOLERATE_EARLY_ANSWER = [False]


class RecordedResponse(object):
    """What http.client returned, read once, then handed to the SDK unchanged."""

    def __init__(self, response):
        self.status = response.status
        self.reason = response.reason
        self._headers = response.getheaders()
        self._body = response.read()
        self.raw_body = self._body  # for the report: the SDK's read() consumes _body
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


class Tolerant(object):
    """An http.client connection whose send() ignores a broken pipe or a reset, as urllib3 does
    (and so the Tencent SDK): a server that answers before reading a large body closes the
    connection, and http.client alone gives up before reading the answer. The SDK still parses
    whatever answer arrives."""

    def __init__(self, conn):
        self._conn = conn

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def send(self, data):
        try:
            self._conn.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


_send_http_request = bce_http_client._send_http_request


def recording_send_http_request(conn, http_method, uri, headers, body, send_buf_size):
    headers = dict(headers)
    headers.update(EXTRA_HEADERS)
    SENT_DATES.append(next(
        (value for key, value in headers.items() if key.lower() == b"x-bce-date"), None))
    if TOLERATE_EARLY_ANSWER[0]:
        conn = Tolerant(conn)
    response = RecordedResponse(
        _send_http_request(conn, http_method, uri, headers, body, send_buf_size)
    )
    RESPONSES.append(response)
    return response


bce_http_client._send_http_request = recording_send_http_request

_get_canonical_time = utils.get_canonical_time


class StaleClock(object):
    """Makes the SDK date (x-bce-date) and sign its requests an hour in the past: the SDK reads
    the time through baidubce.utils.get_canonical_time()."""

    def __enter__(self):
        utils.get_canonical_time = (
            lambda timestamp=0: _get_canonical_time(timestamp or int(time.time()) - 3600))

    def __exit__(self, *exc):
        utils.get_canonical_time = _get_canonical_time
        return False


def plain(value):
    """The SDK's objects (Expando, BceResponse) as JSON-ready values."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if hasattr(value, "__dict__"):
        return {
            key: plain(item)
            for key, item in vars(value).items()
            if key not in ("metadata", "raw_data")
        }
    return value


def run(name, call, headers=None, tolerate_early_answer=False):
    del RESPONSES[:]
    del SENT_DATES[:]
    EXTRA_HEADERS.clear()
    EXTRA_HEADERS.update(headers or {})
    TOLERATE_EARLY_ANSWER[0] = tolerate_early_answer
    report = {"case": name}
    try:
        report.update(raised=False, result=plain(call()))
    except BceHttpClientError as e:
        report.update(
            raised=True,
            exception=type(e).__name__,
            last_error=type(e.last_error).__name__,
            status_code=e.status_code,
            code=plain(e.code),
            message=plain(str(e.last_error)),
            request_id=plain(e.request_id),
        )
    except Exception as e:  # the SDK itself failed: report it, the test fails on it
        report.update(raised=True, exception=type(e).__name__, message=repr(e))
    finally:
        EXTRA_HEADERS.clear()
        TOLERATE_EARLY_ANSWER[0] = False
    report["requests"] = len(RESPONSES)
    if RESPONSES:
        response = RESPONSES[-1]
        report.update(
            http_status=response.status,
            reason=response.reason,
            header_request_id=response.getheader("x-bce-request-id"),
            content_type=response.getheader("content-type"),
            allow=response.getheader("allow"),
            connection=response.getheader("connection"),
            raw_body=response.raw_body.decode("utf-8", "replace"),
            sent_bce_date=plain(SENT_DATES[-1]),
        )
    print(json.dumps(report, sort_keys=True), flush=True)
    return report


def main():
    base_url = sys.argv[1]
    config = BceClientConfiguration(
        credentials=BceCredentials("ak", "sk"),
        endpoint=base_url.encode(),
        protocol=baidubce.protocol.HTTP,
        retry_policy=NoRetryPolicy(),
        connection_timeout_in_mills=60 * 1000,
    )
    client = EipClient(config)

    def raw(method, path, body=None, params=None, headers=None):
        """A request the public methods cannot send, still through the SDK's client."""
        return lambda: client._send_request(method, path, body=body, params=params,
                                            headers=headers)

    def eip(report):
        # A placeholder keeps the scenario going when a create failed; the test reports it.
        return (report.get("result") or {}).get("eip") or "0.0.0.0"

    postpaid = '{"paymentTiming": "Postpaid", "billingMethod": "ByBandwidth"}'

    # create_eip: success, idempotency, body errors, quota.
    a = eip(run("create_postpaid",
                lambda: client.create_eip(10, name="web-1", client_token="tok-create-1")))
    run("create_idempotent_replay",
        lambda: client.create_eip(10, name="web-1", client_token="tok-create-1"))
    run("create_idempotent_mismatch",
        lambda: client.create_eip(20, name="web-1", client_token="tok-create-1"))
    b = eip(run("create_prepaid", lambda: client.create_eip(
        5, name="db-1", billing=Billing("Prepaid", "ByBandwidth", reservation_length=1),
        client_token="tok-create-2")))
    c = eip(run("create_unknown_fields_ignored", raw(
        http_methods.POST, b"/v1/eip",
        body='{"bandwidthInMbps": 1, "name": "batch-1", "routeType": "BGP",'
             ' "billing": {"paymentTiming": "Postpaid", "futureOption": true},'
             ' "someFutureField": {"nested": [1, 2]}}',
        params={b"clientToken": "tok-create-3"})))
    run("create_malformed_json", raw(
        http_methods.POST, b"/v1/eip", body='{"bandwidthInMbps": 1, "billing": ',
        params={b"clientToken": "tok-create-4"}))
    run("create_missing_field", raw(
        http_methods.POST, b"/v1/eip", body='{"name": "x", "billing": %s}' % postpaid,
        params={b"clientToken": "tok-create-5"}))
    run("create_wrong_type", raw(
        http_methods.POST, b"/v1/eip",
        body='{"bandwidthInMbps": "ten", "billing": %s}' % postpaid,
        params={b"clientToken": "tok-create-6"}))
    run("create_body_not_object", raw(
        http_methods.POST, b"/v1/eip", body="[10, %s]" % postpaid,
        params={b"clientToken": "tok-create-7"}))
    run("create_billing_not_object", raw(
        http_methods.POST, b"/v1/eip", body='{"bandwidthInMbps": 1, "billing": ["Postpaid"]}',
        params={b"clientToken": "tok-create-8"}))
    # A wrong type first, a syntax error after it: the syntax error decides.
    run("create_malformed_after_misfit", raw(
        http_methods.POST, b"/v1/eip", body='{"bandwidthInMbps": "ten", "billing": %s,}' % postpaid,
        params={b"clientToken": "tok-create-9"}))
    run("create_text_body", raw(
        http_methods.POST, b"/v1/eip", body='{"bandwidthInMbps": 1, "billing": %s}' % postpaid,
        headers={b"Accept": b"*/*", b"Content-Type": b"text/plain"},
        params={b"clientToken": "tok-create-10"}))
    run("create_unknown_payment_timing",
        lambda: client.create_eip(5, billing=Billing("Weekly", "ByBandwidth")))
    run("create_bandwidth_out_of_range", lambda: client.create_eip(500))
    run("create_prepaid_without_length",
        lambda: client.create_eip(5, billing=Billing("Prepaid", "ByBandwidth")))
    run("create_client_token_too_long", lambda: client.create_eip(5, client_token="t" * 65))
    d = eip(run("create_by_traffic",
                lambda: client.create_eip(100, billing=Billing("Postpaid", "ByTraffic"))))
    run("create_default_billing", lambda: client.create_eip(2))
    run("create_beyond_quota", lambda: client.create_eip(2))

    # list_eips: everything, pages, filters, query errors.
    run("list_all", lambda: client.list_eips())
    first = run("list_first_page", lambda: client.list_eips(max_keys=2))
    next_marker = (first.get("result") or {}).get("next_marker")
    run("list_next_page", lambda: client.list_eips(marker=next_marker, max_keys=2))
    run("list_by_eip", lambda: client.list_eips(eip=b))
    run("list_max_keys_invalid", lambda: client.list_eips(max_keys=0))

    # bind_eip.
    run("bind", lambda: client.bind_eip(a, "BCC", "i-web00001"))
    run("list_by_instance", lambda: client.list_eips(instance_type="BCC", instance_id="i-web00001"))
    run("list_instance_type_without_id", lambda: client.list_eips(instance_type="BCC"))
    run("bind_eip_not_found", lambda: client.bind_eip("100.88.0.200", "BCC", "i-web00002"))
    run("bind_instance_not_found", lambda: client.bind_eip(c, "BCC", "i-missing"))
    run("bind_instance_already_bound", lambda: client.bind_eip(c, "BCC", "i-web00001"))
    run("bind_eip_already_bound", lambda: client.bind_eip(a, "BCC", "i-web00002"))
    run("bind_missing_instance_id", raw(
        http_methods.PUT, b"/v1/eip/" + c.encode(), body='{"instanceType": "BCC"}',
        params={b"bind": b"", b"clientToken": "tok-bind-1"}))
    run("put_without_action", raw(
        http_methods.PUT, b"/v1/eip/" + c.encode(), body="{}",
        params={b"clientToken": "tok-put-1"}))
    run("release_bound", lambda: client.release_eip(a))

    # unbind_eip, resize_eip.
    run("unbind", lambda: client.unbind_eip(a))
    run("unbind_not_bound", lambda: client.unbind_eip(a))
    run("resize", lambda: client.resize_eip(a, 50))
    run("list_after_resize", lambda: client.list_eips(eip=a))
    run("resize_out_of_range", lambda: client.resize_eip(a, 201))
    run("resize_eip_not_found", lambda: client.resize_eip("100.88.0.200", 10))

    # release_eip.
    run("release_prepaid", lambda: client.release_eip(b))
    run("release", lambda: client.release_eip(a))
    run("release_eip_not_found", lambda: client.release_eip(a))
    run("create_after_release", lambda: client.create_eip(3))

    # Routing: the layer's version check, and its rewrite of axum's bare 404 and 405.
    run("unknown_path", raw(http_methods.GET, b"/v1/vpc"))
    run("invalid_version", raw(http_methods.GET, b"/v2/eip"))
    run("invalid_version_with_body", raw(
        http_methods.POST, b"/v2/eip", body='{"bandwidthInMbps": 1, "billing": %s}' % postpaid,
        params={b"clientToken": "tok-v2-1"}))
    run("method_not_allowed", raw(
        http_methods.POST, b"/v1/eip/" + d.encode(),
        body='{"instanceType": "BCC", "instanceId": "i-web00002"}', params={b"bind": b""}))

    # The layer's date check: the SDK dates and signs the request an hour ago.
    def stale_create():
        with StaleClock():
            return client.create_eip(1, client_token="tok-stale-1")
    run("create_request_expired", stale_create)

    # A body over the extractor's 2 MiB, refused unread: see Tolerant.
    run("create_body_too_large", raw(
        http_methods.POST, b"/v1/eip",
        body='{"bandwidthInMbps": 1, "name": "%s", "billing": %s}' % ("x" * (2 << 20), postpaid),
        params={b"clientToken": "tok-large-1"}), tolerate_early_answer=True)

    # Faults: a panic, and an internal error whose text holds a secret.
    run("panic", lambda: client.list_eips(), headers={b"x-demo-fault": b"panic"})
    run("internal", lambda: client.create_eip(1), headers={b"x-demo-fault": b"internal"})

    # HEAD: no body, the SDK reports the reason and takes the request id from the header.
    run("head_error", raw(http_methods.HEAD, b"/v2/eip"))


if __name__ == "__main__":
    main()
