import { KeyObject, createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { SessionKind } from './entities/session.entity';

export const JWT_ALGORITHM = 'HS256';

/** Claims this service puts in (and demands of) every token. */
export interface TokenClaims {
  sub: string;
  sid: string;
  typ: SessionKind;
}

@Injectable()
export class TokenService {
  /** Made once: jsonwebtoken would otherwise turn a string secret into a key on every call. */
  readonly key: KeyObject;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.key = createSecretKey(config.jwt.secret);
  }

  issue(claims: TokenClaims, expiresAt: Date, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    return sign({ ...claims, iat, exp: Math.floor(expiresAt.getTime() / 1000) }, this.key, {
      algorithm: JWT_ALGORITHM,
      issuer: this.config.jwt.issuer,
      audience: this.config.jwt.audience,
    });
  }
}
