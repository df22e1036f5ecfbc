import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';

/** A configuration value the service refuses to start with. The message names the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = [
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
];

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize: number;
      readonly statementTimeoutMs: number;
      /**
       * Client-side limit on one query (node-postgres `query_timeout`): the only one that fires
       * when the server stops answering altogether; 0 = none.
       */
      readonly queryTimeoutMs: number;
      /** Client-side limit on opening a connection. */
      readonly connectTimeoutMs: number;
      readonly ssl: boolean;
    };

export interface EncryptionKey {
  /** Stored beside each ciphertext so a previous key can still decrypt after rotation. */
  readonly id: string;
  readonly key: Buffer;
}

export interface AppConfig {
  readonly production: boolean;
  readonly port: number;
  /** The address to listen on; undefined: every interface (IPv6 and IPv4). */
  readonly host: string | undefined;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  readonly logLevel: LogLevel;
  readonly jwt: {
    readonly secret: Buffer;
    readonly issuer: string;
    readonly audience: string;
    readonly accessTokenTtlSeconds: number;
    readonly preAuthTokenTtlSeconds: number;
  };
  readonly mfa: {
    readonly issuer: string;
    readonly currentKey: EncryptionKey;
    readonly previousKeys: readonly EncryptionKey[];
  };
  readonly bootstrapAdminPassword: string | undefined;
  readonly stepUpMaxAgeSeconds: number;
  readonly lockout: { readonly threshold: number; readonly minutes: number };
  readonly signInRateLimit: number;
  /** API keys: the longest expiry, in days; shorter for keys that are an MFA proof (step-up). */
  readonly apiKeys: { readonly maxDays: number; readonly stepUpMaxDays: number };
  /** Wrong passwords for one account within a minute that are logged at warn as a burst. */
  readonly passwordBurstThreshold: number;
  /** Password hashes computed at once (argon2id); more wait in a queue. */
  readonly passwordHashConcurrency: number;
  /** Password checks that may wait for a turn; past that, 503. */
  readonly passwordHashQueue: number;
  /** When set, /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken: string | undefined;
  readonly trustProxy: string | false;
  /** How long a request may take to arrive, head and body (408 past that). */
  readonly requestTimeoutMs: number;
  readonly resets: {
    /** A reset without a reason is a 400 (RESET_REASON_REQUIRED). */
    readonly reasonRequired: boolean;
    /** A reset answers a one-time code the account's next sign-in needs (RESET_ENROLLMENT_CODE). */
    readonly enrollmentCode: boolean;
    readonly enrollmentCodeTtlSeconds: number;
    /** The code is also in the message to the account's email (ENROLLMENT_CODE_IN_MESSAGE). */
    readonly enrollmentCodeInMessage: boolean;
  };
  /** Where the messages to the people concerned go; undefined: they are logged. */
  readonly mail: MailConfig;
}

