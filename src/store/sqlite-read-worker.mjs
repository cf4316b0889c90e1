// Runs the worklist's read-only queries on its own SQLite connection, off the server's event
// loop: better-sqlite3 runs a query synchronously, so on the main thread a 3 ms text search
// stopped every other request (logins, health checks, writes) for those 3 ms.
// WAL: this connection reads the last committed state while the server writes.
// Plain JavaScript: it runs in a worker thread, with or without the TypeScript loader.
import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { serveJobs } from '../shared/thread-pool-worker.mjs';

const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
// Refuses any write on this connection, whatever SQL reaches it.
db.pragma('query_only = true');
const statements = new Map();
const MAX_STATEMENTS = 200;

function statementFor(sql) {
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    if (!statement.reader) throw new Error('the read pool runs only queries that return rows');
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value);
    statements.set(sql, statement);
  }
  return statement;
}

serveJobs(
  ({ sql, parameters }) => statementFor(sql).all(parameters),
  () => db.close(),
);
