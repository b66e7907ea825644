// The README's first command as a person runs it: scripts/serve.sh as a normal user, with no Chromium
// and no apt-get (nor sudo, nor Python) on PATH, on a machine where that user has Rust with the wasm32
// target and the wasm-bindgen CLI. The page must be served and become ready in Chromium. Prints how
// long serve.sh took until it served. Needs root (to make the user); skipped otherwise.
//
// The user's toolchain is root's, hard-linked into the user's home (no copy of the files, and root's
// stay read-only to it), so the test works on a fresh CI machine where only root has Rust.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { chromium } from 'playwright-core';
import { copyCheckout, pathWithout, REPO, startServe } from './sandbox.mjs';

const USER = 'segloss-serve';
const isRoot = process.getuid?.() === 0;
const has = (program) => {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`]);
    return true;
  } catch {
    return false;
  }
};
const userExists = () => {
  try {
    execFileSync('id', [USER], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const skip = !isRoot
  ? 'needs root to make a user'
  : !has('useradd') || !has('runuser')
    ? 'needs useradd and runuser'
    : false;

const cargoHome = process.env.CARGO_HOME ?? join(process.env.HOME, '.cargo');

/** Gives `home` root's Rust toolchain (the active one, without its docs), cargo's proxies and
 *  installed binaries (wasm-bindgen), and its registry: index and downloads copied, the unpacked
 *  sources hard-linked (same files and times, so cargo sees the same crates). */
function linkToolchain(home, uid, gid) {
  const sysroot = execFileSync('rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  const rustupHome = process.env.RUSTUP_HOME ?? join(process.env.HOME, '.rustup');
  const toolchain = join(home, '.rustup', 'toolchains', sysroot.split('/').at(-1));
  mkdirSync(toolchain, { recursive: true });
  for (const entry of readdirSync(sysroot).filter((name) => name !== 'share')) {
    execFileSync('cp', ['-al', join(sysroot, entry), toolchain]);
  }
  cpSync(join(rustupHome, 'settings.toml'), join(home, '.rustup', 'settings.toml'));
  mkdirSync(join(home, '.cargo', 'bin'), { recursive: true });
  for (const name of readdirSync(join(cargoHome, 'bin'))) {
    execFileSync('cp', ['-Pl', join(cargoHome, 'bin', name), join(home, '.cargo', 'bin', name)]);
  }
  for (const part of ['index', 'cache', 'src']) {
    const from = join(cargoHome, 'registry', part);
    mkdirSync(join(home, '.cargo', 'registry'), { recursive: true });
    if (existsSync(from)) execFileSync('cp', [part === 'src' ? '-al' : '-a', from, join(home, '.cargo', 'registry')]);
  }
  // The user owns its directories and copies; hard-linked files stay root's (chown would change root's).
  execFileSync('find', [home, '-type', 'd', '-exec', 'chown', `${uid}:${gid}`, '{}', '+']);
  for (const part of ['index', 'cache']) {
    execFileSync('chown', ['-R', `${uid}:${gid}`, join(home, '.cargo', 'registry', part)]);
  }
}

/** The command that runs `argv` as the user. Cargo tells crates apart by their source's absolute path,
 *  so where it can, the user's cargo home is mounted at root's path (in a mount namespace of its own:
 *  nothing changes for root), and root's compiled dependencies stay valid for the user. */
function asUser(home, argv) {
  const parent = dirname(cargoHome);
  let sameCargoHome = parent !== '/';
  try {
    execFileSync('unshare', ['-m', 'true'], { stdio: 'ignore' });
  } catch {
    sameCargoHome = false;
  }
  const env = ['env', '-i', `HOME=${home}`, `USER=${USER}`, 'LANG=C.UTF-8'];
  if (!sameCargoHome) return { sameCargoHome, argv: ['runuser', '-u', USER, '--', ...env, ...argv] };
  const mounts = [
    `mount -t tmpfs -o mode=755 tmpfs '${parent}'`,
    `mkdir -p '${cargoHome}'`,
    `mount --bind '${home}/.cargo' '${cargoHome}'`,
    'exec "$@"',
  ].join(' && ');
  return {
    sameCargoHome,
    argv: [
      'unshare',
      '-m',
      'sh',
      '-c',
      mounts,
      'sh',
      'runuser',
      '-u',
      USER,
      '--',
      ...env,
      `CARGO_HOME=${cargoHome}`,
      ...argv,
    ],
  };
}

/** Copies root's cargo build cache of the wasm builds (scripts/build.sh) into `checkout`, as a user
 *  who has built before has it: the dependencies are compiled, the segloss crate (at a new path) and
 *  dist/ are built again. Without it serve.sh compiles everything: 474 s on this 2-core machine at
 *  load 11-15 (the time of a first serve.sh on a fresh checkout), too long for the test command. */
function seedBuildCache(checkout) {
  mkdirSync(join(checkout, 'target'), { recursive: true });
  for (const dir of ['release', 'wasm32-unknown-unknown', 'portable']) {
    const from = join(REPO, 'target', dir);
    if (existsSync(from)) execFileSync('cp', ['-a', from, join(checkout, 'target', dir)]);
  }
}

test('scripts/serve.sh as a non-root user without chromium or apt-get serves a page that gets ready', {
  skip,
}, async () => {
  const created = !userExists();
  if (created) execFileSync('useradd', ['--no-create-home', '--shell', '/bin/sh', USER]);
  const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
  const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }));
  const home = mkdtempSync('/tmp/segloss-serve-');
  const userDataDir = mkdtempSync('/tmp/segloss-serve-chromium-');
  let serve;
  let browser;
  try {
    linkToolchain(home, uid, gid);
    const checkout = join(home, 'segloss');
    copyCheckout(checkout);
    seedBuildCache(checkout);
    execFileSync('chown', ['-R', `${uid}:${gid}`, checkout]);
    const bin = pathWithout(join(home, 'bin'), /^(chrom|google-chrome|apt|dpkg|sudo|su$|python|pip)/);
    assert.ok(!existsSync(join(bin, 'chromium')) && !existsSync(join(bin, 'apt-get')));

    const started = performance.now();
    const command = asUser(home, [`PATH=${bin}`, 'bash', join(checkout, 'scripts/serve.sh'), '0']);
    console.log(
      command.sameCargoHome
        ? `the user's cargo home is mounted at ${cargoHome}: root's compiled dependencies are reused`
        : 'no mount namespace here: serve.sh compiles every dependency again (a first serve.sh, ~8 min under load)',
    );
    serve = startServe(command.argv, { cwd: home });
    const { url, seconds } = await serve.served;
    console.log(`serve.sh as ${USER} (uid ${uid}) served ${url} after ${seconds.toFixed(1)} s; its output:`);
    console.log(serve.output().replace(/^/gm, '  | '));
    assert.equal(statSync(join(checkout, 'dist/index.html')).uid, uid, 'the user built dist/');
    assert.doesNotMatch(serve.output(), /apt-get|chromium|python/i);

    browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    assert.match(await page.textContent('#build-info'), /simd128/);
    assert.deepEqual(errors, []);
    console.log(`the page was ready ${((performance.now() - started) / 1000).toFixed(1)} s after serve.sh started`);
  } finally {
    await browser?.close();
    await serve?.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(userDataDir, { recursive: true, force: true });
    if (created) execFileSync('userdel', [USER]);
  }
});
