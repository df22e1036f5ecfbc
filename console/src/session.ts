// Where the console keeps its token: sessionStorage, so that it lives only in this tab and ends
// when the tab closes (docs/security.md explains the choice). Nothing else about the caller is
// stored; who they are is asked of the service (GET /api/v1/Session) on every load.

export type TokenKind = 'mfa' | 'enroll' | 'access';

export interface StoredToken {
  readonly token: string;
  readonly kind: TokenKind;
}

const KEY = 'mfa-admin-console.token';

/** The kind a token says it is (its `typ` claim); the service checks it, this only picks a screen. */
export function kindOf(token: string): TokenKind | undefined {
  const payload = token.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const typ = (JSON.parse(json) as { typ?: unknown }).typ;
    return typ === 'mfa' || typ === 'enroll' || typ === 'access' ? typ : undefined;
  } catch {
    return undefined;
  }
}

export function readToken(): StoredToken | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return undefined;
  const kind = kindOf(raw);
  return kind === undefined ? undefined : { token: raw, kind };
}

export function storeToken(token: string): StoredToken | undefined {
  const kind = kindOf(token);
  if (kind === undefined) return undefined;
  sessionStorage.setItem(KEY, token);
  return { token, kind };
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
