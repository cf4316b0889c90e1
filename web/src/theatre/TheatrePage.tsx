import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { evaluateCase, intraoperative, validateCase, type Case, type IntraopFinding } from '../../../src/engine/index.ts';
import { formatDateTime, histologyName, label, organName } from '../../../src/engine/vocabulary.ts';
import { ApiError, api, type StoredCase, type User } from '../api.ts';
import { AnatomyPanel } from '../anatomy/AnatomyPanel.tsx';
import { planActions } from '../anatomy/plan.ts';
import { ErrorBox, Link, Spinner } from '../ui/nav.tsx';
import { FindingPad } from './FindingPad.tsx';
import { findingText } from './findings.ts';
import { intraopApi, type IntraopEntryBody, type IntraopEventView } from './intraop-api.ts';
import { mergeLog, type LogLine } from './log.ts';
import { offlineStore, type OfflineStore, type QueuedEntry } from './offline-store.ts';
import { RecommendationPanel } from './RecommendationPanel.tsx';
import { flushQueue, newClientId } from './sync.ts';

/**
 * "In theatre" (issue 15): the plan and drawing at a glance, big buttons for the
 * findings, the engine's recommendation at once (it runs here, on the tablet),
 * and the operation log that becomes the operative record. Works with the
 * network down: the case is kept on the tablet when it opens, entries are kept
 * until the server has them (offline-store.ts, sync.ts).
 */

interface Loaded {
  readonly record: StoredCase;
  readonly events: IntraopEventView[];
  /** When the copy on the tablet was saved; null when read from the server now. */
  readonly offlineCopy: string | null;
}

const online = () => (typeof navigator === 'undefined' ? true : navigator.onLine);

