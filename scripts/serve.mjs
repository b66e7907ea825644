// A minimal static file server for dist/ on localhost, with the MIME types wasm streaming needs.
// Used by `scripts/serve.sh` and by the end-to-end tests (import { startServer }).

import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `root` on 127.0.0.1:`port` (0 = any free port); `prefix` mounts it under a sub-path;
 *  `types` replaces content types by extension (the tests play a misconfigured host with it). */
export function startServer(root, port = 0, prefix = '/', types = {}) {
  const base = resolve(root);
  const typeOf = { ...TYPES, ...types };
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
    if (!path.startsWith(prefix)) return send(res, 404, 'not found');
    let file = normalize(join(base, path.slice(prefix.length)));
    if (!file.startsWith(base)) return send(res, 403, 'forbidden');
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': typeOf[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch {
      send(res, 404, 'not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok(server));
  });
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(text);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
  const server = await startServer(process.argv[2] ?? 'dist', port);
  console.log(`Segloss playground: http://127.0.0.1:${server.address().port}/`);
}
