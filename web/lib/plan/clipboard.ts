// Copy to the clipboard where the page is allowed to (the async Clipboard API needs a secure context
// and, inside a cross-origin iframe, the embedder's `clipboard-write` permission); otherwise fall back
// to a selected textarea and execCommand('copy'). Returns whether either worked, so the caller can
// show the text for a manual Ctrl+C instead (Compiler Explorer's "tooltip fallback", ui-anchors.md).
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // permission denied or not focused: try the legacy path
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  const active = document.activeElement as HTMLElement | null;
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  active?.focus();
  return ok;
}
