// Runs Lighthouse (this folder's pinned copy) against a URL with its default mobile
// emulation and simulated slow-4G / 4x CPU throttling, in Debian's Chromium, several
// times, and prints each run and the median. Used by benches/size.sh.
//
//   node audit.js <url> [runs]
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const url = process.argv[2];
const runs = Math.max(1, Number(process.argv[3] || 3));
if (!url) {
  console.error('usage: node audit.js <url> [runs]');
  process.exit(2);
}

const cli = path.join(__dirname, 'node_modules', '.bin', 'lighthouse');
const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onebudget-lh-')), 'report.json');

function once() {
  execFileSync(
    cli,
    [
      url,
      '--only-categories=performance,accessibility,best-practices',
      '--form-factor=mobile',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
      '--output=json',
      `--output-path=${out}`,
      '--quiet',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH || '/usr/bin/chromium' } },
  );
  const r = JSON.parse(fs.readFileSync(out, 'utf8'));
  const score = (id) => (r.categories[id].score === null ? NaN : Math.round(r.categories[id].score * 100));
  const failing = [];
  for (const [category, c] of Object.entries(r.categories)) {
    for (const ref of c.auditRefs) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1 && category !== 'performance') {
        failing.push(`${category}: ${ref.id} (${a.title})`);
      }
    }
  }
  return {
    version: r.lighthouseVersion,
    chrome: r.environment && r.environment.hostUserAgent,
    benchmarkIndex: r.environment && r.environment.benchmarkIndex,
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    lcp: r.audits['largest-contentful-paint'].numericValue,
    tbt: r.audits['total-blocking-time'].numericValue,
    cls: r.audits['cumulative-layout-shift'].numericValue,
    fcp: r.audits['first-contentful-paint'].numericValue,
    transfer: r.audits['total-byte-weight'].numericValue,
    failing,
  };
}

const results = [];
for (let i = 0; i < runs; i++) results.push(once());

const fmt = (r) =>
  `${String(r.performance).padStart(4)} ${String(r.accessibility).padStart(6)} ${String(r.bestPractices).padStart(6)}` +
  ` ${(r.fcp / 1000).toFixed(2).padStart(7)} s ${(r.lcp / 1000).toFixed(2).padStart(6)} s ${String(Math.round(r.tbt)).padStart(6)} ms` +
  ` ${r.cls.toFixed(3).padStart(6)} ${(r.transfer / 1000).toFixed(1).padStart(8)} KB ${String(Math.round(r.benchmarkIndex || 0)).padStart(6)}`;
console.log(`Lighthouse ${results[0].version}, mobile emulation, simulated throttling; ${results[0].chrome}`);
console.log(' run perf a11y  b-pr     FCP      LCP      TBT    CLS  transfer  bench');
results.forEach((r, i) => console.log(`${String(i + 1).padStart(4)} ${fmt(r)}`));
const median = (key) => {
  const v = results.map((r) => r[key]).sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const m = {};
for (const key of Object.keys(results[0])) if (typeof results[0][key] === 'number') m[key] = median(key);
console.log(` med ${fmt(m)}`);
const failing = [...new Set(results.flatMap((r) => r.failing))];
for (const f of failing) console.log(`not passed: ${f}`);
const verdicts = [
  `performance ${m.performance} (target ≥ 95): ${m.performance >= 95 ? 'met' : 'NOT met'}`,
  `accessibility ${m.accessibility} (target 100): ${m.accessibility === 100 ? 'met' : 'NOT met'}`,
];
console.log(verdicts.join('; '));
