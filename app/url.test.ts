// The address bar's parameters (#8 projector mode): a value that makes no sense is named, never fatal.
import { describe, expect, it } from 'vitest';
import { readUrlState } from './url.ts';

describe('readUrlState: projector', () => {
  it('#8: ?projector=1 turns projector mode on, 0 turns it off, absent leaves it to the page', () => {
    expect(readUrlState('?projector=1')).toMatchObject({ projector: true, notices: [] });
    expect(readUrlState('?projector=0')).toMatchObject({ projector: false, notices: [] });
    expect(readUrlState('?preset=race').projector).toBeUndefined();
  });

  it('#8: a projector value that is not 1 or 0 is named in a notice', () => {
    const u = readUrlState('?projector=big');
    expect(u.projector).toBeUndefined();
    expect(u.notices).toEqual(['projector=big must be 1 or 0: projector mode stays off.']);
  });
});
