#!/usr/bin/env node
// `npx incident …`: the commands `sf incident …` runs once the plugin is linked (`sf plugins
// link .`). Their ids sit under the `incident` topic, which is what sf needs, so this launcher
// puts that word back in front of the arguments. The TypeScript runs through tsx: no build
// step, and no compiled copy that could fall behind the source.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { execute } from '@oclif/core';

register();
const root = fileURLToPath(new URL('..', import.meta.url));
const pjson = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
// Help and examples print `<bin> <command id>`: here `npx incident org start`, under sf
// `sf incident org start`.
pjson.oclif = { ...pjson.oclif, bin: 'npx' };
await execute({
  loadOptions: { root, pjson },
  args: ['incident', ...process.argv.slice(2)]
});
