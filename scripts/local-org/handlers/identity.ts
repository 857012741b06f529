/** Versions, resources, limits and the identity endpoints clients call after a token login. */
import { API_VERSION, type OrgContext } from '../context.ts';
import { quote } from '../storage.ts';
import { ADMIN_EMAIL } from '../seed.ts';
import {
  BULK_BATCHES,
  BULK_QUERY_BYTES,
  BULK_QUERY_JOBS,
  dailyCount
} from '../usage.ts';
import { json, type Handler } from '../http-types.ts';
import type { ApiUsage } from '../usage.ts';

const SUPPORTED_VERSIONS = ['60.0', '61.0', '62.0', '63.0', '64.0'];
const RELEASE_LABELS: Record<string, string> = {
  '60.0': 'Spring ’24',
  '61.0': 'Summer ’24',
  '62.0': 'Winter ’25',
  '63.0': 'Spring ’25',
  '64.0': 'Summer ’25'
};

export const versions: Handler = () =>
  json(
    200,
    SUPPORTED_VERSIONS.map((version) => ({
      label: RELEASE_LABELS[version] ?? version,
      url: `/services/data/v${version}`,
      version
    }))
  );

export const resources: Handler = (ctx) => {
  const base = `/services/data/v${API_VERSION}`;
  return json(200, {
    sobjects: `${base}/sobjects`,
    query: `${base}/query`,
    queryAll: `${base}/queryAll`,
    composite: `${base}/composite`,
    limits: `${base}/limits`,
    jobs: `${base}/jobs`,
    // The platform answers with the session user's full identity URL; jsforce's identity() follows it.
    identity: identityUrl(ctx)
  });
};

/** Live records in every object's table (the recycle bin holds no data storage here). */
function recordCount(ctx: OrgContext): number {
  let total = 0;
  for (const object of ctx.registry.objects()) {
    if (object.customMetadata) continue;
    const row = ctx.store
      .prepared(`SELECT COUNT(*) AS n FROM ${quote(object.name)}`)
      .get() as { n: number };
    total += row.n;
  }
  return total;
}

export function limitsHandler(usage: ApiUsage): Handler {
  return (ctx) => {
    const now = ctx.now();
    const limit = (
      max: number,
      remaining: number
    ): { Max: number; Remaining: number } => ({
      Max: max,
      Remaining: remaining
    });
    const used = (name: string): number => dailyCount(ctx.db, name, now);
    // Most records take 2 KB of data storage on the platform (Developer Edition: 5 MB).
    const dataMb = Math.ceil((recordCount(ctx) * 2) / 1024);
    return json(200, {
      DailyApiRequests: limit(usage.max, usage.remaining(now)),
      DailyBulkApiBatches: limit(
        15000,
        Math.max(0, 15000 - used(BULK_BATCHES))
      ),
      DailyBulkV2QueryJobs: limit(
        10000,
        Math.max(0, 10000 - used(BULK_QUERY_JOBS))
      ),
      DailyBulkV2QueryFileStorageMB: limit(
        976562,
        Math.max(0, 976562 - Math.ceil(used(BULK_QUERY_BYTES) / 1_048_576))
      ),
      DataStorageMB: limit(5, Math.max(0, 5 - dataMb)),
      FileStorageMB: limit(20, 20),
      DailyAsyncApexExecutions: limit(250000, 250000)
    });
  };
}

function identityUrl(ctx: OrgContext): string {
  return `${ctx.instanceUrl}/id/${ctx.orgId}/${ctx.userId}`;
}

/** The default profile photo URLs of a user without a photo. */
function photos(ctx: OrgContext): { picture: string; thumbnail: string } {
  return {
    picture: `${ctx.instanceUrl}/profilephoto/005/F`,
    thumbnail: `${ctx.instanceUrl}/profilephoto/005/T`
  };
}

function identity(ctx: OrgContext): Record<string, unknown> {
  const base = `${ctx.instanceUrl}/services/data/v{version}`;
  return {
    id: identityUrl(ctx),
    asserted_user: true,
    user_id: ctx.userId,
    organization_id: ctx.orgId,
    username: ctx.username,
    nick_name: 'localadmin',
    display_name: 'Local Admin',
    email: ADMIN_EMAIL,
    email_verified: true,
    first_name: 'Local',
    last_name: 'Admin',
    timezone: ctx.timeZone,
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    last_modified_date: '2025-01-01T00:00:00Z',
    is_app_installed: true,
    photos: photos(ctx),
    urls: {
      enterprise: `${ctx.instanceUrl}/services/Soap/c/{version}/${ctx.orgId}`,
      metadata: `${ctx.instanceUrl}/services/Soap/m/{version}/${ctx.orgId}`,
      partner: `${ctx.instanceUrl}/services/Soap/u/{version}/${ctx.orgId}`,
      rest: `${base}/`,
      sobjects: `${base}/sobjects/`,
      search: `${base}/search/`,
      query: `${base}/query/`,
      recent: `${base}/recent/`,
      profile: `${ctx.instanceUrl}/${ctx.userId}`,
      custom_domain: ctx.instanceUrl
    }
  };
}

export const identityHandler: Handler = (ctx) => json(200, identity(ctx));

/** OpenID Connect userinfo, the shape `sf org login access-token` and jsforce's identity() read. */
export const userinfo: Handler = (ctx) => {
  const id = identity(ctx);
  return json(200, {
    sub: id.id,
    user_id: ctx.userId,
    organization_id: ctx.orgId,
    preferred_username: ctx.username,
    nickname: id.nick_name,
    name: id.display_name,
    email: ADMIN_EMAIL,
    email_verified: true,
    given_name: id.first_name,
    family_name: id.last_name,
    zoneinfo: ctx.timeZone,
    locale: 'en_US',
    language: 'en_US',
    active: true,
    user_type: 'STANDARD',
    utcOffset: 0,
    updated_at: id.last_modified_date,
    is_app_installed: true,
    picture: photos(ctx).picture,
    photos: photos(ctx),
    urls: id.urls
  });
};
