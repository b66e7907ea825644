// What the serve tests give scripts/serve.sh: a PATH without some programs (a directory of symlinks to
// the system's others), a copy of the checkout, and a running script with its output and timings.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = new URL('../../', import.meta.url).pathname;
const SYSTEM_BIN = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Makes `dir` a PATH directory with every program of the system's bin directories except those
 *  whose name matches `without`; returns `dir`. */
export function pathWithout(dir, without) {
  mkdirSync(dir, { recursive: true });
  for (const bin of SYSTEM_BIN.filter(existsSync)) {
    for (const name of readdirSync(bin)) {
      if (without.test(name) || existsSync(join(dir, name))) continue;
      symlinkSync(join(bin, name), join(dir, name));
    }
  }
  return dir;
}

/** Copies the checkout's files (tracked and new, as git sees them; not target/, dist/, node_modules/)
 *  into `dest`. */
export function copyCheckout(dest) {
  mkdirSync(dest, { recursive: true });
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: REPO,
    encoding: 'utf8',
  })
    .split('\0')
    .filter((file) => file && existsSync(join(REPO, file)));
  const archive = execFileSync('tar', ['-c', '--null', '-T', '-', '-f', '-'], {
    cwd: REPO,
    input: files.join('\0'),
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-f', '-'], { cwd: dest, input: archive });
}

/** Starts `command` (argv) in its own process group; resolves `served` with the URL and the seconds
 *  until serve.mjs printed it, or rejects with the output if the command ends first. */
export function startServe(command, options) {
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), { ...options, detached: true });
  let output = '';
  const served = new Promise((resolve, reject) => {
    const read = (chunk) => {
      output += chunk;
      const url = output.match(/Segloss playground: (http:\/\/\S+)/)?.[1];
      if (url) resolve({ url, seconds: (performance.now() - started) / 1000 });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => reject(new Error(`serve.sh ended (exit ${code}) before serving:\n${output}`)));
  });
  return {
    served,
    output: () => output,
    stop() {
      if (child.exitCode !== null) return Promise.resolve();
      const exited = new Promise((done) => child.once('exit', done));
      process.kill(-child.pid, 'SIGTERM');
      return exited;
    },
  };
}
