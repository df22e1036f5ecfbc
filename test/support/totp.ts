import { generate } from 'otplib';

/** The code an authenticator app would show at this moment. */
export function totpAt(secret: string, at: Date): Promise<string> {
  return generate({ secret, epoch: Math.floor(at.getTime() / 1000) });
}
