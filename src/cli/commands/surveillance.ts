import type { Command } from 'commander';
import { ENGINE_VERSION, evaluate, surveillanceVisits, type SurveillancePlan } from '../../engine/index.ts';
import { CliError, formatFieldErrors, parseJsonText, readInput, type CliIo } from '../io.ts';

/** A calendar date (no time zone): follow-up visits are whole days. */
interface CalendarDate {
  readonly year: number;
  readonly month: number; // 1–12
  readonly day: number;
}

export function parseIsoDate(text: string): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** Adds calendar months; a day past the end of the target month is clamped (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const total = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(date.day, lastDay) };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const isoDate = (d: CalendarDate) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
const icsDate = (d: CalendarDate) => `${pad(d.year, 4)}${pad(d.month)}${pad(d.day)}`;
const nextDay = (d: CalendarDate): CalendarDate => {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** RFC 5545 §3.3.11 TEXT escaping. */
export function escapeIcsText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 §3.1: lines longer than 75 octets are folded (CRLF + space), never inside a UTF-8 character. */
export function foldIcsLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
      limit = 74; // the leading space of a continuation line counts
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

export interface CalendarVisit {
  readonly date: string;
  readonly month: number;
  readonly imaging: string[];
}

export function visitCalendar(plan: SurveillancePlan, from: CalendarDate, years: number): CalendarVisit[] {
  return surveillanceVisits(plan, years * 12).map((v) => ({ date: isoDate(addMonths(from, v.month)), month: v.month, imaging: v.imaging }));
}

export function renderIcs(opts: { caseId: string; from: CalendarDate; years: number; plan: SurveillancePlan; now: Date }): string {
  const { plan, from, years } = opts;
  const uidBase = opts.caseId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64) || 'case';
  const stamp = opts.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const visits = surveillanceVisits(plan, years * 12);
  const continuing =
    plan.lifelong === true
      ? `Follow-up continues yearly beyond this calendar (${years} years): lifelong-leaning for liposarcoma.`
      : `Follow-up continues yearly beyond this calendar (${years} years); the end is not set by the guideline.`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:-//Retroplan//Surveillance ${ENGINE_VERSION}//EN`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeIcsText(`RPS surveillance — ${opts.caseId}`)}`,
    `X-WR-CALDESC:${escapeIcsText(`Surveillance after resection on ${isoDate(from)}. ${continuing}`)}`,
  ];
  visits.forEach((v, i) => {
    const date = addMonths(from, v.month);
    const period = plan.schedule.find((p) => v.month - p.minIntervalMonths >= p.fromMonth && (p.toMonth === null || v.month - p.minIntervalMonths < p.toMonth));
    const window = period ? `earliest recommended date; interval ${period.minIntervalMonths}–${period.maxIntervalMonths} months` : 'earliest recommended date';
    const last = i === visits.length - 1;
    lines.push(
      'BEGIN:VEVENT',
      `UID:${uidBase}-${icsDate(from)}-m${v.month}@retroplan`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${icsDate(date)}`,
      `DTEND;VALUE=DATE:${icsDate(nextDay(date))}`,
      `SUMMARY:${escapeIcsText(`RPS surveillance, month ${v.month}: ${v.imaging.join(' + ')}`)}`,
      `DESCRIPTION:${escapeIcsText(`Month ${v.month} after surgery (${window}). Imaging: ${v.imaging.join('; ')}.${last ? ` ${continuing}` : ''}`)}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  });
  lines.push('END:VCALENDAR');
  return `${lines.map(foldIcsLine).join('\r\n')}\r\n`;
}

export function registerSurveillance(program: Command, io: CliIo): void {
  program
    .command('surveillance')
    .description('follow-up visit calendar after resection (iCalendar or JSON)')
    .argument('<file>', 'case JSON file, or - to read stdin')
    .requiredOption('--from <date>', 'date of surgery, YYYY-MM-DD')
    .option('--format <format>', 'ics or json', 'ics')
    .option('--years <n>', 'years the calendar covers (1–40)', '10')
    .action(async (file: string, opts: { from: string; format: string; years: string }) => {
      if (opts.format !== 'ics' && opts.format !== 'json') throw new CliError(`--format must be ics or json, got ${JSON.stringify(opts.format)}`);
      const from = parseIsoDate(opts.from);
      if (!from) throw new CliError(`--from must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(opts.from)}`);
      const years = Number(opts.years);
      if (!Number.isInteger(years) || years < 1 || years > 40) throw new CliError(`--years must be a whole number from 1 to 40, got ${JSON.stringify(opts.years)}`);
      const input = parseJsonText(await readInput(file, io), file === '-' ? 'stdin' : file);
      const result = evaluate(input);
      if (!result.ok) {
        throw new CliError(formatFieldErrors('invalid case', result.errors));
      }
      const plan = result.value.surveillance;
      if (plan.schedule.length === 0) {
        throw new CliError(`no surveillance schedule for this case: ${[...plan.reasons, ...plan.missing].join(' ')}`);
      }
      const caseId = result.value.caseId ?? 'case';
      if (opts.format === 'json') {
        io.stdout(`${JSON.stringify({ caseId, from: isoDate(from), years, visits: visitCalendar(plan, from, years), surveillance: plan }, null, 2)}\n`);
      } else {
        io.stdout(renderIcs({ caseId, from, years, plan, now: new Date() }));
      }
    });
}
