import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { ApiKeys1765000000000 } from './1765000000000-api-keys';
import { AccountableResets1766000000000 } from './1766000000000-accountable-resets';

/** Every migration, oldest first; listed here so no glob depends on the build layout. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  ApiKeys1765000000000,
  AccountableResets1766000000000,
];
