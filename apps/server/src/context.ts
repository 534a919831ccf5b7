import type { Account, Role } from '@tiandi/api';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';

/** Roles of Tiandi accounts (declared once in @tiandi/api). Routes declare which roles may call them in `config.roles`. */
export type { Role };

/** The account attached to a request by the auth pre-handler (the API's `Account`), or null when nobody signed in. */
export type RequestAccount = Account;

/** Options of {@link buildServer}. */
export interface ServerOptions {
  /** The survey workspace file (GeoPackage). */
  workspacePath: string;
  /** Folder for uploads, job state and the tile cache. Created if missing. */
  dataDir: string;
  /** Folder of the built web app (apps/web/dist); omitted = API only. */
  webRoot?: string;
  /** fastify logger option: false (default in tests), true, or a pino-compatible logger. */
  logger?: boolean | FastifyBaseLogger;
  /** A line shown under the sign-in form (the demo lists its accounts there). */
  signInHint?: string;
  /** Optional online basemap style or XYZ URL the web app may use; none by default (works offline). */
  basemapUrl?: string;
  /** Start the background scan queue (default true). Tests may turn it off to inspect queued jobs. */
  runJobs?: boolean;
  /** How a scan job is run; default {@link defaultScanRunner} (tiles package scan + store import). */
  scanRunner?: import('./jobs/job-queue').ScanRunner;
  /** Model folder (model.onnx + model.json) for scans; default models/poppy-synth. */
  modelDir?: string;
  /** Largest accepted upload in bytes (default 64 GB). */
  maxUploadBytes?: number;
  /** Bytes one account may hold in unfinished uploads plus accepted orthophotos (default 256 GB). */
  uploadQuotaBytes?: number;
  /** Unfinished uploads are deleted this many hours after they started (default 72; swept on start and hourly). */
  uploadExpiryHours?: number;
  /** Bytes of field photos uploaded and waiting for their report (default 2 GB); over it 413. */
  photoStagingBytes?: number;
  /** Largest road network PUT /api/planning/roads accepts, bytes (default 64 MB). */
  maxRoadsBytes?: number;
  /**
   * Trust X-Forwarded-For/-Proto/-Host from a reverse proxy (fastify `trustProxy`): true, a hop
   * count, or addresses/CIDRs of the proxies. Default false. Needed behind a TLS proxy so the session
   * cookie is `Secure`, HSTS is sent and the throttle sees client addresses.
   */
  trustProxy?: boolean | number | string | string[];
  /** Sign-in throttle limits, window and memory bound (defaults in auth/login-throttle.ts). */
  loginThrottle?: import('./auth/login-throttle').LoginThrottleOptions;
}

/** What every route module receives: the resolved options and the server's shared services. */
export interface ServerContext {
  readonly options: Readonly<Required<Pick<ServerOptions, 'workspacePath' | 'dataDir'>>> & ServerOptions;
  /** Services registered by modules (job queue, event bus, tile cache …), by name. */
  readonly services: Map<string, unknown>;
}

/** A fastify preHandler run on every request before the route (auth fills `req.account`). */
export type PreHandler = (req: FastifyRequest, reply: FastifyReply) => Promise<void> | void;

/**
 * One route file = one resource. Add a file under src/routes/ exporting a RouteModule, and one
 * line in src/routes/index.ts.
 */
export interface RouteModule {
  /** Resource name, for logs. */
  name: string;
  /** Registers the routes on the (root) fastify instance. */
  register(app: import('fastify').FastifyInstance, ctx: ServerContext): Promise<void> | void;
  /** Optional hook run on every request before any route handler (e.g. session → req.account). */
  preHandler?: PreHandler;
  /** Optional cleanup on server close (stop workers, close files). */
  close?(ctx: ServerContext): Promise<void> | void;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Filled by the auth pre-handler (issue 7); null when not signed in. */
    account: RequestAccount | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed to call this route; checked by the auth pre-handler. Absent = public. */
    roles?: Role[];
  }
}
