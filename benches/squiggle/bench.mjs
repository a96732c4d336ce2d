// Squiggle's samples per second for Healthier Together's pool: the same model as the
// app's simulation (each CCG's annual cost a Gamma draw, all multiplied by one common
// shock), written as Squiggle sample sets. Run by benches/pooling.sh.
// Usage: node bench.mjs <scenario.json> <samples> [repeats]
// Warm-up excluded, the fastest of `repeats` runs reported (and the median beside it), on
// the wall clock and in CPU time (process.cpuUsage: user + system of the whole process,
// Node's compiler and garbage-collector threads included; Squiggle itself is one thread).
import { readFileSync } from 'node:fs';
import { run } from '@quri/squiggle-lang';

const [file, samplesArg, repeatsArg] = process.argv.slice(2);
const repeats = Number(repeatsArg || 3);
const pool = JSON.parse(readFileSync(file, 'utf8')).pool;
const samples = Number(samplesArg || 100000);
const s = pool.common_shock;

// Pounds per head; shape N / c², scale μc², as the engine draws each member's total.
const members = pool.members.map((m, i) => {
  const c2 = m.cost_variation * m.cost_variation;
  const perHead = m.cost_per_head / 100;
  return `m${i} = gamma(${m.population / c2}, ${perHead * c2})`;
});
const budget = pool.members.reduce((sum, m) => sum + (m.population * m.cost_per_head) / 100, 0);
const code = `${members.join('\n')}
shock = ${s > 0 ? `gamma(${1 / (s * s)}, ${s * s})` : '1'}
total = (${pool.members.map((_, i) => `m${i}`).join(' + ')}) * shock
1 - cdf(total, ${budget * (1 + pool.overspend_threshold)})
`;

async function time(count) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const output = await run(code, {
    environment: { sampleCount: count, xyPointLength: 1000, seed: 'onebudget' },
  });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const result = output.result;
  if (!result.ok) throw new Error(`Squiggle failed: ${result.value.toString()}`);
  return { ms, cpuMs, chance: Number(result.value.result.toString()) };
}

await time(1000); // warm up the interpreter
const runs = [];
for (let i = 0; i < repeats; i += 1) runs.push(await time(samples));
runs.sort((a, b) => a.ms - b.ms);
const { ms, chance } = runs[0];
console.log(
  JSON.stringify({
    samples,
    repeats,
    ms,
    median_ms: runs[Math.floor(runs.length / 2)].ms,
    cpu_ms: Math.min(...runs.map((r) => r.cpuMs)),
    samples_per_second: (samples / ms) * 1000,
    pool_chance_over_threshold: chance,
  }),
);
