import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { KeyedAuditChain1766000000000 } from './1766000000000-keyed-audit-chain';

/** Every migration, oldest first; listed here so no glob depends on the build layout. */
export const MIGRATIONS = [InitialSchema1764000000000, KeyedAuditChain1766000000000];
