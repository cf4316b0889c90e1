import { Kysely, SqliteDialect } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { listWorklist } from '/work/wt/scale/src/store/worklist.ts';
const raw = new BetterSqlite3('/tmp/scale/w.sqlite'); if (process.env.MMAP) { raw.pragma('mmap_size = ' + process.env.MMAP); raw.pragma('cache_size = -65536'); }
const orig = raw.prepare.bind(raw);
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: { close: () => raw.close(), prepare(sqlText: string) { const st = orig(sqlText); const plan = orig('explain query plan ' + sqlText); const o = st; return new Proxy(o, { get(t, p) { if (p === 'all' || p === 'iterate' || p === 'run') return (...args: unknown[]) => { console.log(sqlText.slice(0, 300)); console.log(plan.all(...(args as [])).map((r: any) => '   ' + r.detail).join('\n')); const t0 = performance.now(); const res = (t as any)[p](...args); console.log('   ms', (performance.now() - t0).toFixed(1)); return res; }; const v = (t as any)[p]; return typeof v === 'function' ? v.bind(t) : v; } }); } } as any }) });
const f = JSON.parse(process.argv[2]!);
await listWorklist(db, 'sqlite', { limit: 20, offset: 0, ...f });
await db.destroy();
