/**
 * EVERY price the planner uses, with where it was read and when. To update: read the source page,
 * change the number and the date here, run `npm test -w planner` (the tests work their examples
 * from these constants, so they follow). Prices are USD list prices, Blaze plan, Tier 1 regions
 * (e.g. us-central1), without committed-use discounts or taxes.
 *
 * All were read on 2026-12-02 from stored copies of the pages (the project's look-up tool; the
 * copies' own age is not stated), so check the live page before quoting a bill.
 */

export interface Price {
  /** USD per unit. */
  usd: number;
  unit: string;
  /** Monthly no-cost usage kept on the Blaze plan, in the same unit (0 = none). */
  freePerMonth: number;
  source: string;
  readOn: string;
  /** What the source says, or how sure the reading is. */
  note: string;
}

export interface Tier {
  /** Units from this count on (inclusive) cost `usd` each, up to the next tier's start. */
  fromCount: number;
  usd: number;
}

const READ_ON = '2026-12-02';

export const PRICES = Object.freeze({
  rtdbStorageGbMonth: {
    usd: 5,
    unit: 'GB-month',
    freePerMonth: 1,
    source: 'https://firebase.google.com/docs/database/usage/billing',
    readOn: READ_ON,
    note: '"Storage is billed at $5 for each GB/month, evaluated daily"; Blaze keeps 1 GB of no-cost storage.',
  },
  rtdbDownloadGb: {
    usd: 1,
    unit: 'GB',
    freePerMonth: 10,
    source: 'https://firebase.google.com/pricing',
    readOn: READ_ON,
    note:
      'Billing page (docs/database/usage/billing): 10 GB/month no-cost downloads on Blaze, all outbound traffic billed ' +
      '(protocol and TLS overhead included). $1/GB is the pricing page figure; the stored copy of that page was not ' +
      'found, only a secondary summary of it (api-evangelist/google-firebase plans file), so verify it.',
  },
  functionInvocationsMillion: {
    usd: 0.4,
    unit: 'million invocations',
    freePerMonth: 2,
    source: 'https://cloud.google.com/run/pricing',
    readOn: READ_ON,
    note: 'Cloud Functions (2nd gen) bill as Cloud Run: "$0.40 per million requests", 2 million requests free per month.',
  },
  functionVcpuSecond: {
    usd: 0.000024,
    unit: 'vCPU-second',
    freePerMonth: 180_000,
    source: 'https://cloud.google.com/run/pricing',
    readOn: READ_ON,
    note: 'CPU only allocated during request processing, Tier 1: $0.00002400 / vCPU-second, first 180,000 free per month.',
  },
  functionGibSecond: {
    usd: 0.0000025,
    unit: 'GiB-second',
    freePerMonth: 360_000,
    source: 'https://cloud.google.com/run/pricing',
    readOn: READ_ON,
    note: 'Memory, Tier 1: $0.00000250 / GiB-second, first 360,000 free per month.',
  },
} satisfies Record<string, Price>);

/**
 * Firebase Authentication with Identity Platform, Tier 1 providers (e-mail and password, which
 * devices and owners use): price per monthly active user, graduated by tier.
 */
export const AUTH_IDENTITY_PLATFORM_MAU_TIERS: readonly Tier[] = Object.freeze([
  { fromCount: 0, usd: 0 },
  { fromCount: 50_000, usd: 0.0055 },
  { fromCount: 100_000, usd: 0.0046 },
  { fromCount: 1_000_000, usd: 0.0032 },
  { fromCount: 10_000_000, usd: 0.0025 },
]);

export const AUTH_SOURCES = Object.freeze({
  identityPlatform: {
    source: 'https://cloud.google.com/identity-platform/pricing',
    readOn: READ_ON,
    note: 'Tier 1 providers (Email, Phone, Anonymous, Social): 0-49,999 MAU free, then $0.0055, $0.0046, $0.0032, $0.0025 per MAU.',
  },
  firebase: {
    source: 'https://firebase.google.com/docs/auth#identity-platform',
    readOn: READ_ON,
    note:
      'Without the Identity Platform upgrade, e-mail sign-in has no per-MAU charge: only the upgrade "will be charged ' +
      'for usage beyond the free tier of 50,000 monthly active users" on Blaze. That sentence was found quoted from the ' +
      'Firebase Auth docs in a GitHub discussion (github.com/orgs/Cherry-CIC/discussions/197), not in a stored copy of ' +
      'the page itself: verify it; the planner defaults to the Identity Platform prices.',
  },
});

/** Not priced, and why: the report lists these so nobody mistakes the total for a full bill. */
export const NOT_PRICED: readonly string[] = Object.freeze([
  'Eventarc transport of database events (Pub/Sub rates; Google-source events themselves are $0 per https://cloud.google.com/eventarc/docs/run/pricing)',
  'Cloud Scheduler jobs (5 jobs; a few free per billing account)',
  'Cloud Logging volume (no line per mapped reading by default; FIRELINK_LOG_MAPPED_READINGS=true adds one)',
  'Functions outbound networking, Artifact Registry and Cloud Build for deploys',
  'Hosting of the dashboard',
]);
