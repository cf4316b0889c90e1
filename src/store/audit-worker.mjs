// Appends batches of audit rows of reads on its own SQLite connection, off the server's event
// loop: a commit with synchronous=FULL waits for the disk (fsync), and better-sqlite3 waits
// synchronously, so on the main thread every request would stand still meanwhile.
//
// A batch is committed to the audit queue, a file of its own beside the database
// (audit-sink.ts auditQueuePath), not to the database itself: in WAL mode any commit to the
// database makes every other connection drop its whole page cache at its next read, and the
// hundreds of audit commits a second of a busy worklist made each text search re-read ~1,500
// pages (1.6 → 7.5 ms of SQLite time a search at 100,000 cases, with another connection
// committing 170 times a second). Queued rows join the audit table in one
// transaction at most MOVE_AFTER_MS later, on a 'settle' job (every audit query asks for one
// first), and when the thread closes; a queue left by a process that died is moved by the next
// one. The move records the last queued id it copied (audit_queue_moved, migration 0026) in the
// same transaction as the copy, so a crash between the copy and the queue's clean-up never
// copies a row twice.
// Plain JavaScript: it runs in a worker thread, with or without the TypeScript loader.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveJobs } from '../shared/thread-pool-worker.mjs';

/** How long a row of a read may wait in the queue before it joins the audit table. */
const MOVE_AFTER_MS = 1000;
/** A queue this long is moved at once, whatever its age. */
const MOVE_AT_ROWS = 5000;

const COLUMNS = 'at, actor, action, object_type, object_id, outcome, status_code, client_address, detail';

const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
db.prepare('attach database ? as queue').run(workerData.queuePath);
db.pragma('queue.journal_mode = WAL');
db.pragma('queue.synchronous = FULL');
const fresh = db.prepare("select count(*) from queue.sqlite_master where name = 'pending'").pluck().get() === 0;
db.exec(
  `create table if not exists queue.pending (id integer primary key autoincrement,
     at text not null, actor text not null, action text not null, object_type text, object_id text,
     outcome text not null, status_code integer, client_address text, detail text)`,
);

// A new queue file (the first start, or a deleted one) numbers its rows after the last id
// moved, so no new row is ever taken for one already moved.
if (fresh) db.prepare("insert into queue.sqlite_sequence (name, seq) values ('pending', (select upto from main.audit_queue_moved))").run();

const enqueue = db.prepare(
  `insert into queue.pending (${COLUMNS}) values (@at, @actor, @action, @object_type, @object_id, @outcome, @status_code, @client_address, @detail)`,
);
const enqueueAll = db.transaction((rows) => {
  for (const row of rows) enqueue.run(row);
});
const queued = db.prepare('select count(*) from queue.pending').pluck();
const movedUpTo = db.prepare('select upto from main.audit_queue_moved').pluck();
const copy = db.prepare(`insert into main.audit (${COLUMNS}) select ${COLUMNS} from queue.pending where id > ? order by id`);
const lastQueued = db.prepare('select max(id) from queue.pending').pluck();
const recordMoved = db.prepare('update main.audit_queue_moved set upto = ?');
const forget = db.prepare('delete from queue.pending where id <= ?');
// Only the audit table and the marker change in this transaction: it commits atomically in the database file.
const copyAll = db.transaction(() => {
  const upto = movedUpTo.get();
  const last = lastQueued.get();
  if (last === null || last <= upto) return upto;
  copy.run(upto);
  recordMoved.run(last);
  return last;
});

let pendingRows = queued.get();
let timer = null;

function move() {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  const upto = copyAll.immediate();
  forget.run(upto);
  pendingRows = 0;
}

function moveLater() {
  if (timer !== null) return;
  timer = setTimeout(() => {
    timer = null;
    try {
      move();
    } catch {
      // The rows stay in the queue, durable; the next append, settle or close moves them.
      moveLater();
    }
  }, MOVE_AFTER_MS);
}

// Rows a process left behind when it stopped without closing.
if (pendingRows > 0) moveLater();

serveJobs(
  (job) => {
    if (job.kind === 'settle') {
      move();
      return true;
    }
    enqueueAll(job.rows);
    pendingRows += job.rows.length;
    if (pendingRows >= MOVE_AT_ROWS) move();
    else moveLater();
    return true;
  },
  () => {
    try {
      move();
    } finally {
      db.close();
    }
  },
);
