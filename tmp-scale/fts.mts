import BetterSqlite3 from 'better-sqlite3';
const raw = new BetterSqlite3('/tmp/scale/w.sqlite');
const time = (label: string, sqlText: string, ...args: unknown[]) => { const st = raw.prepare(sqlText); st.all(...args); const t = performance.now(); let r; for (let i = 0; i < 20; i++) r = st.all(...args); console.log(label, ((performance.now() - t) / 20).toFixed(2), 'ms', JSON.stringify(r).slice(0, 60)); };
for (const q of ['kowalski', 'metanephrines', 'en bloc', 'Nowak M.', 'SYN-0004711']) {
  time(q + ' fts', `select count(*) from (select rowid from cases_fts where cases_fts match ? limit 2001)`, `"${q}"`);
  time(q + ' fts title', `select count(*) from (select rowid from cases_fts where cases_fts match ? limit 2001)`, `title:"${q}"`);
}
time('json', `select count(*) from case_search where k in (select value from json_each(?))`, JSON.stringify(Array.from({length: 1500}, (_, i) => i * 50)));
