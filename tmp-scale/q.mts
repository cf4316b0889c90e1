import { openRepository } from '/work/wt/scale/src/store/index.ts';
const url = process.argv[2]!;
const repo = await openRepository(url.startsWith('sqlite:') ? { kind: 'sqlite', path: url.slice(7) } : { kind: 'postgres', url });
const scenarios: Record<string, object> = {
  first: {}, status: { status: 'tumour_board' }, stage: { stageGroup: 'IIIA' }, stageStatus: { stageGroup: 'IV', status: 'treatment' },
  histology: { histology: '8815/1' }, qRare: { q: 'Kowalski' }, qCommon: { q: 'en bloc' }, qMid: { q: 'metanephrines' }, qShort: { q: 'zz' }, qNone: { q: 'xyzzy' },
  archived: { archived: true },
};
for (const [name, f] of Object.entries(scenarios)) {
  const times: number[] = [];
  let r;
  for (let i = 0; i < 30; i++) { const t = performance.now(); r = await repo.listCases({ limit: 20, offset: 0, ...f }); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(name.padEnd(12), 'median', times[15]!.toFixed(2), 'max', times[29]!.toFixed(2), 'total', r!.total, r!.totalCapped, 'items', r!.items.length);
}
await repo.close();