export function TheatrePage({ id, user, store = offlineStore() }: { id: string; user: User; store?: OfflineStore }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [queue, setQueue] = useState<QueuedEntry[]>([]);
  const [isOnline, setOnline] = useState(online());
  const [syncing, setSyncing] = useState(false);
  const [notices, setNotices] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const noteId = useId();
  const canRecord = user.role !== 'viewer';
  const syncRun = useRef<Promise<void> | null>(null);
  const syncAgain = useRef(false);
  /** The case version on screen, for telling the user when a sync brings a newer one. */
  const shownVersion = useRef<number | null>(null);
  shownVersion.current = loaded?.record.version ?? null;

  const refreshQueue = useCallback(async () => {
    setQueue((await store.queued()).filter((e) => e.caseId === id && e.owner === user.username));
  }, [store, id, user.username]);

  const load = useCallback(async () => {
    try {
      const [record, events] = await Promise.all([api.getCase(id), intraopApi.list(id)]);
      await store.putCase({ caseId: id, owner: user.username, role: user.role, record, events, savedAt: new Date().toISOString() });
      setLoaded({ record, events, offlineCopy: null });
    } catch (e) {
      const cached = e instanceof ApiError && e.status === 0 ? await store.getCase(id) : undefined;
      if (cached && cached.owner === user.username) setLoaded({ record: cached.record, events: cached.events, offlineCopy: cached.savedAt });
      else setError(e);
    }
    await refreshQueue();
  }, [id, store, user.username, user.role, refreshQueue]);

  /** Sends what waits; one run at a time (a second request runs once the first ends). */
  const sync = useCallback(async () => {
    if (syncRun.current) {
      syncAgain.current = true;
      return syncRun.current;
    }
    const run = async () => {
      setSyncing(true);
      try {
        do {
          syncAgain.current = false;
          const report = await flushQueue(store, user.username, (e) => intraopApi.send(e.caseId, e.body));
          const messages: string[] = [];
          if (report.sent.length) messages.push(`${report.sent.length} ${report.sent.length === 1 ? 'entry' : 'entries'} synced to the server.`);
          if (report.caseChanged.length) {
            const n = report.caseChanged.length;
            const from = [...new Set(report.caseChanged.map((c) => c.takenOnVersion))].join(', ');
            const to = Math.max(...report.caseChanged.map((c) => c.caseVersion));
            messages.push(`The case changed while you were offline: ${n === 1 ? 'an entry' : `${n} entries`} taken on version ${from} ${n === 1 ? 'was' : 'were'} stored on version ${to}. ${n === 1 ? 'It is' : 'They are'} kept; review the case and the recommendation, now from version ${to}.`);
          }
          for (const r of report.refused) messages.push(`The server refused an entry (${r.problem ?? 'no reason given'}). It is kept on this tablet, marked in the log.`);
          if (report.stopped === 'signed-out') messages.push('Your session has ended: sign in again to send the waiting entries. They are kept on this tablet.');
          if (report.stopped === 'offline') setOnline(false);
          if (report.stopped === null) {
            // Back in touch with the server: the case as it is now (a colleague may have changed it) and its log.
            const [record, events] = await Promise.all([api.getCase(id), intraopApi.list(id)]);
            await store.putCase({ caseId: id, owner: user.username, role: user.role, record, events, savedAt: new Date().toISOString() });
            if (shownVersion.current !== null && record.version !== shownVersion.current && report.caseChanged.length === 0) {
              messages.push(`The case was changed meanwhile (now version ${record.version}): the plan and the recommendation are now from that version.`);
            }
            setLoaded({ record, events, offlineCopy: null });
          }
          if (messages.length) setNotices((n) => [...messages, ...n].slice(0, 6));
          await refreshQueue();
        } while (syncAgain.current);
      } catch {
        // Reading back failed (connection lost meanwhile): entries stay queued; the next sync resends, the server dedupes.
      } finally {
        setSyncing(false);
        syncRun.current = null;
      }
    };
    syncRun.current = run();
    return syncRun.current;
  }, [store, user.username, user.role, id, refreshQueue]);

  useEffect(() => {
    void load().then(() => (online() ? sync() : undefined));
    const up = () => {
      setOnline(true);
      void sync();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    // The installable app: the service worker precaches the app shell once a case is taken to theatre.
    void import('./pwa.ts').then((m) => m.registerServiceWorker()).catch(() => undefined);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [load, sync]);

  const record = useCallback(
    async (body: IntraopEntryBody) => {
      if (!loaded) return;
      const clientId = newClientId();
      const entry: QueuedEntry = {
        clientId,
        caseId: id,
        owner: user.username,
        author: user.username,
        body: { ...body, clientId, takenOnVersion: loaded.record.version, recordedAt: new Date().toISOString() },
        state: 'queued',
      };
      await store.put(entry);
      await refreshQueue();
      if (online()) void sync();
    },
    [loaded, id, user.username, store, refreshQueue, sync],
  );

  const checked = useMemo(() => (loaded ? validateCase(loaded.record.case) : null), [loaded]);
  const caseValue: Case | null = checked?.ok ? checked.value : null;
  const evaluation = useMemo(() => (caseValue ? evaluateCase(caseValue) : null), [caseValue]);
  const log: LogLine[] = useMemo(() => mergeLog(loaded?.events ?? [], queue), [loaded, queue]);
  const findings: IntraopFinding[] = useMemo(() => log.filter((l) => l.kind === 'finding').flatMap((l) => l.findings), [log]);
  const decision = useMemo(() => (caseValue && findings.length ? intraoperative(caseValue, findings) : null), [caseValue, findings]);

  if (error) return <ErrorBox error={error} onRetry={() => void load()} />;
  if (!loaded) return <Spinner label="Opening the case for theatre…" />;

  const waiting = queue.filter((q) => q.state === 'queued').length;
  const refused = queue.filter((q) => q.state === 'refused').length;
  const plan = evaluation?.resectionPlan ?? null;
  const drawnPlan = planActions(plan && decision ? { ...plan, enBloc: decision.updatedPlan.enBloc, preserveUnlessInfiltrated: decision.updatedPlan.preserveUnlessInfiltrated, vascular: decision.updatedPlan.vascular, resectability: decision.updatedPlan.resectability } : plan);
  const c = loaded.record.case as Record<string, unknown> & { tumor?: { contacts?: string[]; infiltrates?: string[] } };
  const found = findings.flatMap((f) => ('structure' in f ? [f.structure] : []));
  const draft = { ...c, tumor: { ...(c.tumor ?? {}), infiltrates: [...new Set([...(c.tumor?.infiltrates ?? []), ...found])], contacts: (c.tumor?.contacts ?? []).filter((x) => !found.includes(x)) } };
  const near = [...new Set([...(c.tumor?.contacts ?? []), ...(c.tumor?.infiltrates ?? [])])];
  const leading = evaluation?.diagnosis.leading?.code;
  const connection = !isOnline ? 'offline' : waiting > 0 ? 'queued' : 'online';

  return (
    <div className="theatre">
      <div className="theatre-head">
        <div>
          <h1>In theatre: {loaded.record.title}</h1>
          <p className="small muted">
            Case version {loaded.record.version}
            {loaded.offlineCopy ? ` · copy kept on this tablet at ${formatDateTime(loaded.offlineCopy)}` : ''} · <Link to={{ name: 'case', id }}>Open the case</Link>
          </p>
        </div>
        <div className={`connection connection-${connection}`} role="status" data-testid="connection" data-state={connection}>
          <strong>{isOnline ? 'Online' : 'Offline'}</strong>
          <span>
            {waiting > 0 ? `${waiting} ${waiting === 1 ? 'entry' : 'entries'} waiting to sync` : syncing ? 'Syncing…' : 'All entries synced'}
            {refused > 0 ? ` · ${refused} refused` : ''}
          </span>
          {!isOnline ? <span className="small">Entries are kept on this tablet and sent when the connection returns.</span> : null}
        </div>
      </div>
      {notices.length ? (
        <ul className="notices" data-testid="notices">
          {notices.map((n, i) => (
            <li key={`${i}-${n}`}>{n}</li>
          ))}
        </ul>
      ) : null}
      {!checked?.ok ? <ErrorBox error="This case does not validate under the current case model: open it in the editor before theatre." /> : null}
      {!canRecord ? <p className="notice">You can read this screen; recording needs the clinician role.</p> : null}

      <div className="theatre-grid">
        <div className="theatre-plan">
          <section aria-labelledby="plan-heading" className="plan-summary">
            <h2 id="plan-heading">The plan</h2>
            <dl className="facts">
              <dt>Diagnosis</dt>
              <dd>{leading ? histologyName(leading) : 'No leading diagnosis'}</dd>
              <dt>Stage</dt>
              <dd>{evaluation?.stage.group ? `Stage ${evaluation.stage.group}` : 'Not stageable yet'}</dd>
              <dt>En bloc</dt>
              <dd>{plan?.enBloc.length ? plan.enBloc.map(organName).join(', ') : '—'}</dd>
              <dt>Preserve unless infiltrated</dt>
              <dd>{plan?.preserveUnlessInfiltrated.length ? plan.preserveUnlessInfiltrated.map(organName).join(', ') : '—'}</dd>
              <dt>Vessels</dt>
              <dd>{plan?.vascular.length ? plan.vascular.map((v) => `${organName(v.organ)}: ${label('vascularAction', v.action)}`).join('; ') : '—'}</dd>
            </dl>
          </section>
          <AnatomyPanel draft={draft} plan={drawnPlan} />
        </div>
        <div className="theatre-act">
          {canRecord ? <FindingPad near={near} disabled={!checked?.ok} onFinding={(f) => void record({ kind: 'finding', findings: [f] })} /> : null}
          <RecommendationPanel decision={decision} findingTexts={findings.map(findingText)} canDecide={canRecord} onDecide={(text) => void record({ kind: 'decision', note: text })} />
        </div>
      </div>

      <section className="operative-record" aria-labelledby="log-heading" data-testid="operation-log">
        <div className="panel-head">
          <h2 id="log-heading">Operation log</h2>
          <button type="button" className="btn" onClick={() => window.print()}>
            Print the operative record
          </button>
        </div>
        <p className="print-only">
          {loaded.record.title} — case version {loaded.record.version}; printed {formatDateTime(new Date())}
        </p>
        {log.length === 0 ? <p className="muted">Nothing recorded yet.</p> : null}
        <ol className="log">
          {log.map((l) => (
            <li key={l.key} className={`log-line log-${l.state}`} data-state={l.state} data-kind={l.kind}>
              <time dateTime={l.at}>{formatDateTime(l.at)}</time> <strong>{label('logKind', l.kind)}:</strong>{' '}
              {l.findings.map(findingText).join('; ')}
              {l.note ? `${l.findings.length ? ' — ' : ''}${l.note}` : ''} <span className="small muted">({l.author})</span>{' '}
              <span className="log-badge">{l.state === 'synced' ? 'Synced' : l.state === 'queued' ? 'Waiting to sync' : `Refused: ${l.problem ?? ''}`}</span>
              {l.changed ? <span className="log-badge warn">Taken on version {l.changed.takenOn}, stored on version {l.changed.storedOn}: the case changed</span> : null}
            </li>
          ))}
        </ol>
        {decision ? (
          <div className="print-only">
            <h3>To document</h3>
            <ul>
              {decision.documentation.map((d) => (
                <li key={d.id}>{d.label}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {canRecord ? (
          <form
            className="note-form"
            onSubmit={(e) => {
              e.preventDefault();
              const text = note.trim();
              if (!text) return;
              setNote('');
              void record({ kind: 'note', note: text });
            }}
          >
            <label htmlFor={noteId}>Note</label>
            <textarea id={noteId} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
            <button type="submit" className="btn big" disabled={!note.trim()}>
              Add note
            </button>
          </form>
        ) : null}
      </section>
    </div>
  );
}
