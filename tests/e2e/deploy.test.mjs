// What `./build.sh` hands out, checked as a store reviewer and an administrator would get it: the
// store zip (no key, a manifest the stores accept, the same files as the unpacked build), the
// Windows CLI (a PE32+ console program that answers like the native one under wine), and
// `./build.sh run` on a machine without a display (headless: every example does what it shows).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { DIST, ROOT } from './harness.mjs';

const VERSION = JSON.parse(readFileSync(join(ROOT, 'extension', 'manifest.json'), 'utf8')).version;
const STORE_ZIP = join(ROOT, 'dist', `canhgiac-${VERSION}-store.zip`);
const EXE = join(ROOT, 'dist', 'canhgiac.exe');
const CLI = join(ROOT, 'target', 'release', 'canhgiac');
const work = mkdtempSync(join(tmpdir(), 'canhgiac-deploy-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Every file under `dir`, relative, sorted. */
function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

function unzip(zip, dir) {
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, dir]);
  return dir;
}

/** Runs the store check on `zip`: its exit status and what it printed. */
function storeCheck(zip) {
  const r = spawnSync('python3', [join(ROOT, 'scripts', 'store-package.py'), '--check', zip], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

test('the store zip has no key, passes the store check and holds the unpacked build\'s files', () => {
  const dir = unzip(STORE_ZIP, join(work, 'store'));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  assert.equal(manifest.key, undefined, 'no key');
  assert.equal(manifest.update_url, undefined);
  const unpacked = JSON.parse(readFileSync(join(DIST, 'manifest.json'), 'utf8'));
  assert.ok(unpacked.key, 'the unpacked build keeps the key for its fixed ID');
  delete unpacked.key;
  assert.deepEqual(manifest, unpacked, 'the same manifest otherwise');
  const shipped = files(DIST).filter((f) => !f.startsWith('_metadata'));
  assert.deepEqual(files(dir), shipped);
  assert.ok(shipped.includes('privacy.html'), 'the privacy policy ships in the package');
  assert.match(readFileSync(join(DIST, 'options.html'), 'utf8'), /<a [^>]*href="privacy\.html"/, 'the options page links to it');
  const privacy = readFileSync(join(DIST, 'privacy.html'), 'utf8');
  assert.match(privacy, /<meta charset="utf-8">/);
  for (const heading of ['id="tiếng-việt"', 'id="english"']) assert.ok(privacy.includes(heading), heading);
  const check = storeCheck(STORE_ZIP);
  assert.equal(check.status, 0, check.out);
});

test('the store check refuses a key, a long description and a missing file, naming each', () => {
  const bad = join(work, 'bad');
  unzip(STORE_ZIP, bad);
  const manifest = JSON.parse(readFileSync(join(bad, 'manifest.json'), 'utf8'));
  writeFileSync(join(bad, 'manifest.json'), JSON.stringify({ ...manifest, key: 'MIIB' }));
  const en = join(bad, '_locales', 'en', 'messages.json');
  const messages = JSON.parse(readFileSync(en, 'utf8'));
  messages.extDescription.message = 'x'.repeat(133);
  writeFileSync(en, JSON.stringify(messages));
  rmSync(join(bad, 'popup.html'));
  const zip = join(work, 'bad.zip');
  execFileSync('python3', ['-m', 'zipfile', '-c', zip, ...readdirSync(bad)], { cwd: bad });
  const check = storeCheck(zip);
  assert.equal(check.status, 1, check.out);
  assert.match(check.out, /manifest has "key"/);
  assert.match(check.out, /en: the description has 133 characters; the store allows 132/);
  assert.match(check.out, /names popup\.html, which is not in the package/);
});

test('both languages\' descriptions fit the store\'s 132 characters', () => {
  for (const lang of ['vi', 'en']) {
    const { extDescription } = JSON.parse(readFileSync(join(ROOT, 'extension', '_locales', lang, 'messages.json'), 'utf8'));
    assert.ok(extDescription.message.length <= 132, `${lang}: ${extDescription.message.length}`);
  }
});

test('canhgiac.exe is a PE32+ x86-64 console program from the same build as the native CLI', () => {
  const exe = readFileSync(EXE);
  assert.equal(exe.subarray(0, 2).toString('latin1'), 'MZ');
  const pe = exe.readUInt32LE(0x3c);
  assert.equal(exe.subarray(pe, pe + 4).toString('latin1'), 'PE\0\0');
  assert.equal(exe.readUInt16LE(pe + 4), 0x8664, 'x86-64');
  assert.equal(exe.readUInt16LE(pe + 24), 0x20b, 'PE32+');
  assert.equal(exe.readUInt16LE(pe + 24 + 68), 3, 'console subsystem');
  // The version line the native CLI prints is compiled into the exe too (same crate, same list).
  const version = execFileSync(CLI, ['--version'], { encoding: 'utf8' }).trim();
  const [, crate, psl] = version.match(/^canhgiac (\S+) \(Public Suffix List (.+)\)$/);
  assert.ok(exe.includes(Buffer.from(psl)) && exe.includes(Buffer.from(crate)), version);
});

const WINE = ['/usr/bin/wine64', '/usr/bin/wine', '/usr/lib/wine/wine64'].find(existsSync);

test('under wine, canhgiac.exe prints its version and checks the example policy as the native CLI does', { skip: !WINE && 'wine is not installed (./build.sh test installs wine64)' }, () => {
  const prefix = join(ROOT, 'target', 'wine-prefix');
  execFileSync(join(ROOT, 'scripts', 'wine', 'prepare.sh'), [prefix, WINE], { timeout: 120_000 });
  const env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all' };
  const run = (bin, args) => spawnSync(bin, args, { encoding: 'utf8', env, timeout: 120_000 });
  const wine = (args) => {
    const r = run(WINE, [EXE, ...args]);
    return { status: r.status, out: r.stdout.replace(/\r/g, '') };
  };
  assert.deepEqual(wine(['--version']), { status: 0, out: execFileSync(CLI, ['--version'], { encoding: 'utf8' }) });
  const example = join(ROOT, 'admin', 'example-policy.json');
  const native = run(CLI, ['policy', 'check', example]);
  assert.deepEqual(wine(['policy', 'check', example]), { status: native.status, out: native.stdout });
  // A broken policy fails the same way: status 1 or 2 and the same message.
  const broken = join(work, 'broken.json');
  writeFileSync(broken, '{"allowBypass": "no", "colour": 1}');
  const nativeBroken = run(CLI, ['policy', 'check', broken]);
  assert.notEqual(nativeBroken.status, 0);
  assert.deepEqual(wine(['policy', 'check', broken]), { status: nativeBroken.status, out: nativeBroken.stdout });
});

test('./build.sh run with no display runs headless: every example does what it shows, with screenshots', () => {
  const shots = join(work, 'run');
  const env = { ...process.env };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const r = spawnSync('node', [join(ROOT, 'scripts', 'run.mjs'), '--shots', shots], { encoding: 'utf8', env, timeout: 180_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /No display here/);
  const { results } = JSON.parse(readFileSync(join(shots, 'summary.json'), 'utf8'));
  const by = Object.fromEntries(results.map((x) => [x.id, x]));
  for (const id of ['app-file', 'lookalike', 'shortener']) {
    assert.equal(by[id].outcome, 'warning', JSON.stringify(by[id]));
    assert.equal(by[id].apkRequested, false, `${id}: the app file was never fetched`);
  }
  assert.match(by['app-file'].detail, /app_package_in_path/);
  assert.match(by.lookalike.detail, /lookalike|imperson/);
  assert.equal(by.chat.outcome, 'marked', by.chat.detail);
  assert.equal(by.pdf.outcome, 'download', by.pdf.detail);
  for (const name of ['warning-app-file', 'warning-lookalike', 'warning-shortener', 'chat', 'popup', 'report-form', 'examples']) {
    const png = readFileSync(join(shots, `${name}.png`));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG', name);
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1280, 800], `${name} is the store's 1280×800`);
  }
  for (const line of ['ok   app-file', 'ok   lookalike', 'ok   shortener', 'ok   chat', 'ok   pdf']) assert.ok(r.stdout.includes(line), r.stdout);
});

const XVFB = ['/usr/bin/xvfb-run'].find(existsSync);

test('./build.sh run with a display opens the browser headed on the examples page, and a stop signal cleans up', { skip: !XVFB && 'xvfb-run is not installed (./build.sh test installs xvfb)' }, () => {
  // A virtual display stands in for a desktop: the script must open the browser, not run headless.
  const script = `node "${join(ROOT, 'scripts', 'run.mjs')}" & pid=$!; sleep 12; kill -TERM $pid; wait $pid; echo "exit $?"`;
  const before = new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('canhgiac-run-')));
  const r = spawnSync(XVFB, ['-a', 'sh', '-c', script], { encoding: 'utf8', timeout: 90_000 });
  assert.match(r.stdout, /\/usr\/bin\/chromium is open on https:\/\/vi-du\.example\.vn\//, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout, /running headless/);
  assert.match(r.stdout, /exit 0/);
  const left = readdirSync(tmpdir()).filter((n) => n.startsWith('canhgiac-run-') && !before.has(n));
  assert.deepEqual(left, [], 'the temporary profile is removed');
});
