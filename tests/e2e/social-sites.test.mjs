// The sites the content script runs on have one source, data/social_sites.tsv: the manifest's
// content-script matches must be exactly its origins, and the built engine (which the worker asks,
// socialSites) must hand out the same list. No browser needed: this reads the files and the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ROOT } from './harness.mjs';

/** The rows of data/social_sites.tsv as `{chat, invite}` origin lists. */
function listed() {
  const out = { chat: [], invite: [] };
  for (const line of readFileSync(join(ROOT, 'data', 'social_sites.tsv'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [role, origin] = line.split('\t');
    assert.ok(role in out, `unknown role in ${JSON.stringify(line)}`);
    assert.equal(new URL(origin).origin, origin, `${origin} is a bare origin`);
    out[role].push(origin);
  }
  return out;
}

test("the manifest's content-script matches are the listed sites, no more and no fewer", () => {
  const { chat, invite } = listed();
  const manifest = JSON.parse(readFileSync(join(ROOT, 'extension', 'manifest.json'), 'utf8'));
  const social = manifest.content_scripts.filter((c) => c.js.includes('content/social.js'));
  assert.equal(social.length, 1, 'one content-script entry runs content/social.js');
  const matches = [...social[0].matches].sort();
  assert.deepEqual(matches, [...chat, ...invite].map((o) => `${o}/*`).sort());
  assert.ok(chat.includes('https://chat.zalo.me') && invite.includes('https://t.me'));
});

test('the engine the worker asks hands out the same sites', async () => {
  const engine = join(DIST, 'engine');
  const { default: init, socialSites } = await import(pathToFileURL(join(engine, 'canhgiac.js')).href);
  await init({ module_or_path: readFileSync(join(engine, 'canhgiac_bg.wasm')) });
  assert.deepEqual(socialSites(), listed());
});
