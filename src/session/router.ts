/**
 * Routes each session to the node that loaded its job's model. A node loads one model and answers whatever it is
 * asked (fabstir-llm-node@85a87b8 src/main.rs:243-290; nothing compares a job's model with it), so the front must pick
 * the node: the job's model is read on chain (`sessionModel(jobId)`, immutable once the job exists, so cached), and a
 * job for a model no node here serves is refused before any node sees it.
 *
 * The job id travels in plaintext in both inits: `session_init` carries `job_id`, and the SDK puts `job_id` next to
 * the encrypted payload of `encrypted_session_init` (fabstir-llm-sdk@ae342d6 packages/sdk-core/src/managers/
 * SessionManager.ts:2120-2125). HTTP inference names it as `job_id` or `jobId` (fabstir-llm-node@85a87b8
 * src/api/handlers.rs:19-20).
 */
import type { FetchFn } from "../context.ts";

/**
 * The node greets every socket at once (fabstir-llm-node@85a87b8 src/api/server.rs:2075-2079; keys alphabetical). A
 * routing front connects to a node only after the client's first frame, so it greets in the node's words itself and
 * drops the node's own greeting: clients that wait for it before sending still work.
 */
export const NODE_WELCOME = JSON.stringify({ message: "WebSocket connected successfully", type: "connected" });

export type RouteDecision = { upstream: string } | { refuse: string };

/** What the front knows when it asks: the client's first frame, as text. */
export type FrontRoute = (firstFrame: string) => Promise<RouteDecision>;

/** The nodes that run now, by model id (bytes32, lower-case): their loopback base URLs. */
export interface NodeDirectory {
  upstreams(modelId: string): string[];
  /** Every model id some running node serves. */
  servedModels(): string[];
  /** The node for requests that name no job (the first node). */
  fallback(): string | undefined;
  /** Open sessions per node (base URL), reported by the running host every few seconds for `status`. */
  reportSessions?(byNode: Map<string, number>): void;
}

export interface JobRouterOptions {
  nodes: NodeDirectory;
  /** `sessionModel(jobId)` on the marketplace: bytes32 hex. */
  sessionModel: (jobId: bigint) => Promise<string>;
  onError?: (message: string, meta?: Record<string, unknown>) => void;
  /** Jobs whose model is remembered (a job's model never changes). */
  cacheSize?: number;
}

export const ROUTE_ERRORS = {
  /** The job's model is not loaded by any node on this host. */
  notServed: "MODEL_NOT_SERVED",
  /** The job's model could not be read on chain (RPC down): the client may retry. */
  lookupFailed: "MODEL_LOOKUP_FAILED",
  /** Several models are served and the job has none on chain. */
  unknown: "JOB_MODEL_UNKNOWN",
  /** No node is running at the moment (restarting): the client may retry. */
  noNode: "NODE_UNAVAILABLE",
} as const;

const ZERO_ID = /^0x0{64}$/i;
const MAX_INIT_FRAME = 256 * 1024;

interface InitFields {
  type?: string;
  jobId?: bigint;
  sessionId?: string;
  id?: unknown;
}

/** The few plaintext fields of an init frame the router needs; anything unreadable yields no job. */
export function readInit(text: string): InitFields {
  if (text.length > MAX_INIT_FRAME) return {};
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return {};
  }
  if (!frame || typeof frame !== "object" || Array.isArray(frame)) return {};
  const f = frame as Record<string, unknown>;
  const session = f.session_id ?? f.sessionId;
  return {
    type: typeof f.type === "string" ? f.type : undefined,
    jobId: jobIdOf(f.job_id ?? f.jobId),
    sessionId: typeof session === "string" || typeof session === "number" ? String(session).slice(0, 128) : undefined,
    id: f.id,
  };
}

export function jobIdOf(value: unknown): bigint | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^\d{1,78}$/.test(value)) return BigInt(value);
  return undefined;
}

/**
 * The refusal, shaped like the node's own `error` messages: a serde_json map, so keys in alphabetical order, with the
 * request's `id` echoed when it had one (fabstir-llm-node@85a87b8 src/api/server.rs:2499-2512).
 */
export function errorFrame(code: string, message: string, init: Pick<InitFields, "sessionId" | "id">): string {
  const frame: Record<string, unknown> = { code };
  if (init.id !== undefined) frame.id = init.id;
  frame.message = message;
  frame.session_id = init.sessionId ?? "unknown";
  frame.type = "error";
  return JSON.stringify(frame);
}

export interface JobRouter {
  /** For the WebSocket front: the first frame decides the node. */
  route: FrontRoute;
  /** The node for a job id (undefined: a request that names none). */
  routeJob(jobId: bigint | undefined): Promise<{ upstream: string } | { refuse: { code: string; message: string } }>;
  /** The node that served a session, for reading its checkpoints later. */
  nodeForSession(sessionId: string): string | undefined;
  /** The model (bytes32 id) of a routed session's job, for per-model metrics. */
  modelOfSession(sessionId: string): string | undefined;
}