export interface MailConfig {
  /** smtp:// or smtps:// URL, with user and password if the server wants them. */
  readonly smtpUrl: string | undefined;
  readonly from: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const PLACEHOLDER_SECRETS = ['changeme', 'change-me', 'secret', 'password', 'development'];

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) {
    throw new ConfigError(name, `must be a whole number between ${min} and ${max} (got '${raw}')`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(name, `must be a whole number between ${min} and ${max} (got '${raw}')`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false (got '${raw}')`);
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function parseEncryptionKey(name: string, raw: string): EncryptionKey {
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(raw)) key = Buffer.from(raw, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(raw)) key = Buffer.from(raw, 'base64');
  if (key?.length !== 32) {
    throw new ConfigError(name, 'must be 32 bytes written as 64 hex characters or as base64');
  }
  return { id: keyId(key), key };
}

/**
 * Reads a key file from the data folder, or creates it once (mode 0600). Creation uses the
 * exclusive flag so two instances starting together on one folder end up with the same key.
 */
function developmentKey(dataDir: string, fileName: string, make: () => string): string {
  const path = join(dataDir, fileName);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, make(), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(path, 'utf8').trim();
}

function databaseConfig(env: Env, dataDir: string): DatabaseConfig {
  const raw = text(env, 'DATABASE_URL') ?? `sqlite:${join(dataDir, 'mfa-admin.sqlite')}`;
  if (raw.startsWith('sqlite:')) {
    const file = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (file === '')
      throw new ConfigError('DATABASE_URL', "a sqlite URL needs a file: 'sqlite:<file>'");
    return { kind: 'sqlite', file: file === ':memory:' ? file : resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new ConfigError('DATABASE_URL', 'is not a valid postgres:// URL');
    }
    const statementTimeoutMs = integer(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 10_000, 0, 600_000);
    // A little longer than the server's own limit, so that one fires first when the server can.
    const queryTimeoutMs = integer(
      env,
      'DATABASE_QUERY_TIMEOUT_MS',
      statementTimeoutMs === 0 ? 0 : statementTimeoutMs + 1000,
      0,
      3_600_000,
    );
    if (queryTimeoutMs !== 0 && statementTimeoutMs !== 0 && queryTimeoutMs <= statementTimeoutMs) {
      throw new ConfigError(
        'DATABASE_QUERY_TIMEOUT_MS',
        `must be 0 (none) or above DATABASE_STATEMENT_TIMEOUT_MS (${statementTimeoutMs}), got ${queryTimeoutMs}`,
      );
    }
    return {
      kind: 'postgres',
      url: raw,
      poolSize: integer(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
      statementTimeoutMs,
      queryTimeoutMs,
      connectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
      ssl: boolean(env, 'DATABASE_SSL', false),
    };
  }
  throw new ConfigError('DATABASE_URL', "must start with 'sqlite:' or 'postgres://'");
}

/** Only the part that the migration CLI needs: no keys are read or generated. */
export function loadDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const dataDir = resolve(text(env, 'DATA_DIR') ?? './data');
  return databaseConfig(env, dataDir);
}

/**
 * HOST: an IP address or `localhost`. Outside production the default is loopback only (a first
 * start prints an administrator's password); in production, every interface.
 */
function listenHost(env: Env, production: boolean): string | undefined {
  const host = text(env, 'HOST');
  if (host === undefined) return production ? undefined : '127.0.0.1';
  if (host.toLowerCase() === 'localhost') return 'localhost';
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) === 0)
    throw new ConfigError(
      'HOST',
      `must be an IP address (such as 127.0.0.1, 0.0.0.0 or ::) or localhost (got ${JSON.stringify(host.slice(0, 64))})`,
    );
  return bare;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = text(env, 'NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  const dataDirRaw = text(env, 'DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(dataDirRaw);

  const logLevel = (text(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) {
    throw new ConfigError(
      'LOG_LEVEL',
      `must be one of ${LOG_LEVELS.join(', ')} (got '${logLevel}')`,
    );
  }
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = listenHost(env, production);
  const database = databaseConfig(env, dataDir);

  let jwtSecret = text(env, 'JWT_SECRET');
  if (jwtSecret === undefined) {
    if (production) throw new ConfigError('JWT_SECRET', 'is required when NODE_ENV=production');
    jwtSecret = developmentKey(dataDir, 'jwt-secret.key', () =>
      randomBytes(48).toString('base64url'),
    );
  }
  if (jwtSecret.length < 32) throw new ConfigError('JWT_SECRET', 'must be at least 32 characters');
  if (
    production &&
    (new Set(jwtSecret).size < 10 ||
      PLACEHOLDER_SECRETS.some((p) => jwtSecret.toLowerCase().includes(p)))
  ) {
    throw new ConfigError('JWT_SECRET', 'is too weak for production: use 32+ random characters');
  }

  let mfaKeyRaw = text(env, 'MFA_ENCRYPTION_KEY');
  if (mfaKeyRaw === undefined) {
    if (production)
      throw new ConfigError('MFA_ENCRYPTION_KEY', 'is required when NODE_ENV=production');
    mfaKeyRaw = developmentKey(dataDir, 'mfa-encryption.key', () =>
      randomBytes(32).toString('hex'),
    );
  }
  const currentKey = parseEncryptionKey('MFA_ENCRYPTION_KEY', mfaKeyRaw);
  if (production && new Set(currentKey.key).size < 8) {
    throw new ConfigError('MFA_ENCRYPTION_KEY', 'is too weak for production: use 32 random bytes');
  }
  const previousKeys = (text(env, 'MFA_ENCRYPTION_KEYS_PREVIOUS') ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '')
    .map((k) => parseEncryptionKey('MFA_ENCRYPTION_KEYS_PREVIOUS', k));

  const bootstrapAdminPassword = text(env, 'BOOTSTRAP_ADMIN_PASSWORD');
  if (bootstrapAdminPassword !== undefined && bootstrapAdminPassword.length < 12) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD', 'must be at least 12 characters');
  }

  const lockoutThreshold = integer(env, 'LOCKOUT_THRESHOLD', 10, 1, 100);
  const signInRateLimit = integer(env, 'SIGNIN_RATE_LIMIT', 60, 0, 1_000_000);
  const apiKeyMaxDays = integer(env, 'API_KEY_MAX_DAYS', 365, 1, 3650);
  const apiKeyStepUpMaxDays = integer(env, 'API_KEY_STEP_UP_MAX_DAYS', 30, 1, 3650);
  if (apiKeyStepUpMaxDays > apiKeyMaxDays) {
    throw new ConfigError('API_KEY_STEP_UP_MAX_DAYS', 'must not exceed API_KEY_MAX_DAYS');
  }
  // Read by `npm run start:prod` (node's --max-old-space-size); checked here too, so a value node
  // would take silently (0, 10) stops the start like any other bad setting.
  integer(env, 'MAX_OLD_SPACE_MIB', 256, 64, 1_048_576);
  if (production && signInRateLimit === 0) {
    throw new ConfigError('SIGNIN_RATE_LIMIT', 'cannot be 0 (off) when NODE_ENV=production');
  }

  const trustProxy = trustedProxies(env);
  const metricsToken = text(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError('METRICS_TOKEN', 'must be at least 16 characters');
  }

  return {
    production,
    port,
    host,
    dataDir,
    database,
    logLevel: logLevel as LogLevel,
    jwt: {
      secret: Buffer.from(jwtSecret, 'utf8'),
      issuer: text(env, 'JWT_ISSUER') ?? 'mfa-admin',
      audience: text(env, 'JWT_AUDIENCE') ?? 'mfa-admin',
      accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL', 3600, 60, 86_400),
      preAuthTokenTtlSeconds: 300,
    },
    mfa: {
      issuer: text(env, 'MFA_ISSUER') ?? 'MFA Admin',
      currentKey,
      previousKeys,
    },
    bootstrapAdminPassword,
    stepUpMaxAgeSeconds: integer(env, 'STEP_UP_MAX_AGE', 900, 0, 86_400),
    lockout: { threshold: lockoutThreshold, minutes: integer(env, 'LOCKOUT_MINUTES', 15, 1, 1440) },
    signInRateLimit,
    apiKeys: { maxDays: apiKeyMaxDays, stepUpMaxDays: apiKeyStepUpMaxDays },
    passwordBurstThreshold: integer(env, 'PASSWORD_BURST_THRESHOLD', 10, 2, 1_000_000),
    passwordHashConcurrency: integer(env, 'PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
    passwordHashQueue: integer(env, 'PASSWORD_HASH_QUEUE', 64, 0, 100_000),
    metricsToken,
    trustProxy,
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
    resets: {
      reasonRequired: boolean(env, 'RESET_REASON_REQUIRED', false),
      enrollmentCode: boolean(env, 'RESET_ENROLLMENT_CODE', false),
      enrollmentCodeTtlSeconds: integer(env, 'ENROLLMENT_CODE_TTL', 86_400, 60, 30 * 86_400),
      enrollmentCodeInMessage: boolean(env, 'ENROLLMENT_CODE_IN_MESSAGE', false),
    },
    mail: mailConfig(env),
  };
}

/** A plain address (local@domain), or a display name with one in angle brackets. */
const MAIL_ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+$/;
const MAIL_FROM = /^(?:[^<>"\r\n]{1,100}\s)?<[^\s@<>"]+@[^\s@<>"]+>$/;

function mailConfig(env: Env): MailConfig {
  const raw = text(env, 'SMTP_URL');
  const from = text(env, 'MAIL_FROM') ?? 'MFA Admin <mfa-admin@localhost>';
  if (from.length > 254 || (!MAIL_ADDRESS.test(from) && !MAIL_FROM.test(from))) {
    throw new ConfigError(
      'MAIL_FROM',
      `must be an email address, or "Name <address>" (got '${from.slice(0, 64)}')`,
    );
  }
  if (raw === undefined) return { smtpUrl: undefined, from };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      'SMTP_URL',
      'must be a URL such as smtp://host:25 or smtps://user:password@host',
    );
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new ConfigError(
      'SMTP_URL',
      `must start with smtp:// or smtps:// and name a host (got '${url.protocol}')`,
    );
  }
  if (url.pathname !== '' && url.pathname !== '/') {
    throw new ConfigError('SMTP_URL', 'takes no path: smtp://[user:password@]host[:port]');
  }
  return { smtpUrl: raw, from };
}

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^[0-9]{1,3}$/.test(prefix) ? Number(prefix) : -1;
  // A /0 is every address: every client a trusted proxy.
  return bits >= 1 && bits <= (family === 4 ? 32 : 128);
}

/**
 * The proxies whose X-Forwarded-For is believed: addresses, CIDR ranges or the names loopback,
 * linklocal and uniquelocal, comma-separated. Never "every proxy": that would let any client
 * choose its own address, and with it its sign-in rate limit and the address the audit log keeps.
 */
function trustedProxies(env: Env): string | false {
  const raw = text(env, 'TRUST_PROXY');
  if (raw === undefined || ['off', 'false', '0', 'no'].includes(raw.toLowerCase())) return false;
  const entries = raw.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.includes(entry.toLowerCase()) && !isAddressOrRange(entry)) {
      throw new ConfigError(
        'TRUST_PROXY',
        `must be off, or proxy addresses, CIDR ranges or loopback/linklocal/uniquelocal, comma-separated (got '${entry}')`,
      );
    }
  }
  return entries.map((entry) => entry.toLowerCase()).join(',');
}

/** Injection token for the loaded configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
