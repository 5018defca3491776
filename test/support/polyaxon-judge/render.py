"""What Polyaxon hands each container of an operation: the `render` op of judge.py.

  {"op": "render", "path": "/abs/op.yaml", "params": [["lr", "0.1"]]}
  -> {"containers": [{"name": ..., "command": [...], "args": [...], "env": {"NAME": "value"}}]}

Polyaxon renders params into the container when its agent compiles a run: `make_and_convert`
reads the operation, compiles it with its params, resolves it (globals, params, contexts) and
converts it into the Kubernetes resource, which is what reaches the kubelet. That needs no API
server, only an agent configuration, given here with an artifacts store (a volume claim) and
made-up owner, project and run names. Env vars holding platform values (POLYAXON_*) and
`valueFrom` ones are left out.
"""

import uuid

_configured = False


def _configure():
    global _configured
    if _configured:
        return
    from polyaxon import settings
    from polyaxon._schemas.agent import AgentConfig

    settings.AGENT_CONFIG = AgentConfig.from_dict(
        {
            "namespace": "polyaxon",
            "artifactsStore": {
                "name": "store",
                "kind": "volume_claim",
                "schema": {"mountPath": "/plx-context/artifacts", "volumeClaim": "store"},
            },
        }
    )
    _configured = True


def render(request):
    import contextlib
    import io

    from kubernetes.client import ApiClient
    from polyaxon._k8s.executor.base import BaseExecutor
    from polyaxon._polyaxonfile.check import check_polyaxonfile

    _configure()
    params = ["{}={}".format(name, value) for name, value in request.get("params") or []]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            operation = check_polyaxonfile(
                polyaxonfile=[request["path"]], params=params or None, is_cli=False, to_op=True
            )
            run_uuid = uuid.UUID(int=1).hex
            resource = BaseExecutor.make_and_convert(
                owner_name="acme",
                project_name="demo",
                run_uuid=run_uuid,
                run_name="run",
                content=operation.to_json(),
            )
        except Exception as e:  # not renderable here: say why
            return {"rendered": False, "message": "{}: {}".format(type(e).__name__, e)}
    resource = ApiClient().sanitize_for_serialization(resource)
    return {"rendered": True, "containers": [_container(c) for c in _containers(resource)]}


def _containers(value):
    """Every main container of the resource (a job's pod, each replica's pods)."""
    if isinstance(value, dict):
        if isinstance(value.get("containers"), list):
            yield from value["containers"]
            return
        for item in value.values():
            yield from _containers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _containers(item)


def _container(container):
    env = {}
    for var in container.get("env") or []:
        if "value" in var and var["value"] is not None and not var["name"].startswith("POLYAXON_"):
            env[var["name"]] = str(var["value"])
    return {
        "name": container.get("name"),
        "command": container.get("command") or [],
        "args": container.get("args") or [],
        "env": env,
    }
