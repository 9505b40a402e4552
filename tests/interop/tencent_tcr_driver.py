"""Drives examples/tencent_tcr.rs through the official Tencent Cloud SDK for Python.

Usage: python tencent_tcr_driver.py <base_url or host:port> [faults | no-faults]

Every call goes through `tencentcloud.tcr.v20190924.tcr_client.TcrClient` (typed actions, or
`call_json`), so the SDK itself signs the request and parses the answer. Requests the SDK cannot
make on its own (a PUT, a path other than `/`, a broken body or header) are made by changing the
SDK's prepared request just before it is sent; the SDK still parses the response.

The driver only reports. It prints one JSON object per case:

    case, lang, raised, code, message, request_id, result,
    status, content_type, header_request_id, connection, body, warnings

`code`/`message`/`request_id` come from the SDK's exception (`get_code()`, `get_message()`,
`get_request_id()`); for a success, `request_id` is the RequestId the SDK returned and `result`
the returned model (or `Response` object for `call_json`). `status`, `content_type`,
`header_request_id` (`X-TC-RequestId`), `connection` (the `Connection` header) and `body` are
read from the raw HTTP response;
`warnings` lists what the SDK's models warned about while parsing (fields they do not define).
tests/interop_tencent.rs decides what is right.
"""

import json
import os
import sys
import traceback
import types
import warnings

from tencentcloud.common import abstract_client, credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.tcr.v20190924 import models, tcr_client

# Loopback only: never through a proxy from the environment.
for _name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_name, None)


class Recorder:
    """Wraps the client's `ApiRequest.send_request`: keeps the raw response of the last call,
    and optionally changes the prepared request (or how it is sent) first."""

    def __init__(self, client):
        self.original = client.request.send_request
        self.mutate = None
        self.send = None
        self.last = None
        client.request.send_request = self._send_request

    def _send_request(self, req_inter):
        if self.mutate is not None:
            self.mutate(req_inter)
        response = self.send(req_inter) if self.send is not None else self.original(req_inter)
        self.last = response
        return response

    def reset(self):
        self.mutate = None
        self.send = None
        self.last = None


class Session:
    """One SDK client (one language, one HTTP method) and its recorder."""

    def __init__(self, endpoint, lang, method="POST", api_version=None):
        http = HttpProfile(endpoint=endpoint, protocol="http", reqMethod=method, reqTimeout=60)
        if lang == "zh-CN":
            profile = ClientProfile(httpProfile=http)  # the SDK's default language
        else:
            profile = ClientProfile(httpProfile=http, language=lang)
        self.client = tcr_client.TcrClient(credential.Credential("id", "key"), "ap-guangzhou", profile)
        if api_version is not None:
            self.client._apiVersion = api_version
        self.recorder = Recorder(self.client)


def model_result(model):
    return model.RequestId, json.loads(model.to_json_string())


def json_result(body):
    response = body.get("Response", {})
    return response.get("RequestId"), response


def report(case, lang, recorder, call, result_of=model_result, mutate=None, send=None):
    recorder.reset()
    recorder.mutate = mutate
    recorder.send = send
    record = {"case": case, "lang": lang}
    try:
        # The models warn ("... fileds are useless.") about response fields they do not define;
        # the SDK silences that, the driver reports it.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                value = call()
            finally:
                record["warnings"] = [str(w.message) for w in caught
                                      if issubclass(w.category, UserWarning)]
        request_id, result = result_of(value)
        record.update(raised=False, request_id=request_id, result=result)
    except TencentCloudSDKException as e:
        record.update(raised=True, code=e.get_code(), message=e.get_message(),
                      request_id=e.get_request_id())
    except Exception as e:  # reported, for the test to fail on with the details
        record.update(raised=True, code="python:" + type(e).__name__, message=str(e),
                      request_id=None, traceback=traceback.format_exc())
    finally:
        recorder.mutate = None
        recorder.send = None
    response = recorder.last
    if response is not None:
        record.update(status=response.status_code,
                      content_type=response.headers.get("Content-Type"),
                      header_request_id=response.headers.get("X-TC-RequestId"),
                      connection=response.headers.get("Connection"),
                      body=response.content.decode("utf-8", "replace"))
    else:
        record.update(status=None, content_type=None, header_request_id=None, connection=None,
                      body=None)
    print(json.dumps(record), flush=True)


def request(model_class, headers=None, **fields):
    req = model_class()
    for name, value in fields.items():
        setattr(req, name, value)
    if headers:
        req.headers = dict(headers)
    return req


class StaleClock:
    """Makes the SDK stamp X-TC-Timestamp ten minutes in the past."""

    def __enter__(self):
        self.saved = abstract_client.time
        real = self.saved.time
        abstract_client.time = types.SimpleNamespace(time=lambda: real() - 600)

    def __exit__(self, *exc):
        abstract_client.time = self.saved
        return False


