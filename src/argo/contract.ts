/**
 * The contract between what we write and what reads it: annotation and label keys (read by the
 * GitHub Action's watcher and reports), the variables and paths a transpiled job sees (the README's
 * runtime contract), and the names we generate, which users' own names must not take.
 * One module, so the emitter and every reader agree.
 */

const PREFIX = 'polyaxon-argo.io';

/** Workflow label: the pipeline's name (its Argo form). */
export const PIPELINE_LABEL = `${PREFIX}/pipeline`;
/** Workflow annotation, JSON: `DAG-template/task` → Polyaxon operation name. */
export const OPERATIONS_ANNOTATION = `${PREFIX}/operations`;
/** Workflow annotation, JSON: the early-stopping policies only the Action's watcher enforces. */
export const EARLY_STOPPING_ANNOTATION = `${PREFIX}/early-stopping`;
/** Pod annotations: an operation's tags (comma-separated) and cost. */
export const TAGS_ANNOTATION = `${PREFIX}/tags`;
export const COST_ANNOTATION = `${PREFIX}/cost`;
/** Pod label on operations with their own `termination.ttl`, selected by the workflow's podGC. */
export const POD_TTL_LABEL = `${PREFIX}/ttl`;
/** Labels and annotations the Action adds when it submits. */
export const COMMIT_LABEL = `${PREFIX}/commit`;
export const PULL_REQUEST_ANNOTATION = `${PREFIX}/pull-request`;
/** The Argo annotation that describes a workflow in its UI. */
export const DESCRIPTION_ANNOTATION = 'workflows.argoproj.io/description';

/** ConfigMaps the cluster provides (documented in the README). */
export const CACHE_CONFIGMAP = 'polyaxon-argo-cache';
export const QUEUES_CONFIGMAP = 'polyaxon-argo-queues';

/** The variable every container defines as `{`, so `$(POLYAXON_ARGO_LBRACE)` writes a literal brace. */
export const BRACE_VARIABLE = 'POLYAXON_ARGO_LBRACE';
/** The `logLevel` plugin's variable. */
export const LOG_LEVEL_VARIABLE = 'POLYAXON_LOG_LEVEL';
/**
 * The run's uuid inside its pods: the id of its node in the workflow, which Argo writes on each
 * pod as an annotation (`{{tasks.NAME.id}}` from the dag), read through the downward API.
 */
export const UUID_VARIABLE = 'POLYAXON_ARGO_UUID';
export const NODE_ID_ANNOTATION = 'workflows.argoproj.io/node-id';
/** Variables we define in containers: a user's env must not redefine them. */
export const RESERVED_ENV = new Set([BRACE_VARIABLE, LOG_LEVEL_VARIABLE, UUID_VARIABLE]);

/** Polyaxon's context paths inside a transpiled job. A job writes output NAME to `RUN_OUTPUTS_PATH/NAME`. */
export const CONTEXT_PATH = '/plx-context';
export const ARTIFACTS_PATH = `${CONTEXT_PATH}/artifacts`;
export const RUN_ARTIFACTS_PATH = `${ARTIFACTS_PATH}/run`;
export const RUN_OUTPUTS_PATH = `${RUN_ARTIFACTS_PATH}/outputs`;

/** Volumes we add: emptyDirs that make the paths above exist, and the plugins' mounts. */
export const OUTPUTS_VOLUME = 'plx-outputs';
export const CONTEXT_VOLUME = 'plx-context';
export const SHM_VOLUME = 'plx-shm';
export const DOCKER_VOLUME = 'plx-docker';
/** Volumes for connections are named `conn-<name>`, `conn-<name>-secret`, `conn-<name>-config`. */
export const CONNECTION_VOLUME_PREFIX = 'conn-';
/** Volume names a user's volumes must not take. */
export const isGeneratedVolume = (name: string): boolean =>
  [OUTPUTS_VOLUME, CONTEXT_VOLUME, SHM_VOLUME, DOCKER_VOLUME].includes(name) ||
  name.startsWith(CONNECTION_VOLUME_PREFIX);

/** Container names Argo keeps for itself. */
export const ARGO_CONTAINERS = new Set(['main', 'wait', 'init']);
/** Init containers are named `init-<index>[-<handler>]`. */
export const INIT_CONTAINER_PREFIX = 'init-';

/**
 * The input that carries a dag's deadline (Unix seconds) down to the operations inside it: a
 * nested dag's `termination.timeout` bounds every pod under it.
 */
export const DEADLINE_INPUT = 'plx-deadline';

/** The input that carries the operation's name to its template, for `{{ globals.name }}`. */
export const NAME_INPUT = 'plx-name';

/**
 * Workflow parameters (`spec.arguments`) for what Polyaxon knows from the project a run belongs
 * to: set once per workflow (`--project OWNER/NAME`, or `-p` when a template is submitted).
 */
export const PROJECT_PARAMETER = 'polyaxon-project';
export const OWNER_PARAMETER = 'polyaxon-owner';

/** Images of the init containers we generate. */
export const GIT_IMAGE = 'alpine/git:2.45.2';
export const SHELL_IMAGE = 'busybox:1.36';
