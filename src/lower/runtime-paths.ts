/**
 * The runtime contract of a transpiled job (documented in the README): where Polyaxon's
 * context paths point inside the container, and where a job writes its outputs.
 * A job writes output `NAME` as the file `<run_outputs_path>/NAME`; Argo reads it from there.
 */
export const CONTEXT_PATH = '/plx-context';
export const ARTIFACTS_PATH = `${CONTEXT_PATH}/artifacts`;
export const RUN_ARTIFACTS_PATH = `${ARTIFACTS_PATH}/run`;
export const RUN_OUTPUTS_PATH = `${RUN_ARTIFACTS_PATH}/outputs`;

/** emptyDir volumes that make those paths exist and writable. */
export const OUTPUTS_VOLUME = 'plx-outputs';
export const CONTEXT_VOLUME = 'plx-context';
