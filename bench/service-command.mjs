// The service's node command as `npm run start:prod` runs it, for starts that must add node
// options of their own (a CPU profile: node refuses --cpu-prof in NODE_OPTIONS).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The arguments after `node` in the start:prod script, its `${NAME:-default}`s expanded. */
export function startProdNodeArgs(root, env = process.env) {
  const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts['start:prod'];
  const expanded = script.replace(
    /\$\{(\w+):-([^}]*)\}/g,
    (_, name, fallback) => env[name] || fallback,
  );
  const words = expanded.replace(/^exec /, '').split(' ');
  if (words[0] !== 'node') throw new Error(`start:prod does not run node: ${script}`);
  return words.slice(1);
}
