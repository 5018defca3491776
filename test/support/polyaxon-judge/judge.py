"""Polyaxon's own verdict on Polyaxonfiles, for the differential tests and the bench.

A long-running process: one JSON request per line on stdin, one JSON answer per line on stdout.

  {"id": 1, "op": "check", "path": "/abs/file.yaml", "params": [["lr", "0.1"]], "hub": "http://127.0.0.1:PORT"}
  -> {"id": 1, "valid": false, "message": "Pipeline's graph is not acyclic."}
  {"id": 2, "op": "coerce", "cases": [{"type": "int", "value": "1e3"}]}   (an IO value: ok, or the error)
  {"id": 3, "op": "yaml", "texts": ["a: 1e3"]}
  -> {"id": 2, "values": [{"value": {"map": [["a", "1e3"]]}}]}   (PyYAML's reading, see plain())

`check` does what `polyaxon check -f FILE -P NAME=VALUE...` does in this version of the package:
`check_polyaxonfile(polyaxonfile=[FILE], params=[...], to_op=True, validate_params=True)`, which
reads the file with PyYAML, collects its pathRef/urlRef/hubRef components, wraps it into an
operation and compiles it with the params (dag checks included). Only is_cli differs (False), so
an invalid file raises instead of exiting the process; the message is the chain of causes.

`hub` is where hubRef components come from (Polyaxon's public-registry mode reads
`{hub}/{name}/{version}.yaml`); urlRefs are refused unless they point at loopback, the same as
our CLI's `--offline`. See test/support/polyaxon-judge.ts for the client.
"""

import contextlib
import io
import json
import os
import sys
import tempfile
import time
import traceback
from urllib.parse import urlparse


def main() -> None:
    out = sys.stdout
    # Polyaxon prints warnings and progress; keep them off the answer channel.
    sys.stdout = sys.stderr
    # A hubRef or urlRef that names an existing file is read from disk: give it nothing to find.
    os.chdir(tempfile.mkdtemp(prefix="polyaxon-judge-"))

    from polyaxon import pkg
    from polyaxon._config.spec import ConfigSpec
    from polyaxon._polyaxonfile.check import check_polyaxonfile

    original_read_from_url = ConfigSpec.read_from_url.__func__

    def read_from_url(cls, url):
        host = urlparse(url).hostname or ""
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise cls._SCHEMA_EXCEPTION("urlRef `{}` needs a download, refused offline".format(url))
        return original_read_from_url(cls, url)

    ConfigSpec.read_from_url = classmethod(read_from_url)

    def answer(payload):
        out.write(json.dumps(payload) + "\n")
        out.flush()

    answer({"ready": True, "version": pkg.VERSION})

    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        started = time.perf_counter()
        try:
            if request.get("hub"):
                os.environ["POLYAXON_USE_GIT_REGISTRY"] = "1"
                os.environ["POLYAXON_PUBLIC_REGISTRY"] = request["hub"].rstrip("/")
            else:
                os.environ.pop("POLYAXON_USE_GIT_REGISTRY", None)
                os.environ.pop("POLYAXON_PUBLIC_REGISTRY", None)
            op = request.get("op", "check")
            if op == "check":
                result = check(check_polyaxonfile, request)
            elif op == "coerce":
                result = {"values": [coerce(case) for case in request["cases"]]}
            elif op == "yaml":
                result = {"values": [read_yaml(text) for text in request["texts"]]}
            elif op == "render":
                from render import render

                result = render(request)
            else:
                result = {"error": "unknown op `{}`".format(op)}
        except Exception:  # a bug here, not a verdict
            result = {"error": traceback.format_exc()}
        result["id"] = request.get("id")
        result["ms"] = round((time.perf_counter() - started) * 1000, 2)
        answer(result)


def check(check_polyaxonfile, request):
    params = ["{}={}".format(name, value) for name, value in request.get("params") or []]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            check_polyaxonfile(
                polyaxonfile=[request["path"]],
                params=params or None,
                is_cli=False,
                to_op=True,
                validate_params=True,
            )
        except Exception as e:  # any exception is Polyaxon refusing the file
            return {"valid": False, "message": describe(e)}
    return {"valid": True}


def coerce(case):
    """An IO's value as Polyaxon validates it (V1IO: type, isList, the value as its default)."""
    from polyaxon._flow.io.io import V1IO

    try:
        io = V1IO.from_dict(
            {"name": "x", "type": case["type"], "isList": case.get("isList", False), "value": case["value"], "isOptional": True}
        )
        return {"ok": True, "value": plain(io.value)}
    except Exception as e:
        lines = [l.strip() for l in str(e).splitlines() if l.strip() and "errors.pydantic.dev" not in l]
        return {"ok": False, "error": lines[-1][:300] if lines else type(e).__name__}


def read_yaml(text: str):
    """PyYAML's reading of `text` (as Polyaxon reads files), in a form JSON keeps exactly."""
    import yaml

    try:
        return {"value": plain(yaml.safe_load(text))}
    except Exception as e:
        return {"error": "{}: {}".format(type(e).__name__, e)}


def plain(value):
    import datetime
    import math

    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= 2**53 else {"int": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"float": repr(value)}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return {"time": math.floor(value.timestamp() * 1000)}
    if isinstance(value, datetime.date):
        midnight = datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.timezone.utc)
        return {"time": math.floor(midnight.timestamp() * 1000)}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {"map": [[plain(k), plain(v)] for k, v in value.items()]}
    return {"other": repr(value)}


def describe(error: BaseException) -> str:
    """The error's causes, outermost first, joined by ` <- ` (without the generic wrapper)."""
    parts = []
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        text = str(error).strip()
        if text != "Polyaxonfile is not valid.":
            parts.append(text or type(error).__name__)
        error = error.__cause__ or error.__context__
    return " <- ".join(parts) or "Polyaxonfile is not valid."


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
