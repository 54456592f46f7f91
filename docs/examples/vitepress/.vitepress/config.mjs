// A VitePress site with TDI Flow Lab in a page (docs/embedding.md § VitePress). e2e/sitegen.spec.ts
// builds it and plays the lab in it, pointing TDI_FLOW_LAB_URL at its own server of the app.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the lab is served: the folder that holds embed.js and embed.html. */
const LAB_URL = process.env.TDI_FLOW_LAB_URL ?? 'https://lab.example.org/';

export default {
  title: 'TDI Flow Lab in VitePress',
  // VitePress compiles a <script> inside a Markdown page as a module of the site (and fails on an
  // http: address): embed.js goes in the head of every page instead. It is small and defines the
  // element only; the lab itself loads where a page has a <tdi-flow-lab>.
  head: [['script', { src: new URL('embed.js', LAB_URL).href, defer: '' }]],
  // <tdi-flow-lab> is a custom element, not a Vue component: Vue's compiler leaves it to the browser.
  vue: { template: { compilerOptions: { isCustomElement: (tag) => tag === 'tdi-flow-lab' } } },
  // Build scratch files out of the repository.
  cacheDir: join(tmpdir(), 'tdi-flow-lab-vitepress-cache'),
};
