// A host page on another origin for the embed specs: a tiny static server (node:http) on `localhost`
// while the app is served on 127.0.0.1 — two origins, as on a documentation site. The page object
// drives the <tdi-flow-lab> element through its promise API, as a host page's own script would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Frame, type Locator, type Page } from '@playwright/test';

export interface HostServer {
  origin: string;
  /** Serves `html` at `path` (until the server closes). */
  page(path: string, html: string): string;
  close(): Promise<void>;
}

export async function startHost(): Promise<HostServer> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    page(path, html) {
      pages.set(path, html);
      return origin + path;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A host page with one <tdi-flow-lab> of these attributes, at this size. */
export function elementPage(appOrigin: string, attrs: string, size = { width: 800, height: 450 }): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>
<style>body{margin:0} tdi-flow-lab{width:${size.width}px;height:${size.height}px;min-width:0;min-height:0}</style>
<script src="${appOrigin}/embed.js" defer></script></head>
<body><tdi-flow-lab id="lab" ${attrs}></tdi-flow-lab></body></html>`;
}

export class EmbedHost {
  constructor(readonly page: Page) {}

  get element(): Locator {
    return this.page.locator('tdi-flow-lab');
  }

  /** The embed's frame (another origin: Playwright still sees its DOM). */
  async frame(): Promise<Frame> {
    const handle = await this.page.locator('tdi-flow-lab iframe').elementHandle();
    const f = await handle!.contentFrame();
    if (!f) throw new Error('the embed has no frame');
    return f;
  }

  /** Waits for `ready` and returns its payload. */
  async ready(): Promise<{ version: number; notices: string[] }> {
    return this.page.evaluate(() => (document.querySelector('tdi-flow-lab') as unknown as { ready: Promise<{ version: number; notices: string[] }> }).ready);
  }

  /** Calls a method of the element's API (lab.seek(…), lab.getState() …) and returns what it resolves with. */
  async call<T = unknown>(method: string, ...args: unknown[]): Promise<T> {
    return this.page.evaluate(
      ([m, a]) => {
        const lab = document.querySelector('tdi-flow-lab') as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>;
        return lab[m as string]!(...(a as unknown[]));
      },
      [method, args] as const,
    ) as Promise<T>;
  }

  /** Like call, but resolves with the rejection's message (or null when it resolved). */
  async callError(method: string, ...args: unknown[]): Promise<string | null> {
    return this.page.evaluate(
      async ([m, a]) => {
        const lab = document.querySelector('tdi-flow-lab') as unknown as Record<string, (...x: unknown[]) => Promise<unknown>>;
        try {
          await lab[m as string]!(...(a as unknown[]));
          return null;
        } catch (e) {
          return e instanceof Error ? e.message : String(e);
        }
      },
      [method, args] as const,
    );
  }

  /** Posts raw messages into the embed from the host page (as a careless or hostile script would). */
  async postRaw(messages: unknown[]): Promise<void> {
    await this.page.evaluate((msgs) => {
      const iframe = document.querySelector('tdi-flow-lab')!.shadowRoot!.querySelector('iframe')!;
      const origin = new URL(iframe.src).origin;
      for (const m of msgs) iframe.contentWindow!.postMessage(m, origin);
    }, messages);
  }

  async expectStageShown(): Promise<void> {
    const f = await this.frame();
    await expect(f.locator('svg.stack')).toBeVisible();
    await expect(f.locator('.app.embed')).toHaveAttribute('data-ready', 'true');
  }
}
