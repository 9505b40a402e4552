"""Large request bodies refused by the examples, sent whole before the answer is read, as Python's
http.client (and the official BCE SDK on it) does.

Usage: python drain_driver.py <bce|tencent> <base_url> <attempts> <size> [<size> ...]

For each size, <attempts> times each: a POST with a body of that many bytes that the example
refuses unread (bce: over its 2 MiB limit; tencent: a version it does not serve, or over its
10 MiB limit), sent by
http.client (both styles) and by the official BCE SDK with retries off (bce only). Prints one
JSON object per client and size:

    client     "http.client" or "bce-python-sdk"
    size       the body's size in bytes
    attempts   how many requests were sent
    read       how many answers carried the whole envelope: a code, a message, and the request
               id of the body equal to the id header (x-bce-request-id, X-TC-RequestId)
    codes      the codes read, with their counts
    messages   the messages read, with their counts
    failures   the first few other outcomes (exception or unexpected answer)

The driver only reports; tests/drain_interop.rs asserts.
"""

import http.client
import json
import sys
import time
from collections import Counter
from urllib.parse import urlparse

import baidubce.protocol
from baidubce.auth.bce_credentials import BceCredentials
from baidubce.bce_client_configuration import BceClientConfiguration
from baidubce.exception import BceHttpClientError
from baidubce.http import bce_http_client, http_methods
from baidubce.retry.retry_policy import NoRetryPolicy
from baidubce.services.eip.eip_client import EipClient

# The x-bce-request-id header of the SDK's last response.
LAST_HEADER_ID = [None]

_send_http_request = bce_http_client._send_http_request


def recording_send_http_request(conn, http_method, uri, headers, body, send_buf_size):
    LAST_HEADER_ID[0] = None
    response = _send_http_request(conn, http_method, uri, headers, body, send_buf_size)
    LAST_HEADER_ID[0] = response.getheader("x-bce-request-id")
    return response


bce_http_client._send_http_request = recording_send_http_request


def bce_body(size):
    prefix, suffix = '{"bandwidthInMbps": 1, "name": "', '"}'
    return prefix + "x" * (size - len(prefix) - len(suffix)) + suffix


# The tencent_tcr example's body limit (tencent::DEFAULT_LIMIT).
TENCENT_LIMIT = 10 << 20


def tencent_body(size):
    prefix, suffix = '{"Namespace": "', '"}'
    return prefix + "x" * (size - len(prefix) - len(suffix)) + suffix


def bce_date():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def http_client_attempt(style, host, port, size, attempt):
    """One request with http.client: the envelope's (code, message ok) or why not."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        if style == "bce":
            body = bce_body(size).encode()
            headers = {"Content-Type": "application/json", "x-bce-date": bce_date()}
            conn.request("POST", "/v1/eip?clientToken=drain-%d-%d" % (size, attempt),
                         body=body, headers=headers)
        else:
            body = tencent_body(size).encode()
            headers = {
                "Content-Type": "application/json",
                "X-TC-Action": "CreateNamespacePersonal",
                # Bodies under the example's 10 MiB would be read: those go to a version the
                # example does not serve, refused unread by the layer's check. Larger ones are
                # refused unread by the example's size limit.
                "X-TC-Version": "2019-09-24" if size > TENCENT_LIMIT else "2017-03-12",
                "X-TC-Timestamp": str(int(time.time())),
                "X-TC-Language": "en-US",
                "Authorization": "TC3-HMAC-SHA256 Credential=demo/2024-01-01/tcr/tc3_request, "
                                 "SignedHeaders=content-type;host, Signature=0",
            }
            conn.request("POST", "/", body=body, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        envelope = json.loads(raw)
        if style == "bce":
            header_id = response.getheader("x-bce-request-id")
            code, message, body_id = (envelope.get("code"), envelope.get("message"),
                                      envelope.get("requestId"))
        else:
            header_id = response.getheader("x-tc-requestid")
            inner = envelope.get("Response", {})
            error = inner.get("Error", {})
            code, message, body_id = error.get("Code"), error.get("Message"), inner.get("RequestId")
        if code and message and header_id and body_id == header_id:
            return (code, message), None
        return None, "unexpected answer %d: %r" % (response.status, raw[:200])
    except Exception as e:  # what the client got instead of the answer
        return None, "%s: %s" % (type(e).__name__, e)
    finally:
        conn.close()


def sdk_attempt(client, size, attempt):
    """One request with the official BCE SDK, retries off."""
    try:
        client._send_request(http_methods.POST, b"/v1/eip", body=bce_body(size),
                             params={b"clientToken": ("drain-sdk-%d-%d" % (size, attempt))})
        return None, "no error raised"
    except BceHttpClientError as e:
        error = e.last_error
        code = getattr(e, "code", None)
        request_id = getattr(e, "request_id", None)
        if code and str(error) and request_id and request_id == LAST_HEADER_ID[0]:
            return (code, str(error)), None
        return None, "%s: %s (code %r, id %r, header id %r)" % (
            type(error).__name__, error, code, request_id, LAST_HEADER_ID[0])
    except Exception as e:
        return None, "%s: %s" % (type(e).__name__, e)


def report(client, size, outcomes):
    read = [envelope for envelope, _ in outcomes if envelope]
    codes = Counter(code for code, _ in read)
    messages = Counter(message for _, message in read)
    failures = [why for _, why in outcomes if why][:5]
    print(json.dumps({
        "client": client,
        "size": size,
        "attempts": len(outcomes),
        "read": sum(codes.values()),
        "codes": dict(codes),
        "messages": dict(messages),
        "failures": failures,
    }, sort_keys=True), flush=True)


def main():
    style, base_url, attempts = sys.argv[1], sys.argv[2], int(sys.argv[3])
    sizes = [int(size) for size in sys.argv[4:]]
    url = urlparse(base_url)
    for size in sizes:
        outcomes = [http_client_attempt(style, url.hostname, url.port, size, attempt)
                    for attempt in range(attempts)]
        report("http.client", size, outcomes)
    if style == "bce":
        config = BceClientConfiguration(
            credentials=BceCredentials("ak", "sk"),
            endpoint=base_url.encode(),
            protocol=baidubce.protocol.HTTP,
            retry_policy=NoRetryPolicy(),
            connection_timeout_in_mills=60 * 1000,
        )
        client = EipClient(config)
        for size in sizes:
            outcomes = [sdk_attempt(client, size, attempt) for attempt in range(attempts)]
            report("bce-python-sdk", size, outcomes)


if __name__ == "__main__":
    main()