export function createJobRouter(options: JobRouterOptions): JobRouter {
  const { nodes } = options;
  const cacheSize = options.cacheSize ?? 10_000;
  const models = new Map<string, Promise<string>>();
  const sessions = new Map<string, { upstream: string; modelId?: string }>();
  const jobModels = new Map<string, string>();
  const turn = new Map<string, number>();

  const modelOf = (jobId: bigint): Promise<string> => {
    const key = jobId.toString();
    let found = models.get(key);
    if (!found) {
      found = options.sessionModel(jobId).then((id) => id.toLowerCase());
      found.then(
        (id) => jobModels.set(key, id),
        () => {},
      );
      // A failed read is not remembered: the next client tries again.
      found.catch(() => models.delete(key));
      if (models.size >= cacheSize) {
        const oldest = models.keys().next().value!;
        models.delete(oldest);
        jobModels.delete(oldest);
      }
      models.set(key, found);
    }
    return found;
  };

  /** Copies of a model take sessions in turn. */
  const pick = (modelId: string, upstreams: string[]): string => {
    const next = turn.get(modelId) ?? 0;
    turn.set(modelId, next + 1);
    return upstreams[next % upstreams.length]!;
  };

  const routeJob: JobRouter["routeJob"] = async (jobId) => {
    const served = nodes.servedModels();
    if (jobId === undefined) {
      // Health, version, model lists and anything else that names no job: the first node, as with a single node.
      const fallback = nodes.fallback();
      return fallback
        ? { upstream: fallback }
        : { refuse: { code: ROUTE_ERRORS.noNode, message: "No inference node is running on this host right now; try again shortly" } };
    }
    let modelId: string;
    try {
      modelId = await modelOf(jobId);
    } catch (error) {
      options.onError?.("could not read the job's model on chain", { jobId: jobId.toString(), error: (error as Error).message });
      return { refuse: { code: ROUTE_ERRORS.lookupFailed, message: `Could not read the model of job ${jobId} on chain; try again shortly` } };
    }
    if (ZERO_ID.test(modelId)) {
      // A job opened without a model: only a host with one model knows what it was meant for.
      const fallback = nodes.fallback();
      if (fallback && served.length <= 1) return { upstream: fallback };
      return { refuse: { code: ROUTE_ERRORS.unknown, message: `Job ${jobId} names no model, and this host serves several` } };
    }
    const upstreams = nodes.upstreams(modelId);
    if (upstreams.length > 0) return { upstream: pick(modelId, upstreams) };
    if (served.includes(modelId))
      return { refuse: { code: ROUTE_ERRORS.noNode, message: `The node for the model of job ${jobId} is restarting; try again shortly` } };
    return { refuse: { code: ROUTE_ERRORS.notServed, message: `Job ${jobId} is for model ${modelId}, which this host does not serve` } };
  };

  return {
    routeJob,
    async route(firstFrame) {
      const init = readInit(firstFrame);
      const decision = await routeJob(init.jobId);
      if ("refuse" in decision) return { refuse: errorFrame(decision.refuse.code, decision.refuse.message, init) };
      if (init.sessionId) {
        if (sessions.size >= cacheSize) sessions.delete(sessions.keys().next().value!);
        sessions.set(init.sessionId, { upstream: decision.upstream, modelId: init.jobId === undefined ? undefined : jobModels.get(init.jobId.toString()) });
      }
      return decision;
    },
    nodeForSession: (sessionId) => sessions.get(sessionId)?.upstream,
    modelOfSession: (sessionId) => sessions.get(sessionId)?.modelId,
  };
}

/** Largest request body read to find its job; bigger ones go to the first node unread. */
const MAX_ROUTED_BODY = 1024 * 1024;

export type HttpRoute = (request: Request, path: string) => Promise<{ upstream: string; body?: ArrayBuffer } | { refuse: Response }>;

/**
 * HTTP requests that name a job (`job_id` / `jobId` in a JSON body) go to its model's node; a session's checkpoint
 * index comes from the node that served the session; everything else goes to the first node.
 */
export function httpRoute(router: JobRouter): HttpRoute {
  return async (request, path) => {
    const checkpoint = /^\/v1\/checkpoints\/([^/]+)$/.exec(path);
    if (checkpoint) {
      const node = router.nodeForSession(decodeURIComponent(checkpoint[1]!));
      if (node) return { upstream: node };
    }
    let body: ArrayBuffer | undefined;
    let jobId: bigint | undefined;
    const length = Number(request.headers.get("content-length") ?? NaN);
    if (request.method === "POST" && length <= MAX_ROUTED_BODY && /json/i.test(request.headers.get("content-type") ?? "")) {
      body = await request.arrayBuffer();
      jobId = readInit(new TextDecoder().decode(body)).jobId;
    }
    const decision = await router.routeJob(jobId);
    if ("refuse" in decision) {
      const status = decision.refuse.code === ROUTE_ERRORS.notServed || decision.refuse.code === ROUTE_ERRORS.unknown ? 404 : 503;
      return { refuse: Response.json({ code: decision.refuse.code, error: decision.refuse.message }, { status }) };
    }
    return { upstream: decision.upstream, body };
  };
}

/**
 * The proof pipeline reads a session's checkpoint index from `<nodeUrl>/v1/checkpoints/<id>`: this fetch sends the
 * read to the node that served the session instead (the first node when the session is not known, e.g. after a
 * restart of the host).
 */
export function checkpointFetch(router: JobRouter, fetchFn: FetchFn, nodeUrl: string): FetchFn {
  const prefix = `${nodeUrl.replace(/\/$/, "")}/v1/checkpoints/`;
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith(prefix)) return fetchFn(input, init);
    const node = router.nodeForSession(decodeURIComponent(url.slice(prefix.length).split(/[?#]/)[0]!));
    return fetchFn(node ? `${node.replace(/\/$/, "")}/v1/checkpoints/${url.slice(prefix.length)}` : input, init);
  };
}
