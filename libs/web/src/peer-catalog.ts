import type { Principal } from '@lms/platform';

/** A course in a trusted peer's verified catalog feed, as the console lists it. */
export interface PeerCourse {
  slug: string;
  title: Record<string, string>;
  defaultLanguage: string;
  licence: string | null;
  version: number;
  institution: { code: string; name: Record<string, string>; country: string | null } | null;
}

/**
 * What the console needs of federation (docs/hub.md): a trusted peer's catalog feed, read and
 * verified now, and importing one of its courses. The API app binds it to its FederationService
 * (apps/api/src/federation), so the pages run the same checks and answer the same refusals
 * (DomainErrors with their codes) as GET /api/v1/federation/peers/catalog and POST /api/v1/federation/imports.
 */
export abstract class PeerCatalog {
  abstract courses(peerUrl: string): Promise<PeerCourse[]>;
  abstract importCourse(principal: Principal, input: { peer: string; slug: string; school: string; as?: string }): Promise<{ slug: string; version: number }>;
}
