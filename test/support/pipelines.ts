/** A two-operation pipeline (prepare → train, passing an output) the Action tests run. */
export const TWO_STEP_PIPELINE = `version: 1.1
kind: component
name: train-pipeline
run:
  kind: dag
  operations:
  - name: prepare
    component: {name: prepare, outputs: [{name: data, type: str}], run: {kind: job, container: {image: alpine}}}
  - name: train
    params: {data: {ref: ops.prepare, value: outputs.data}}
    component: {name: train, inputs: [{name: data, type: str}], run: {kind: job, container: {image: alpine}}}
`;
