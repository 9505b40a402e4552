"""Drives examples/tencent_tcr.rs, started with credentials, through the official Tencent Cloud
SDK for Python to check `TC3-HMAC-SHA256` verification, in both languages.

Usage: python auth_tencent_driver.py <base_url> <secret_id> <secret_key>

Every call goes through `TcrClient`, so the SDK itself signs. Tampering happens after signing, in
the client's `ApiRequest.send_request`: the query (GET), the path, or the body (POST). A replay
sends the same signed request twice.

Prints one JSON object per case:

    case, lang, raised, code, message, request_id   (from the SDK)
    status, header_request_id                       (the wire)

The driver only reports; tests/interop_auth_tencent.rs asserts.
"""

import json
import os
import sys
import traceback
import types

from tencentcloud.common import abstract_client, credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.tcr.v20190924 import models, tcr_client

for _name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)


def client(endpoint, lang, secret_id, secret_key, method="POST", token=None, unsigned=False):
    http = HttpProfile(endpoint=endpoint, protocol="http", reqMethod=method, reqTimeout=60)
    profile = ClientProfile(httpProfile=http, language=lang)
    profile.unsignedPayload = unsigned
    c = tcr_client.TcrClient(credential.Credential(secret_id, secret_key, token), "ap-guangzhou",
                             profile)
    c.last = None
    c.mutate = None
    c.twice = False
    original = c.request.send_request

    def send_request(req_inter):
        if c.mutate is not None:
            c.mutate(req_inter)
        if c.twice:
            original(req_inter)
        c.last = original(req_inter)
        return c.last

    c.request.send_request = send_request
    return c


def run(case, lang, c, call, mutate=None, twice=False):
    c.last, c.mutate, c.twice = None, mutate, twice
    record = {"case": case, "lang": lang}
    try:
        value = call()
        record.update(raised=False, request_id=value.RequestId)
    except TencentCloudSDKException as e:
        record.update(raised=True, code=e.get_code(), message=e.get_message(),
                      request_id=e.get_request_id())
    except Exception as e:
        record.update(raised=True, code="python:" + type(e).__name__, message=str(e),
                      request_id=None, traceback=traceback.format_exc())
    finally:
        c.mutate, c.twice = None, False
    if c.last is not None:
        record.update(status=c.last.status_code,
                      header_request_id=c.last.headers.get("X-TC-RequestId"))
    print(json.dumps(record), flush=True)


class SkewedClock:
    """Makes the SDK stamp X-TC-Timestamp `seconds` away from now."""

    def __init__(self, seconds):
        self.seconds = seconds

    def __enter__(self):
        self.saved = abstract_client.time
        real = self.saved.time
        abstract_client.time = types.SimpleNamespace(time=lambda: real() + self.seconds)

    def __exit__(self, *exc):
        abstract_client.time = self.saved
        return False


def request(model_class, **fields):
    req = model_class()
    for name, value in fields.items():
        setattr(req, name, value)
    return req


def scenario(endpoint, lang, sid, skey):
    tag = "zh" if lang == "zh-CN" else "en"
    ns, repo = tag + "-signed", tag + "-signed/app"
    m = models
    good = client(endpoint, lang, sid, skey)
    get = client(endpoint, lang, sid, skey, method="GET")
    unsigned = client(endpoint, lang, sid, skey, unsigned=True)

    # Right credentials: every action, POST and GET, and UNSIGNED-PAYLOAD.
    run("create_namespace", lang, good, lambda: good.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=ns)))
    run("validate_namespace", lang, good, lambda: good.ValidateNamespaceExistPersonal(
        request(m.ValidateNamespaceExistPersonalRequest, Namespace=ns)))
    run("describe_namespaces", lang, good, lambda: good.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Limit=10)))
    run("get_describe_namespaces", lang, get, lambda: get.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Namespace="signed me", Limit=10)))
    run("unsigned_payload", lang, unsigned, lambda: unsigned.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Limit=10)))
    run("create_repository", lang, good, lambda: good.CreateRepositoryPersonal(
        request(m.CreateRepositoryPersonalRequest, RepoName=repo, Public=1, Description="x")))
    run("describe_repository", lang, good, lambda: good.DescribeRepositoryPersonal(
        request(m.DescribeRepositoryPersonalRequest, RepoName=repo)))
    run("replay", lang, good, lambda: good.DescribeRepositoryPersonal(
        request(m.DescribeRepositoryPersonalRequest, RepoName=repo)), twice=True)
    run("delete_repository", lang, good, lambda: good.DeleteRepositoryPersonal(
        request(m.DeleteRepositoryPersonalRequest, RepoName=repo)))

    # Failures.
    describe = lambda c: (lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Limit=10)))
    wrong = client(endpoint, lang, sid, skey + "x")
    run("wrong_secret", lang, wrong, describe(wrong))
    unknown = client(endpoint, lang, sid + "-unknown", skey)
    run("unknown_key", lang, unknown, describe(unknown))
    token = client(endpoint, lang, sid, skey, token="not-a-session-token")
    run("token_for_a_permanent_key", lang, token, describe(token))
    with SkewedClock(-600):
        run("clock_behind", lang, good, describe(good))
    with SkewedClock(600):
        run("clock_ahead", lang, good, describe(good))

    def tamper_query(req):
        req.data = req.data.replace("Limit=10", "Limit=11")

    def tamper_path(req):
        req.host = req.host + "/tampered"

    def tamper_body(req):
        req.data = req.data.replace('"Limit": 10', '"Limit": 11')

    run("tampered_query", lang, get, describe(get), mutate=tamper_query)
    run("tampered_path", lang, good, describe(good), mutate=tamper_path)
    run("tampered_body", lang, good, describe(good), mutate=tamper_body)

    run("delete_namespace", lang, good, lambda: good.DeleteNamespacePersonal(
        request(m.DeleteNamespacePersonalRequest, Namespace=ns)))


def main():
    endpoint, sid, skey = sys.argv[1:4]
    for lang in ("zh-CN", "en-US"):
        scenario(endpoint, lang, sid, skey)


if __name__ == "__main__":
    main()
