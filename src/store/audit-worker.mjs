// Appends batches of audit rows on its own SQLite connection, off the server's event loop:
// a commit with synchronous=FULL waits for the disk (fsync), and better-sqlite3 waits
// synchronously, so on the main thread every request would stand still meanwhile.
// Plain JavaScript: it runs in a worker thread, with or without the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

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

parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    insertAll(message.rows);
    parentPort.postMessage({ id: message.id, ok: true });
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) });
  }
});
