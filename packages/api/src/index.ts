/**
 * The contract of Tiandi's HTTP API: the shapes the server sends (it implements them, checked by tsc) and the web
 * app reads, and zod schemas of the request bodies that cross the wire (the server parses with them; the web types
 * what it sends by them). Types and schemas only: no I/O, safe in the browser.
 */
export { ROLES, type Role } from './roles';
export { LoginBody, type Account, type LoginAnswer, type SessionAnswer } from './auth';
export type { ErrorBody } from './error-body';
export { FieldImportBody, ReportBody, type FieldAssignment, type FieldStop, type FieldTargetFeature, type ReportAnswer, type StopInfo } from './field';
export { CertifyBody, RevokeBody, type CertificateStatus, type CertificateSummary, type ZoneDetail, type ZoneStatus } from './manager';
export type { RasterInfo } from './rasters';
export { NewUserBody, PasswordBody } from './users';
export { TargetDecisionBody, TriageDecisionBody, TriageNextBody, type TriageBatch, type TriageDecisionView, type TriageItemView } from './targets';
export { DepotBody, LonLat, PlanBody, PlanComputeBody, PlanJson, SERVICE_TIME_DEFAULTS } from './planning';
export { MAX_ZONE_IMPORT_BYTES, ZoneImportBody, type BoundaryPreviewView, type ZoneImportAnswer } from './zones';
export type { JobProgress, JobStatus, JobView } from './jobs';
