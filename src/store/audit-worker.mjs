// Appends batches of audit rows on its own SQLite connection, off the server's event loop:
// a commit with synchronous=FULL waits for the disk (fsync), and better-sqlite3 waits
// synchronously, so on the main thread every request would stand still meanwhile.
// Plain JavaScript: it runs in a worker thread, with or without the TypeScript loader.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveJobs } from '../shared/thread-pool-worker.mjs';

const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insert = db.prepare(
  'insert into audit (at, actor, action, object_type, object_id, outcome, status_code, client_address, detail) ' +
    'values (@at, @actor, @action, @object_type, @object_id, @outcome, @status_code, @client_address, @detail)',
);
const insertAll = db.transaction((rows) => {
  for (const row of rows) insert.run(row);
});

serveJobs(
  (rows) => {
    insertAll(rows);
    return true;
  },
  () => db.close(),
);
