// API tokens for the read API (/api/v1, docs/decisions/0025-read-api.md): issued by a user for
// themselves or by the security administrator for a system account, shown once, stored as their
// SHA-256, with an expiry, a scope within the owner's permissions, revocation and a per-token rate
// limit. resolveApiToken turns a bearer token into the CurrentUser every lib/data function takes.
import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db";
import { appendAuditEvent } from "@/lib/audit/log";
import { ForbiddenError, NotFoundError, can, permissionsFor, type Permission } from "@/lib/auth/permissions";
import { recordDenied, type CurrentUser } from "@/lib/auth/session";
import { ValidationError } from "@/lib/data/users";
import { API_PERMISSIONS, TOKEN_MAX_DAYS, TOKEN_MIN_DAYS, TOKEN_PREFIX, type ApiTokenInput } from "./token-schema";

/** A shown token: "zyk_" and 43 base64url characters (256 random bits). */
export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/**
 * The stored form. The token carries 256 random bits, so a fast hash is enough: nobody can guess
 * it, and a slow password hash would only cost every API call time (ADR 0025).
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** What a token may carry for this owner: the API's read permissions the owner holds now. */
export function grantablePermissions(ownerPermissions: ReadonlySet<Permission>): Permission[] {
  return API_PERMISSIONS.filter((p) => ownerPermissions.has(p));
}

const MANAGE_SYSTEM_TOKENS: Permission = "security:manage:all";

export interface CreatedToken {
  id: string;
  /** The token itself: shown once, never stored. */
  token: string;
  prefix: string;
  expiresAt: Date;
}

/**
 * Issues a token. Without `ownerId` (or with the actor's own id) the actor issues it for
 * themselves; otherwise the security administrator issues it for a system account. The scope must
 * lie within what the owner holds today.
 */
export async function createApiToken(actor: CurrentUser, input: ApiTokenInput, ip: string | null, now: Date = new Date()): Promise<CreatedToken> {
  const ownerId = input.ownerId ?? actor.id;
  const forSelf = ownerId === actor.id;
  if (!forSelf && !can(actor, MANAGE_SYSTEM_TOKENS)) {
    await recordDenied(actor, MANAGE_SYSTEM_TOKENS);
    throw new ForbiddenError(MANAGE_SYSTEM_TOKENS);
  }
  // The form's schema bounds these already; a caller that skipped it meets the same rule here.
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < TOKEN_MIN_DAYS || input.expiresInDays > TOKEN_MAX_DAYS) {
    throw new ValidationError({ expiresInDays: ["validation.token.expiry"] });
  }
  const owner = await prisma.user.findUnique({ where: { id: ownerId }, include: { roles: true } });
  if (!owner || owner.disabledAt || (!forSelf && !owner.isSystemAccount)) throw new ValidationError({ ownerId: ["validation.token.notSystemAccount"] });
  // A system account's own session does not exist; anyone else issues for themselves with their session's permissions.
  const ownerPermissions = forSelf ? actor.permissions : permissionsFor(owner.roles.map((r) => r.role));
  const grantable = new Set(grantablePermissions(ownerPermissions));
  const wanted = [...new Set(input.permissions)];
  if (!wanted.length) throw new ValidationError({ permissions: ["validation.token.noScope"] });
  if (wanted.some((p) => !grantable.has(p))) throw new ValidationError({ permissions: ["validation.token.beyondOwner"] });
  const token = newToken();
  const prefix = token.slice(0, TOKEN_PREFIX.length + 6);
  const expiresAt = new Date(now.getTime() + input.expiresInDays * 86_400_000);
  const row = await prisma.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { ownerId, createdById: actor.id, name: input.name, tokenHash: hashToken(token), prefix, permissions: wanted, expiresAt },
    });
    await appendAuditEvent(tx, {
      actorId: actor.id,
      actorName: actor.username,
      action: "api.token.create",
      entityType: "ApiToken",
      entityId: created.id,
      ip,
      details: { ownerId, ownerName: owner.username, name: input.name, prefix, permissions: wanted, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });
  return { id: row.id, token, prefix, expiresAt };
}

/** Revokes a token: its owner may, and the security administrator may revoke any. */
export async function revokeApiToken(actor: CurrentUser, tokenId: string, ip: string | null, now: Date = new Date()): Promise<void> {
  const row = await prisma.apiToken.findUnique({ where: { id: tokenId }, include: { owner: { select: { username: true } } } });
  if (!row) throw new NotFoundError("ApiToken");
  if (row.ownerId !== actor.id && !can(actor, MANAGE_SYSTEM_TOKENS)) {
    await recordDenied(actor, MANAGE_SYSTEM_TOKENS, { type: "ApiToken", id: tokenId });
    throw new NotFoundError("ApiToken");
  }
  await prisma.$transaction(async (tx) => {
    const revoked = await tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: now, revokedById: actor.id } });
    if (!revoked.count) return;
    await appendAuditEvent(tx, {
      actorId: actor.id,
      actorName: actor.username,
      action: "api.token.revoke",
      entityType: "ApiToken",
      entityId: tokenId,
      ip,
      details: { ownerId: row.ownerId, ownerName: row.owner.username, prefix: row.prefix },
    });
  });
}

