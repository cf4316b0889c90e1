import { describe, expect, it } from 'vitest';
import { href, parseRoute } from '../router.ts';

describe('meeting routes', () => {
  it('parse and print the meetings list, a meeting and presentation mode (1-based item)', () => {
    expect(parseRoute('#/meetings')).toEqual({ name: 'meetings' });
    expect(parseRoute('#/meetings/m-1')).toEqual({ name: 'meeting', id: 'm-1' });
    expect(parseRoute('#/meetings/m-1/present/3')).toEqual({ name: 'present', id: 'm-1', item: 3 });
    expect(parseRoute('#/meetings/m-1/present/zero')).toEqual({ name: 'present', id: 'm-1', item: 1 });
    expect(href({ name: 'present', id: 'a b', item: 2 })).toBe('#/meetings/a%20b/present/2');
    expect(href({ name: 'meeting', id: 'm-1' })).toBe('#/meetings/m-1');
  });
});
