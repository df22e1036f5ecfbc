import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { asciiLower, memberOf } from '../common/ascii';
import { UnreadableBody } from '../common/http/body-reader';
import { DomainError } from '../common/problem/domain-error';

/** RFC 6238 with what authenticator apps assume: SHA-1, 6 digits, 30 s steps. */
export const TOTP_PERIOD_SECONDS = 30;

export type SecondFactorCode = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string };

const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const TOTP_FORMAT = /^[0-9]{6}$/;
const RECOVERY_FORMAT = /^[a-z0-9]{5}-[a-z0-9]{5}$/;

/**
 * Reads a code the way clients send it (a JSON string, a JSON number, raw text, or
 * `{"code": ...}`) and refuses anything not exactly in one of the two canonical forms, before any
 * lookup: no trimming, so " 123456" or "123 456" can never reach the replay check as "123456".
 * A JSON number has lost its leading zeros, so it is padded back to six digits.
 */
export function parseSecondFactorCode(input: unknown): SecondFactorCode | null {
  let value = input;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value).filter(([k]) => asciiLower(k) === 'code');
    if (entries.length !== 1) return null;
    value = entries[0][1];
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 999_999) return null;
    return { kind: 'totp', code: String(value).padStart(6, '0') };
  }
  if (typeof value !== 'string' || value.length > 32) return null;
  if (TOTP_FORMAT.test(value)) return { kind: 'totp', code: value };
  const lowered = asciiLower(value);
  if (RECOVERY_FORMAT.test(lowered)) return { kind: 'recovery', code: lowered };
  return null;
}

/** A second-factor input: the code, or null when malformed, and the refusal owed to a body that could not be read. */
export interface SecondFactorInput {
  readonly code: SecondFactorCode | null;
  /** Answered instead of the usual refusal (a 400 for a body that is no code at all). */
  readonly refusal?: DomainError;
}

/**
 * The code a call sent in its body. A body that could not be read (not JSON, a member given
 * twice, a NUL) or that names no code is refused as it would be anyway, but as a failed attempt:
 * it is counted and audited like a wrong code. `member`: the code must be `{"code": ...}`.
 */
export function readSecondFactorBody(body: unknown, member: 'code' | 'any'): SecondFactorInput {
  if (body instanceof UnreadableBody) return { code: null, refusal: body.error };
  if (member === 'code') {
    const code = memberOf(body, 'code');
    if (code === null || code === undefined) {
      return {
        code: null,
        refusal: DomainError.validation({ code: ['The code field is required.'] }),
      };
    }
    return { code: parseSecondFactorCode(code) };
  }
  return { code: parseSecondFactorCode(body) };
}

@Injectable()
export class TotpService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
  generateSecret(): string {
    return generateSecret({ length: 20 });
  }

  otpauthUri(secret: string, accountName: string): string {
    return generateURI({ issuer: this.config.mfa.issuer, label: accountName, secret });
  }

  qrCodeSvg(uri: string): Promise<string> {
    return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  /**
   * The RFC 6238 time step the code belongs to, within one step of drift either way, or null.
   * The caller spends the step (accepts it only if later than the last one accepted).
   */
  async matchStep(secret: string, code: string, now: Date): Promise<number | null> {
    if (!TOTP_FORMAT.test(code)) return null;
    const epoch = Math.floor(now.getTime() / 1000);
    try {
      const result = await verify({
        secret,
        token: code,
        epoch,
        epochTolerance: TOTP_PERIOD_SECONDS,
      });
      if (!result.valid) return null;
      return Math.floor(epoch / TOTP_PERIOD_SECONDS) + result.delta;
    } catch {
      return null;
    }
  }

  generateRecoveryCodes(count = 10): string[] {
    const one = () =>
      Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join(
        '',
      );
    return Array.from({ length: count }, () => {
      const raw = one();
      return `${raw.slice(0, 5)}-${raw.slice(5)}`;
    });
  }
}
