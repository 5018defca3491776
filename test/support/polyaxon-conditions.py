"""Polyaxon's own reading of `conditions`, for the tests: one JSON line in, one out.

  {"expression": "{{ auc >= min_auc }}", "params": {"auc": 0.9, "min_auc": 0.85}}
  -> {"value": true} | {"error": "..."}

The expression is rendered with Polyaxon's parser (its Jinja engine and literal conversion),
turned into text as Polyaxon does, and read with the boolean reading the scheduler applies.
"""
import json
import sys

from clipped.utils.bools import to_bool
from polyaxon._polyaxonfile.specs.libs.parser import PolyaxonfileParser


def evaluate(request):
    # As the parser's get_parsed_params lays them out: each param by name, and under `params`.
    params = dict(request["params"])
    params["params"] = {name: {"value": value} for name, value in request["params"].items()}
    rendered = PolyaxonfileParser.parse_expression(request["expression"], params)
    if not isinstance(rendered, str):
        rendered = str(rendered)
    return {"value": to_bool(rendered)}


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        answer = evaluate(json.loads(line))
    except Exception as error:  # what Polyaxon raises is the answer: the operation fails
        answer = {"error": "{}: {}".format(type(error).__name__, error)}
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()
