"""Drives replicas of examples/bce_eip.rs that share one Redis through the official BCE Python SDK
(bce-python-sdk), for tests/interop_bce_replicas.rs.

Usage:

    python bce_replicas_driver.py create <base_url> <client_token> <bandwidth> [<fault>]
    python bce_replicas_driver.py concurrent <client_token> <bandwidth> <base_url>...
    python bce_replicas_driver.py list <base_url>

`create` calls EipClient.create_eip once (with `x-demo-fault: <fault>` if given); `concurrent`
calls it once per base URL, all at once from threads; `list` calls list_eips. The SDK never
retries (NoRetryPolicy), so every report is one HTTP exchange. Prints one JSON object per call:

    raised, exception, code, message, status_code, request_id
                       what the SDK reported (for an error)
    eip, eips          the created EIP / the listed EIPs (for a success)
    requests           HTTP requests the call sent
    http_status, header_request_id, content_type, raw_body
                       the raw response, as received

The driver only reports; the Rust test asserts.
"""

import json
import sys
import threading

import baidubce.protocol
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.exception import BceHttpClientError
from baidubce.http import bce_http_client
from baidubce.retry.retry_policy import NoRetryPolicy
from baidubce.services.eip.eip_client import EipClient

# Per thread: the headers to add, and the raw responses of the current call.
LOCAL = threading.local()

_send_http_request = bce_http_client._send_http_request


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

    def read(self, amt=None):
        body, self._body = self._body, b""
        return body

    def close(self):
        pass


def recording_send_http_request(conn, http_method, uri, headers, body, send_buf_size):
    headers = dict(headers)
    headers.update(getattr(LOCAL, "headers", {}))
    response = RecordedResponse(
        _send_http_request(conn, http_method, uri, headers, body, send_buf_size))
    LOCAL.responses.append(response)
    return response


bce_http_client._send_http_request = recording_send_http_request


def client(base_url):
    return EipClient(BceClientConfiguration(
        credentials=BceCredentials("ak", "sk"),
        endpoint=base_url.encode(),
        protocol=baidubce.protocol.HTTP,
        retry_policy=NoRetryPolicy(),
        connection_timeout_in_mills=60 * 1000,
    ))


def plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def call(what, headers=None):
    LOCAL.responses = []
    LOCAL.headers = headers or {}
    report = {}
    try:
        result = what()
        report.update(raised=False)
        if getattr(result, "eip", None) is not None:
            report["eip"] = plain(result.eip)
        if getattr(result, "eip_list", None) is not None:
            report["eips"] = [plain(item.eip) for item in result.eip_list]
    except BceHttpClientError as e:
        report.update(
            raised=True,
            exception=type(e).__name__,
            status_code=e.status_code,
            code=plain(e.code),
            message=plain(str(e.last_error)),
            request_id=plain(e.request_id),
        )
    except Exception as e:  # the SDK itself failed: report it, the test fails on it
        report.update(raised=True, exception=type(e).__name__, message=repr(e))
    report["requests"] = len(LOCAL.responses)
    if LOCAL.responses:
        response = LOCAL.responses[-1]
        report.update(
            http_status=response.status,
            header_request_id=response.getheader("x-bce-request-id"),
            content_type=response.getheader("content-type"),
            raw_body=response.raw_body.decode("utf-8", "replace"),
        )
    return report


def create(base_url, token, bandwidth, fault=None):
    headers = {b"x-demo-fault": fault.encode()} if fault else None
    return call(lambda: client(base_url).create_eip(int(bandwidth), name="replica",
                                                     client_token=token), headers)


def main():
    command = sys.argv[1]
    if command == "create":
        reports = [create(*sys.argv[2:])]
    elif command == "concurrent":
        token, bandwidth, urls = sys.argv[2], sys.argv[3], sys.argv[4:]
        reports = [None] * len(urls)
        start = threading.Barrier(len(urls))

        def one(i):
            start.wait()
            reports[i] = create(urls[i], token, bandwidth)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(len(urls))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elif command == "list":
        reports = [call(lambda: client(sys.argv[2]).list_eips())]
    else:
        raise SystemExit("unknown command " + command)
    for report in reports:
        print(json.dumps(report, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
