import ical, { ICalAttendeeRole, ICalCalendarMethod } from 'ical-generator';
import type { Meeting } from '../store/meetings.ts';
import { agendaSlots, minutesOf, timeOf } from './agenda.ts';

/**
 * The meeting's iCalendar invitation (RFC 5545). Times are floating (the board's local
 * wall-clock time, no zone), as the meeting was entered. Attendees with an e-mail address
 * become ATTENDEE lines; every expected attendee and the agenda (case titles may identify a
 * patient, so only the order, slot and presenter) are in the description.
 */
export type InvitationMeeting = Pick<
  Meeting,
  'id' | 'title' | 'date' | 'startTime' | 'durationMinutes' | 'minutesPerItem' | 'place' | 'videoLink' | 'expectedAttendees' | 'updatedAt'
> & {
  readonly chair: { readonly username: string };
  readonly agenda: readonly { presenter: string | null }[];
};

function localDate(date: string, minutes: number): Date {
  // Parsed and formatted in the process's own zone: with floating times the wall clock survives either way.
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
}

export function meetingInvitation(meeting: InvitationMeeting, host: string): string {
  const start = minutesOf(meeting.startTime);
  const slots = agendaSlots(meeting.startTime, meeting.minutesPerItem, meeting.durationMinutes, meeting.agenda.length);
  const description = [
    `Tumour board chaired by ${meeting.chair.username}.`,
    meeting.videoLink ? `Video: ${meeting.videoLink}` : null,
    meeting.expectedAttendees.length ? `Expected: ${meeting.expectedAttendees.map((a) => (a.role ? `${a.name} (${a.role})` : a.name)).join(', ')}` : null,
    meeting.agenda.length ? `Agenda: ${meeting.agenda.length} case${meeting.agenda.length === 1 ? '' : 's'}` : 'Agenda: no cases yet',
    ...meeting.agenda.map((item, i) => `${slots[i]!.start}–${slots[i]!.end} case ${i + 1}${item.presenter ? `, presented by ${item.presenter}` : ''}`),
    `Ends ${timeOf(start + meeting.durationMinutes)}.`,
  ].filter((line): line is string => line !== null);
  const cal = ical({ prodId: { company: 'Retroplan', product: 'tumour-board', language: 'EN' }, method: ICalCalendarMethod.REQUEST, name: meeting.title });
  const event = cal.createEvent({
    id: `${meeting.id}@${host}`,
    start: localDate(meeting.date, start),
    end: localDate(meeting.date, start + meeting.durationMinutes),
    floating: true,
    stamp: new Date(meeting.updatedAt),
    summary: meeting.title,
    description: description.join('\n'),
    location: meeting.place ?? meeting.videoLink ?? null,
    url: meeting.videoLink ?? null,
  });
  for (const a of meeting.expectedAttendees) {
    if (a.email) event.createAttendee({ name: a.name, email: a.email, role: ICalAttendeeRole.REQ, rsvp: true });
  }
  return cal.toString();
}
