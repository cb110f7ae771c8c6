// Writes bench/noise/manifest.json: every recorded attack in ../shared/data as one scenario
// (each EVTX-ATTACK-SAMPLES `.jsonl` file, each OTRF `.zip`), the full SigmaHQ rule set plus our
// own content/rules, and a simulated organisation of 200 hosts for 24 hours as background.
// Run: npx node bench/noise/make-manifest.ts (then commit the manifest).
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const shared = join(here, '..', '..', '..', 'shared', 'data');

function filesBelow(directory: string, extension: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      if (statSync(child).isDirectory()) walk(child);
      else if (name.endsWith(extension)) found.push(child);
    }
  };
  walk(directory);
  return found;
}

const scenario = (prefix: string, root: string, file: string, extension: string) => ({
  id: `${prefix}/${relative(root, file).slice(0, -extension.length)}`,
  files: [relative(here, file)],
});
const evtx = join(shared, 'evtx-attack-samples');
const otrf = join(shared, 'otrf');
const sigma = join(shared, 'sigma');
const manifest = {
  rules: [
    ...readdirSync(sigma)
      .filter((name) => name.startsWith('rules') && statSync(join(sigma, name)).isDirectory())
      .sort()
      .map((name) => relative(here, join(sigma, name))),
    relative(here, join(here, '..', '..', 'content', 'rules')),
  ],
  attack: relative(here, join(shared, 'attack', 'enterprise-attack.json')),
  scenarios: [
    ...filesBelow(evtx, '.jsonl').map((file) => scenario('evtx', evtx, file, '.jsonl')),
    ...filesBelow(otrf, '.zip').map((file) => scenario('otrf', otrf, file, '.zip')),
  ],
  background: { simulate: { hosts: 200, hours: 24, seed: 1 } },
};
writeFileSync(join(here, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`${manifest.scenarios.length} scenarios, ${manifest.rules.length} rule folders`);
