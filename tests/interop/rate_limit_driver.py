"""Drives examples/rate_limit.rs through the official SDKs, with their own retry policies.

Usage: python rate_limit_driver.py bce <base_url>
       python rate_limit_driver.py tencent <host:port>

Makes three calls in a row, against a limit of two requests per client, and prints one JSON
object per call:

    call                 1, 2 or 3
    raised               whether the SDK call raised
    status_code          BCE only: the HTTP status the SDK reports (exc.last_error.status_code)
    code, message, request_id
                         what the SDK reports for an error (BCE: exc.last_error.code, str(...),
                         .request_id; Tencent: get_code(), get_message(), get_request_id())
    result               for a success, what the SDK returned

BCE runs with the SDK's default retry policy (BackOffRetryPolicy: 500 and 503 retried);
Tencent with its StandardRetryer (RequestLimitExceeded retried), its back-off shortened to
50 ms. How many requests reached the service is counted by the test, which asserts.
"""

import json
import os
import sys

# Loopback only: never through a proxy from the environment.
for _name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)


def bce(base_url):
    import baidubce.protocol
    from baidubce.auth import bce_v1_signer
    from baidubce.auth.bce_credentials import BceCredentials
    from baidubce.bce_client_configuration import BceClientConfiguration
    from baidubce.exception import BceHttpClientError
    from baidubce.http import bce_http_client, handler, http_methods
    from baidubce.retry.retry_policy import BackOffRetryPolicy

    config = BceClientConfiguration(
        credentials=BceCredentials("ak", "sk"),
        endpoint=base_url.encode(),
        protocol=baidubce.protocol.HTTP,
        retry_policy=BackOffRetryPolicy(),  # the SDK's default policy, named
        connection_timeout_in_mills=60 * 1000,
    )

    for call in (1, 2, 3):
        report = {"call": call}
        try:
            response = bce_http_client.send_request(
                config, bce_v1_signer.sign, [handler.parse_error, handler.parse_json],
                http_methods.GET, b"/v1/ping", None, {b"Accept": b"*/*"}, {})
            report.update(raised=False, result={"pong": response.pong})
        except BceHttpClientError as exc:
            error = exc.last_error
            report.update(
                raised=True,
                status_code=getattr(error, "status_code", None),
                code=getattr(error, "code", None),
                message=str(error),
                request_id=getattr(error, "request_id", None),
            )
        print(json.dumps(report, sort_keys=True), flush=True)


def tencent(endpoint):
    from tencentcloud.common import credential
    from tencentcloud.common.common_client import CommonClient
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
    from tencentcloud.common.profile.client_profile import ClientProfile
    from tencentcloud.common.profile.http_profile import HttpProfile
    from tencentcloud.common.retry import StandardRetryer

    os.environ["NO_PROXY"] = os.environ["no_proxy"] = endpoint + ",127.0.0.1,localhost"
    http = HttpProfile(endpoint=endpoint, protocol="http", reqMethod="POST", reqTimeout=60)
    profile = ClientProfile(
        httpProfile=http,
        language="en-US",
        retryer=StandardRetryer(max_attempts=3, backoff_fn=lambda attempt: 0.05),
    )
    client = CommonClient("ping", "2024-06-01", credential.Credential("id", "key"),
                          "ap-guangzhou", profile)

    for call in (1, 2, 3):
        report = {"call": call}
        try:
            response = client.call_json("Ping", {})
            report.update(raised=False, result=response["Response"])
        except TencentCloudSDKException as exc:
            report.update(
                raised=True,
                code=exc.get_code(),
                message=exc.get_message(),
                request_id=exc.get_request_id(),
            )
        print(json.dumps(report, sort_keys=True), flush=True)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("bce", "tencent"):
        sys.exit("usage: rate_limit_driver.py bce <base_url> | tencent <host:port>")
    if sys.argv[1] == "bce":
        bce(sys.argv[2])
    else:
        tencent(sys.argv[2])


if __name__ == "__main__":
    main()
