// scripts/serve.sh on a machine without Rust, Node.js or a C linker: one message that lists each
// missing tool and how to get it on Debian/Ubuntu and macOS, then exit 1, before anything else runs.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathWithout, REPO } from './sandbox.mjs';

test('serve.sh without cargo, rustup, node, npm and cc says what is missing and how to get it', () => {
  const home = mkdtempSync(join(tmpdir(), 'segloss-prereq-'));
  try {
    const bin = pathWithout(join(home, 'bin'), /^(cargo|rustup|rustc|node|nodejs|npm|npx|cc)$/);
    const result = spawnSync('/bin/bash', ['scripts/serve.sh', '0'], {
      cwd: REPO,
      env: { HOME: home, PATH: bin, LANG: 'C.UTF-8' },
      encoding: 'utf8',
    });
    console.log(result.stderr);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '', 'nothing ran before the message');
    for (const what of ['Rust through rustup', 'a C compiler and linker (cc)', 'node (Node.js 18', 'npm']) {
      assert.ok(result.stderr.includes(`  - ${what}`), `the message names ${what}`);
    }
    assert.equal(result.stderr.match(/Debian\/Ubuntu: /g).length, 4);
    assert.equal(result.stderr.match(/macOS: /g).length, 4);
    assert.match(result.stderr, /https:\/\/sh\.rustup\.rs/);
    assert.match(result.stderr, /brew install node/);
    assert.doesNotMatch(result.stderr, /command not found|No such file/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
