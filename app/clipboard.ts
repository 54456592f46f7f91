// Copying to the clipboard, where the page may: an insecure page or a denied permission has none.

/** Copies `text`; false when there is no clipboard here (the caller shows the text to copy by hand). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
