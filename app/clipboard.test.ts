// Copying a share link or a snippet: where there is no clipboard the caller shows the text instead,
// so copyText must say whether it copied, never throw.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyText } from './clipboard.ts';

afterEach(() => vi.unstubAllGlobals());

describe('copyText', () => {
  it('copies and says so', async () => {
    const written: string[] = [];
    vi.stubGlobal('navigator', { clipboard: { writeText: (t: string) => Promise.resolve(void written.push(t)) } });
    expect(await copyText('https://x/#m=1')).toBe(true);
    expect(written).toEqual(['https://x/#m=1']);
  });

  it('a denied permission or an insecure page (no clipboard at all) is false, not an exception', async () => {
    vi.stubGlobal('navigator', { clipboard: { writeText: () => Promise.reject(new DOMException('denied', 'NotAllowedError')) } });
    expect(await copyText('a')).toBe(false);
    vi.stubGlobal('navigator', {});
    expect(await copyText('a')).toBe(false);
  });
});