const listedFields = {
  id: true, name: true, prefix: true, permissions: true, expiresAt: true, createdAt: true, lastUsedAt: true, revokedAt: true, ownerId: true,
} as const;

/** The actor's own tokens, newest first (never the hash). */
export async function listOwnApiTokens(actor: CurrentUser) {
  return prisma.apiToken.findMany({ where: { ownerId: actor.id }, select: listedFields, orderBy: { createdAt: "desc" } });
}

/** System accounts and their tokens, for the security administrator. */
export async function listSystemAccountTokens(actor: CurrentUser) {
  if (!can(actor, MANAGE_SYSTEM_TOKENS)) {
    await recordDenied(actor, MANAGE_SYSTEM_TOKENS);
    throw new ForbiddenError(MANAGE_SYSTEM_TOKENS);
  }
  const accounts = await prisma.user.findMany({
    where: { isSystemAccount: true },
    orderBy: { username: "asc" },
    select: {
      id: true, username: true, displayName: true, disabledAt: true, roles: { select: { role: true } },
      apiTokens: { select: listedFields, orderBy: { createdAt: "desc" } },
    },
  });
  return accounts.map((a) => ({ ...a, grantable: grantablePermissions(permissionsFor(a.roles.map((r) => r.role))) }));
}

/** How many tokens the security administrator's list shows (newest first). */
export const ALL_TOKENS_LIMIT = 500;

/** Every token of every owner, newest first, for the security administrator (never the hash). */
export async function listAllApiTokens(actor: CurrentUser) {
  if (!can(actor, MANAGE_SYSTEM_TOKENS)) {
    await recordDenied(actor, MANAGE_SYSTEM_TOKENS);
    throw new ForbiddenError(MANAGE_SYSTEM_TOKENS);
  }
  return prisma.apiToken.findMany({
    select: { ...listedFields, owner: { select: { username: true, displayName: true, isSystemAccount: true } } },
    orderBy: { createdAt: "desc" },
    take: ALL_TOKENS_LIMIT,
  });
}

/**
 * The caller behind a bearer token, or null when the token is unknown, revoked, expired or its
 * owner disabled. Permissions: the token's scope within what the owner's roles grant today.
 */
export async function resolveApiToken(token: string, now: Date = new Date()): Promise<(CurrentUser & { apiTokenId: string }) | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await prisma.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { owner: { include: { roles: true, organization: { select: { name: true, divisionCode: true } } } } },
  });
  if (!row || row.revokedAt || row.expiresAt <= now || row.owner.disabledAt) return null;
  const roles = row.owner.roles.map((r) => r.role);
  const held = permissionsFor(roles);
  const permissions = new Set(row.permissions.filter((p): p is Permission => held.has(p as Permission) && (API_PERMISSIONS as readonly string[]).includes(p)));
  return {
    id: row.owner.id,
    username: row.owner.username,
    displayName: row.owner.displayName,
    organizationId: row.owner.organizationId,
    organizationName: row.owner.organization?.name ?? null,
    divisionCode: row.owner.organization?.divisionCode ?? null,
    roles,
    permissions,
    // No Session row: the token stands in for one (read-only routes never write to a session).
    sessionId: row.id,
    mfaPending: false,
    mustChangePassword: false,
    isDemo: row.owner.isDemo,
    apiTokenId: row.id,
  };
}

export type RateDecision = { ok: true; remaining: number; limit: number } | { ok: false; retryAfterSeconds: number; limit: number };

const WINDOW_MS = 60_000;

/**
 * Counts one call against the token's fixed one-minute window, atomically in the database so
 * every app instance shares it (docs/decisions/0023). Refused calls are not counted.
 */
export async function consumeRateLimit(tokenId: string, now: Date = new Date()): Promise<RateDecision> {
  const windowStart = new Date(Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS);
  const [row] = await prisma.$queryRaw<{ windowCount: number; rateLimitPerMinute: number }[]>`
    UPDATE "ApiToken" SET
      "windowCount" = CASE WHEN "windowStart" = ${windowStart} THEN "windowCount" + 1 ELSE 1 END,
      "windowStart" = ${windowStart},
      "lastUsedAt" = ${now}
    WHERE id = ${tokenId}::uuid AND ("windowStart" IS DISTINCT FROM ${windowStart} OR "windowCount" < "rateLimitPerMinute")
    RETURNING "windowCount", "rateLimitPerMinute"`;
  if (row) return { ok: true, remaining: row.rateLimitPerMinute - row.windowCount, limit: row.rateLimitPerMinute };
  const limit = (await prisma.apiToken.findUnique({ where: { id: tokenId }, select: { rateLimitPerMinute: true } }))?.rateLimitPerMinute ?? 0;
  const retryAfterSeconds = Math.max(1, Math.ceil((windowStart.getTime() + WINDOW_MS - now.getTime()) / 1000));
  return { ok: false, retryAfterSeconds, limit };
}
