// The bytes a visitor downloads: every file of a built dist/, raw, gzip -9 and
// brotli quality 11 (Node's own zlib, so no other tool is needed), and the first load
// against the size budget: index.html and the html + css + js + wasm it makes the browser
// fetch before any part of the app is asked for (its stylesheets, scripts, module
// preloads and preloads, and the modules those scripts import), read from index.html
// itself. Everything else is listed apart and not counted: the parts loaded on first use
// (the wasm chunks, their manifest and stylesheet, the offline boot module: src/ui/lazy.rs,
// scripts/split_wasm.py), fetched when a visitor first opens the editor, comparison,
// board pack, presentation, glossary, embed panel, or a scenario part only they draw; the
// pooling worker (onebudget-pool-worker*), fetched only when a simulation starts; and
// embed.js, the script a council's own page includes beside an embedded frame (the app
// never loads it). Used by benches/size.sh, and by scripts/test.sh with --check, which
// fails (exit 1) when the first load is over the budget.
//
//   node transfer.js <dist folder> [budget in KB, brotli] [--check]
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const args = process.argv.slice(2);
const check = args.includes('--check');
const [root, budgetArg] = args.filter((a) => a !== '--check');
const budgetKb = Number(budgetArg || 250);
if (!root || !(budgetKb > 0)) {
  console.error('usage: node transfer.js <dist folder> [budget KB] [--check]');
  process.exit(2);
}

const kb = (n) => (n / 1000).toFixed(1);

/** The files the page fetches as it opens: index.html, what it names with a stylesheet,
 * script, modulepreload or preload, and what those scripts import (a static `import … from`
 * or a file the boot script names), followed to the end. */
function firstLoad() {
  const found = new Set(['index.html']);
  const queue = ['index.html'];
  const local = (ref) => {
    const name = ref.replace(/^\.\//, '').split(/[?#]/)[0];
    return !/^[a-z]+:|^\/\//i.test(ref) && fs.existsSync(path.join(root, name)) ? name : null;
  };
  while (queue.length) {
    const file = queue.shift();
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const refs = [];
    if (file.endsWith('.html')) {
      for (const tag of text.match(/<(link|script)\b[^>]*>/g) || []) {
        const rel = (tag.match(/\brel=["']?([a-z -]+)/i) || [])[1] || '';
        const ref = (tag.match(/\b(?:href|src)=["']?([^"' >]+)/i) || [])[1];
        const fetched = tag.startsWith('<script') || /\b(stylesheet|modulepreload|preload)\b/.test(rel);
        if (ref && fetched) refs.push(ref);
      }
    } else if (file.endsWith('.js')) {
      for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|module_or_path:\s*)["'`](\.\/[^"'`]+)["'`]/g)) refs.push(m[1]);
    }
    for (const ref of refs) {
      const name = local(ref);
      if (name && !found.has(name)) {
        found.add(name);
        queue.push(name);
      }
    }
  }
  return found;
}

const COUNTED = new Set(['.html', '.css', '.js', '.wasm']);
if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error(`no index.html in ${root}: build it first (trunk build --release)`);
  process.exit(1);
}
const atStart = firstLoad();

/** Why a file is not part of the first load, or null if it is. */
function notAtStart(name) {
  if (atStart.has(name)) return COUNTED.has(path.extname(name)) ? null : 'not html/css/js/wasm';
  if (name.startsWith('onebudget-pool-worker')) return 'worker: fetched when a simulation starts';
  if (name === 'embed.js') return "embedding page's script, not the app's";
  if (!COUNTED.has(path.extname(name)) && !name.endsWith('.json')) return 'not html/css/js/wasm';
  return 'part: fetched when first needed';
}

const rows = fs
  .readdirSync(root)
  .filter((name) => fs.statSync(path.join(root, name)).isFile())
  .map((name) => {
    const raw = fs.readFileSync(path.join(root, name));
    return {
      name,
      apart: notAtStart(name),
      raw: raw.length,
      gzip: zlib.gzipSync(raw, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(raw, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        },
      }).length,
    };
  })
  .sort((a, b) => b.raw - a.raw);

const total = { raw: 0, gzip: 0, brotli: 0 };
const later = { raw: 0, gzip: 0, brotli: 0 };
const parts = { raw: 0, gzip: 0, brotli: 0 };
for (const r of rows) {
  const sum =
    r.apart === null ? total : r.apart.startsWith('worker') ? later : r.apart.startsWith('part') ? parts : null;
  if (!sum) continue;
  sum.raw += r.raw;
  sum.gzip += r.gzip;
  sum.brotli += r.brotli;
}

const line = (name, r) =>
  `${name.padEnd(46)} ${kb(r.raw).padStart(9)} ${kb(r.gzip).padStart(9)} ${kb(r.brotli).padStart(9)}`;
console.log(`${'file (KB = 1000 bytes)'.padEnd(46)} ${'raw'.padStart(9)} ${'gzip -9'.padStart(9)} ${'brotli 11'.padStart(9)}`);
for (const r of rows.filter((r) => r.apart === null)) console.log(line(r.name, r));
console.log(line('total html+css+js+wasm at first load', total));
console.log('not counted:');
for (const r of rows.filter((r) => r.apart !== null)) console.log(line(`  ${r.name}`, r), ` (${r.apart})`);
console.log(line('  parts loaded on first use, all their files', parts));
console.log(line('  pooling worker, all its files', later));
const verdict = total.brotli <= budgetKb * 1000 ? 'within' : 'OVER';
console.log(
  `brotli total ${kb(total.brotli)} KB: ${verdict} the ${budgetKb} KB budget` +
    ` (${kb(Math.abs(budgetKb * 1000 - total.brotli))} KB ${verdict === 'within' ? 'to spare' : 'too many'})`,
);
// A dist/ with no first-load wasm is not a build this can judge.
const counted = rows.filter((r) => r.apart === null);
if (check && !counted.some((r) => r.name.endsWith('.wasm'))) {
  console.error(`no first-load wasm in ${root}: build it first (trunk build --release)`);
  process.exitCode = 1;
} else {
  process.exitCode = check && verdict === 'OVER' ? 1 : 0;
}
