// #17: a host page that drives embed.html through raw postMessage (as any script may), beside a guest
// frame of another origin that the embed lets only read (allowOrigins=<host>,*). The host counts every
// reply per request id, so "exactly one reply" is checked, not assumed; the guest is driven from the test.
import { expect, type Frame, type Page } from '@playwright/test';
import type { HostServer } from './embedHost.ts';

export interface Tally {
  /** Replies per request id (a request answered twice shows 2). */
  replies: Record<string, { count: number; ok: boolean; error?: string; superseded?: boolean; result?: unknown }>;
  /** Record events per subscription id. */
  records: Record<string, number>;
}

const GUEST_HTML = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Guest</title></head><body>guest</body></html>';

export class HostAndGuest {
  private constructor(
    readonly page: Page,
    readonly guest: Frame,
    readonly embed: Frame,
  ) {}

  /** Opens the host page with the embed (its first frame) and the guest frame, and waits for `ready`. */
  static async open(page: Page, appOrigin: string, host: HostServer, guestServer: HostServer, query = 'preset=race&speed=0.002'): Promise<HostAndGuest> {
    const guestUrl = guestServer.page('/guest.html', GUEST_HTML);
    const src = `${appOrigin}/embed.html?${query}&allowOrigins=${encodeURIComponent(`${host.origin},*`)}`;
    await page.goto(
      host.page(
        '/host.html',
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title></head><body>
<iframe id="lab" src="${src}" style="width:800px;height:450px"></iframe><iframe id="guest" src="${guestUrl}" style="width:200px;height:100px"></iframe></body></html>`,
      ),
    );
    const embed = (await (await page.locator('#lab').elementHandle())!.contentFrame())!;
    const guest = (await (await page.locator('#guest').elementHandle())!.contentFrame())!;
    await expect(embed.locator('.app.embed')).toHaveAttribute('data-ready', 'true');
    await page.evaluate((labOrigin) => {
      const w = window as unknown as { tally: Tally };
      w.tally = { replies: {}, records: {} };
      const lab = (document.getElementById('lab') as HTMLIFrameElement).contentWindow;
      addEventListener('message', (e) => {
        if (e.source !== lab || e.origin !== labOrigin) return;
        const m = e.data as { op: string; id?: unknown; ok?: boolean; error?: string; superseded?: boolean; result?: unknown; subscription?: unknown };
        if (m.op === 'reply') {
          const key = String(m.id);
          const r = (w.tally.replies[key] ??= { count: 0, ok: false });
          r.count++;
          Object.assign(r, { ok: m.ok, error: m.error, superseded: m.superseded, result: m.result });
        } else if (m.op === 'record') w.tally.records[String(m.subscription)] = (w.tally.records[String(m.subscription)] ?? 0) + 1;
      });
    }, new URL(appOrigin).origin);
    await guest.evaluate(() => {
      const w = window as unknown as { tally: Tally };
      w.tally = { replies: {}, records: {} };
      addEventListener('message', (e) => {
        if (e.source !== parent.frames[0]) return;
        const m = e.data as { op: string; id?: unknown; ok?: boolean; error?: string; result?: unknown; subscription?: unknown };
        if (m.op === 'reply') {
          const r = (w.tally.replies[String(m.id)] ??= { count: 0, ok: false });
          r.count++;
          Object.assign(r, { ok: m.ok, error: m.error, result: m.result });
        } else if (m.op === 'record') w.tally.records[String(m.subscription)] = (w.tally.records[String(m.subscription)] ?? 0) + 1;
      });
    });
    return new HostAndGuest(page, guest, embed);
  }

  /** The host posts these commands in one tick (each gets `protocol`). */
  async hostPosts(messages: Record<string, unknown>[], labOrigin: string): Promise<void> {
    await this.page.evaluate(
      ([msgs, origin]) => {
        const lab = (document.getElementById('lab') as HTMLIFrameElement).contentWindow!;
        for (const m of msgs) lab.postMessage({ protocol: 'tdi-flow-lab', ...m }, origin);
      },
      [messages, labOrigin] as const,
    );
  }

  /** The guest posts these in one tick, to the embed it finds as its parent's first frame. */
  async guestPosts(messages: Record<string, unknown>[]): Promise<void> {
    await this.guest.evaluate((msgs) => {
      for (const m of msgs) parent.frames[0]!.postMessage({ protocol: 'tdi-flow-lab', ...m }, '*');
    }, messages);
  }

  hostTally(): Promise<Tally> {
    return this.page.evaluate(() => (window as unknown as { tally: Tally }).tally);
  }

  guestTally(): Promise<Tally> {
    return this.guest.evaluate(() => (window as unknown as { tally: Tally }).tally);
  }

  /** Waits until the host has a reply for each of these ids. */
  async hostReplies(ids: (string | number)[]): Promise<Tally['replies']> {
    await expect.poll(async () => { const t = await this.hostTally(); return ids.filter((id) => !t.replies[String(id)]).length; }, { timeout: 60_000 }).toBe(0);
    return (await this.hostTally()).replies;
  }
}
