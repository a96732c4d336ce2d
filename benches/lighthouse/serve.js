// Serves a built dist/ on 127.0.0.1 the way a real static host would: each file
// compressed once at start (brotli quality 11 or gzip -9, whichever the browser
// accepts, brotli first) and sent with Content-Encoding, so Lighthouse measures the
// transfer a visitor would really download. Used by benches/size.sh only.
//
//   node serve.js <dist folder> <port>
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [root, portText] = process.argv.slice(2);
if (!root || !portText) {
  console.error('usage: node serve.js <dist folder> <port>');
  process.exit(2);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

// Every file, read and compressed once: the bench serves a fixed build.
const files = new Map();
for (const name of fs.readdirSync(root)) {
  const full = path.join(root, name);
  if (!fs.statSync(full).isFile()) continue;
  const raw = fs.readFileSync(full);
  files.set('/' + name, {
    type: TYPES[path.extname(name)] || 'application/octet-stream',
    raw,
    br: zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
    gzip: zlib.gzipSync(raw, { level: 9 }),
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  const file = files.get(url.pathname === '/' ? '/index.html' : url.pathname);
  if (!file) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
    return;
  }
  const accepts = String(req.headers['accept-encoding'] || '');
  const headers = { 'Content-Type': file.type, Vary: 'Accept-Encoding', 'Cache-Control': 'no-cache' };
  let body = file.raw;
  if (/\bbr\b/.test(accepts)) {
    headers['Content-Encoding'] = 'br';
    body = file.br;
  } else if (/\bgzip\b/.test(accepts)) {
    headers['Content-Encoding'] = 'gzip';
    body = file.gzip;
  }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
});
server.listen(Number(portText), '127.0.0.1', () => {
  console.log(`serving ${root} (brotli/gzip) on http://127.0.0.1:${portText}/`);
});
