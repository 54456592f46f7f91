// Shareable links: the whole scenario (with faults and policy changes made by hand) travels in the
// URL fragment, deflated and base64url-encoded, so opening the link replays exactly this run.
const PREFIX = 'scenario=';

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function shareUrl(scenario: unknown, base: string): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(JSON.stringify(scenario)), new CompressionStream('deflate-raw'));
  const url = new URL(base);
  url.hash = PREFIX + toBase64Url(packed);
  return url.toString();
}

/** The scenario in a link's fragment: null when there is none; a message naming what is wrong when it is broken. */
export async function scenarioFromHash(hash: string): Promise<{ ok: true; json: unknown } | { ok: false; problem: string } | null> {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  if (!h.startsWith(PREFIX)) return null;
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(h.slice(PREFIX.length));
  } catch {
    return { ok: false, problem: 'The link\'s #scenario= part is not valid base64url (was it cut short when copied?).' };
  }
  let text: string;
  try {
    text = new TextDecoder().decode(await pipe(bytes, new DecompressionStream('deflate-raw')));
  } catch {
    return { ok: false, problem: 'The link\'s #scenario= part does not unpack (was it cut short when copied?).' };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch {
    return { ok: false, problem: 'The link\'s scenario is not valid JSON.' };
  }
}