def scenario(endpoint, lang):
    tag = "zh" if lang == "zh-CN" else "en"
    apps, team, tools = tag + "-apps", tag + "-team", tag + "-tools"
    repo = apps + "/web"
    s = Session(endpoint, lang)
    c, r = s.client, s.recorder
    m = models

    def run(case, call, **kw):
        report(case, lang, r, call, **kw)

    # Namespaces.
    run("validate_namespace_absent", lambda: c.ValidateNamespaceExistPersonal(
        request(m.ValidateNamespaceExistPersonalRequest, Namespace=apps)))
    run("create_namespace", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=apps)))
    run("validate_namespace_present", lambda: c.ValidateNamespaceExistPersonal(
        request(m.ValidateNamespaceExistPersonalRequest, Namespace=apps)))
    run("validate_namespace_reserved", lambda: c.ValidateNamespaceExistPersonal(
        request(m.ValidateNamespaceExistPersonalRequest, Namespace="library")))
    run("create_namespace_exists", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=apps)))
    run("create_namespace_reserved", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace="library")))
    run("create_namespace_invalid_name", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace="Bad_Name!")))
    run("create_namespace_second", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=tools)))
    run("create_namespace_third", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=team)))
    run("create_namespace_over_quota", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=tag + "-more")))
    run("describe_namespaces", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)))
    run("describe_namespaces_filtered", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Namespace="-t", Limit=1, Offset=1)))
    run("describe_namespaces_invalid_limit", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Limit=0)))

    # The same action over GET, parameters in the query string.
    g = Session(endpoint, lang, method="GET")
    report("get_describe_namespaces", lang, g.recorder, lambda: g.client.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Limit=2)))
    report("get_invalid_parameter", lang, g.recorder, lambda: g.client.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Limit="ten")))

    # Repositories.
    run("create_repository", lambda: c.CreateRepositoryPersonal(
        request(m.CreateRepositoryPersonalRequest, RepoName=repo, Public=1, Description="front end")))
    run("describe_repository", lambda: c.DescribeRepositoryPersonal(
        request(m.DescribeRepositoryPersonalRequest, RepoName=repo)))
    run("create_repository_exists", lambda: c.CreateRepositoryPersonal(
        request(m.CreateRepositoryPersonalRequest, RepoName=repo)))
    run("create_repository_no_namespace", lambda: c.CreateRepositoryPersonal(
        request(m.CreateRepositoryPersonalRequest, RepoName="ghost-ns/web")))
    run("create_repository_invalid_name", lambda: c.CreateRepositoryPersonal(
        request(m.CreateRepositoryPersonalRequest, RepoName="web")))
    run("create_repository_invalid_public", lambda: c.CreateRepositoryPersonal(
        request(m.CreateRepositoryPersonalRequest, RepoName=apps + "/api", Public=2)))
    run("describe_namespace_repo_count", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Namespace=apps)))
    run("delete_namespace_in_use", lambda: c.DeleteNamespacePersonal(
        request(m.DeleteNamespacePersonalRequest, Namespace=apps)))
    run("delete_repository", lambda: c.DeleteRepositoryPersonal(
        request(m.DeleteRepositoryPersonalRequest, RepoName=repo)))
    run("delete_repository_missing", lambda: c.DeleteRepositoryPersonal(
        request(m.DeleteRepositoryPersonalRequest, RepoName=repo)))
    run("describe_repository_missing", lambda: c.DescribeRepositoryPersonal(
        request(m.DescribeRepositoryPersonalRequest, RepoName=repo)))
    run("delete_namespace", lambda: c.DeleteNamespacePersonal(
        request(m.DeleteNamespacePersonalRequest, Namespace=apps)))
    run("delete_namespace_second", lambda: c.DeleteNamespacePersonal(
        request(m.DeleteNamespacePersonalRequest, Namespace=tools)))
    run("delete_namespace_third", lambda: c.DeleteNamespacePersonal(
        request(m.DeleteNamespacePersonalRequest, Namespace=team)))
    run("delete_namespace_missing", lambda: c.DeleteNamespacePersonal(
        request(m.DeleteNamespacePersonalRequest, Namespace=apps)))
    run("describe_namespaces_empty", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)))

    # Protocol, authentication and parameter errors. The layer's checks (method, timestamp,
    # action and version headers) and its rewrite of axum's bare 404 (unknown path) answer
    # before the example's own (Authorization, unknown action, parameters).
    run("invalid_action", lambda: c.call_json("NoSuchAction", {}), result_of=json_result)

    def other_path(req):
        req.host = endpoint + "/v2/tcr"
    run("unknown_path", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)), mutate=other_path)

    v = Session(endpoint, lang, api_version="2017-01-01")
    report("no_such_version", lang, v.recorder, lambda: v.client.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)))

    run("missing_parameter", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest)))
    run("missing_parameter_repo_name", lambda: c.DeleteRepositoryPersonal(
        request(m.DeleteRepositoryPersonalRequest)))
    run("unknown_parameter", lambda: c.call_json(
        "CreateNamespacePersonal", {"Namespace": tag + "-extra", "Quota": 5}), result_of=json_result)
    run("invalid_parameter_type", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, Limit="ten")))

    def broken_body(req):
        req.data = '{"Namespace": '
    run("invalid_parameter_body", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=tag + "-body")), mutate=broken_body)

    # A wrong type and an unknown parameter first, the syntax error after them: unparseable.
    def misfit_then_broken(req):
        req.data = '{"Namespace": 5, "Quota": 1,'
    run("invalid_parameter_body_after_misfit", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=tag + "-late")), mutate=misfit_then_broken)

    def not_utf8(req):
        req.data = b'{"Namespace": "\xff"}'
    run("invalid_parameter_not_utf8", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=tag + "-utf8")), mutate=not_utf8)

    # The SDK leaves out unset parameters; a `null` one is missing too.
    def null_namespace(req):
        req.data = '{"Namespace": null}'
    run("missing_parameter_null", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=tag + "-null")), mutate=null_namespace)

    def text_content_type(req):
        req.header["Content-Type"] = "text/plain"
    run("invalid_content_type", lambda: c.CreateNamespacePersonal(
        request(m.CreateNamespacePersonalRequest, Namespace=tag + "-text")), mutate=text_content_type)

    def stale():
        with StaleClock():
            return c.DescribeNamespacePersonal(request(m.DescribeNamespacePersonalRequest))
    run("signature_expire", stale)

    def no_timestamp(req):
        del req.header["X-TC-Timestamp"]
    run("missing_timestamp", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)), mutate=no_timestamp)

    def bad_timestamp(req):
        req.header["X-TC-Timestamp"] = "yesterday"
    run("invalid_timestamp", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)), mutate=bad_timestamp)

    # SkipSign: the SDK sends `Authorization: SKIP`.
    run("invalid_authorization", lambda: c.call_json(
        "DescribeNamespacePersonal", {}, options={"SkipSign": True}), result_of=json_result)

    def put(req):
        return c.request.conn.request("PUT", "http://" + endpoint + "/", req.data, req.header)
    run("unsupported_protocol", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)), send=put)

    def no_action(req):
        del req.header["X-TC-Action"]
    run("missing_action", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)), mutate=no_action)

    def no_version(req):
        del req.header["X-TC-Version"]
    run("missing_version", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest)), mutate=no_version)

    # The order of the checks: the layer's before the example's.
    report("version_before_action", lang, v.recorder,
           lambda: v.client.call_json("NoSuchAction", {}), result_of=json_result)

    def stale_unsigned():
        with StaleClock():
            return c.call_json("DescribeNamespacePersonal", {}, options={"SkipSign": True})
    run("expired_before_authorization", stale_unsigned, result_of=json_result)

    # A body over the documented 10 MB, refused unread; urllib3 reads the answer although the
    # server stops reading and closes the connection.
    run("request_size_limit_exceeded", lambda: c.CreateRepositoryPersonal(
        request(m.CreateRepositoryPersonalRequest, RepoName=apps + "/big",
                Description="x" * (10 << 20))))

    # Faults (the server runs with faults on).
    run("fault_panic", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, headers={"x-demo-fault": "panic"})))
    run("fault_internal", lambda: c.DescribeNamespacePersonal(
        request(m.DescribeNamespacePersonalRequest, headers={"x-demo-fault": "internal"})))


def no_faults_scenario(endpoint):
    """Against a server with faults off: the fault header is ignored."""
    lang = "zh-CN"
    s = Session(endpoint, lang)
    for case, fault in (("fault_panic_ignored", "panic"), ("fault_internal_ignored", "internal")):
        report(case, lang, s.recorder, lambda fault=fault: s.client.DescribeNamespacePersonal(
            request(models.DescribeNamespacePersonalRequest, headers={"x-demo-fault": fault})))


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] not in ("faults", "no-faults")):
        sys.exit("usage: tencent_tcr_driver.py <base_url or host:port> [faults | no-faults]")
    endpoint = sys.argv[1]
    for prefix in ("http://", "https://"):
        if endpoint.startswith(prefix):
            endpoint = endpoint[len(prefix):]
    endpoint = endpoint.rstrip("/")
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = endpoint + ",127.0.0.1,localhost"

    if len(sys.argv) == 3 and sys.argv[2] == "no-faults":
        no_faults_scenario(endpoint)
    else:
        for lang in ("zh-CN", "en-US"):
            scenario(endpoint, lang)


if __name__ == "__main__":
    main()
